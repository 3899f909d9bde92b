package dev.jobkit.examples.files;

import static dev.jobkit.examples.TestJobs.json;
import static dev.jobkit.examples.TestJobs.logs;
import static dev.jobkit.examples.TestJobs.output;
import static dev.jobkit.examples.TestJobs.progress;
import static dev.jobkit.examples.TestJobs.waitForState;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.examples.TestJobs;
import dev.jobkit.runtime.JobHandle;
import dev.jobkit.runtime.JobInfo;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexerJobTest {
  @TempDir Path tmp;

  /** A small tree: 4 files (two .txt, one .md, one binary .bin) in 2 directories below the root. */
  private Path tree() throws IOException {
    Path root = tmp.resolve("tree");
    write(root.resolve("a.txt"), "hello world\nsecond line\n".getBytes());
    write(root.resolve("docs/readme.md"), "# Title\n".getBytes());
    write(root.resolve("docs/deeper/b.TXT"), "one two three".getBytes());
    write(root.resolve("data.bin"), new byte[] {1, 0, 2, '\n'});
    return root;
  }

  @Test
  void metadataModeTotalsFilesDirectoriesAndExtensions() throws IOException {
    Path root = tree();
    try (JobManager jobs = TestJobs.open(tmp)) {
      JobHandle<?> handle = jobs.dispatchByName("indexer", "{\"root\": " + json(root) + "}");
      IndexReport report = output(jobs, handle.id());

      assertEquals(4, report.files());
      assertEquals(2, report.dirs());
      assertEquals(24 + 8 + 13 + 4, report.bytes());
      assertEquals(Map.of("txt", 2L, "md", 1L, "bin", 1L), report.filesByExtension());
      assertEquals(37L, report.bytesByExtension().get("txt"));
      assertEquals(List.of(), report.errors());
      List<String> index = Files.readAllLines(report.indexFile());
      assertEquals(5, index.size(), "header and one line per file: " + index);
      assertTrue(index.get(1).startsWith("a.txt\t24\t"), index.get(1));
      assertTrue(
          index.get(1).contains("\t-\t-\t-1\t-1"), "no hash in metadata mode: " + index.get(1));
    }
  }

  @Test
  void contentModeHashesAndDeepModeCountsLinesAndWords() throws Exception {
    Path root = tree();
    try (JobManager jobs = TestJobs.open(tmp)) {
      JobHandle<?> content =
          jobs.dispatchByName(
              "indexer",
              "{\"root\": "
                  + json(root)
                  + ", \"mode\": \"content\", \"indexFile\": "
                  + json(tmp.resolve("content.tsv"))
                  + "}");
      JobHandle<?> deep =
          jobs.dispatchByName("indexer", "{\"root\": " + json(root) + ", \"mode\": \"deep\"}");

      IndexReport contentReport = output(jobs, content.id());
      String aLine = Files.readAllLines(contentReport.indexFile()).get(1);
      assertEquals(sha256(root.resolve("a.txt")), aLine.split("\t")[3], aLine);
      assertEquals(0, contentReport.lines(), "lines are counted in deep mode only");

      IndexReport deepReport = output(jobs, deep.id());
      assertEquals(3, deepReport.lines(), "2 in a.txt, 1 in readme.md, binary not counted");
      assertEquals(4 + 2 + 3, deepReport.words());
      assertEquals(
          Map.of("text/plain", 2L, "text/markdown", 1L, "application/octet-stream", 1L),
          deepReport.filesByType());
      assertTrue(deepReport.summary().contains("3 lines, 9 words"), deepReport.summary());
    }
  }

  @Test
  void anUnknownModeFailsAtOnceNamingTheAllowedModes() throws IOException {
    Path root = tree();
    try (JobManager jobs = TestJobs.open(tmp)) {
      JobHandle<?> handle =
          jobs.dispatchByName("indexer", "{\"root\": " + json(root) + ", \"mode\": \"fast\"}");
      JobInfo info = waitForState(jobs, handle.id(), JobState.FAILED);
      assertEquals(1, info.attempts());
      assertTrue(
          info.error().orElse("").contains("unknown mode 'fast'; allowed: metadata, content, deep"),
          info.error().orElse(""));
    }
  }

  @Test
  void resumesAfterAPauseWithoutIndexingAFileTwice() throws IOException {
    Path root = tmp.resolve("many");
    int n = 30;
    for (int i = 0; i < n; i++) {
      write(root.resolve("d" + (i % 3) + "/f" + i + ".txt"), ("file " + i).getBytes());
    }
    try (JobManager jobs = TestJobs.open(tmp)) {
      JobHandle<?> handle =
          jobs.dispatchByName(
              "indexer",
              "{\"root\": "
                  + json(root)
                  + ", \"mode\": \"content\", \"checkpointEvery\": 4, \"throttleMillis\": 30}");
      await("6 files indexed")
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> progress(jobs, handle.id(), "files") >= 6);
      handle.pause();
      waitForState(jobs, handle.id(), JobState.PAUSED);
      handle.resume();
      IndexReport report = output(jobs, handle.id());

      assertEquals(n, report.files());
      assertEquals(3, report.dirs());
      List<String> lines = Files.readAllLines(report.indexFile());
      assertEquals(n + 1, lines.size(), "header and one line per file");
      assertEquals(n + 1, new HashSet<>(lines).size(), "no file indexed twice");
      assertTrue(
          logs(jobs, handle.id()).stream()
              .anyMatch(l -> l.startsWith("Resumed from checkpoint at entry ")),
          "resume logged");
    }
  }

  private static String sha256(Path file) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

  private static void write(Path file, byte[] content) throws IOException {
    Files.createDirectories(file.getParent());
    Files.write(file, content);
  }
}
