package dev.jobkit.examples.files;

import static dev.jobkit.examples.TestJobs.json;
import static dev.jobkit.examples.TestJobs.logs;
import static dev.jobkit.examples.TestJobs.output;
import static dev.jobkit.examples.TestJobs.progress;
import static dev.jobkit.examples.TestJobs.waitForState;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.LogLevel;
import dev.jobkit.examples.Failure;
import dev.jobkit.examples.TestJobs;
import dev.jobkit.runtime.JobHandle;
import dev.jobkit.runtime.JobInfo;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileCopyJobTest {
  @TempDir Path tmp;

  @Test
  void copiesATreeAndAFileAndListsAMissingSourceAsFailed() throws IOException {
    Path photos = tmp.resolve("src/photos");
    write(photos.resolve("a.jpg"), "aaa");
    write(photos.resolve("2024/b.jpg"), "bbbb");
    Path notes = write(tmp.resolve("src/notes.txt"), "hello");
    Path missing = tmp.resolve("src/missing.txt");
    Path dest = tmp.resolve("dest");

    try (JobManager jobs = TestJobs.open(tmp)) {
      String params =
          "{\"sources\": ["
              + json(photos)
              + ", "
              + json(notes)
              + ", "
              + json(missing)
              + "], \"destination\": "
              + json(dest)
              + "}";
      JobHandle<?> handle = jobs.dispatchByName("file_copy", params);
      CopyReport report = output(jobs, handle.id());

      assertEquals(3, report.files());
      assertEquals(3, report.copied());
      assertEquals(12, report.bytes());
      assertEquals(List.of(new Failure(missing.toString(), "no such file")), report.failed());
      assertEquals("bbbb", Files.readString(dest.resolve("photos/2024/b.jpg")));
      assertEquals("aaa", Files.readString(dest.resolve("photos/a.jpg")));
      assertEquals("hello", Files.readString(dest.resolve("notes.txt")));
      assertTrue(report.summary().startsWith("copied 3 of 3 files (12 B)"), report.summary());
      assertTrue(
          logs(jobs, handle.id(), LogLevel.WARN)
              .contains("Cannot read source " + missing + ": no such file"));
    }
  }

  @Test
  void skipsExistingFilesWhenOverwriteIsOff() throws IOException {
    Path a = write(tmp.resolve("src/a.txt"), "new");
    write(tmp.resolve("dest/a.txt"), "old");
    try (JobManager jobs = TestJobs.open(tmp)) {
      JobHandle<?> handle =
          jobs.dispatchByName(
              "file_copy",
              "{\"sources\": ["
                  + json(a)
                  + "], \"destination\": "
                  + json(tmp.resolve("dest"))
                  + ", \"overwrite\": false}");
      CopyReport report = output(jobs, handle.id());
      assertEquals(1, report.skipped());
      assertEquals(0, report.copied());
      assertEquals("old", Files.readString(tmp.resolve("dest/a.txt")));
    }
  }

  @Test
  void aMissingDestinationFailsAtOnceWithAClearMessage() {
    try (JobManager jobs = TestJobs.open(tmp)) {
      JobHandle<?> handle = jobs.dispatchByName("file_copy", "{\"sources\": [\"/x\"]}");
      JobInfo info = waitForState(jobs, handle.id(), JobState.FAILED);
      assertEquals(1, info.attempts());
      assertTrue(info.error().orElse("").contains("'destination' is required"), info.error().get());
    }
  }

  @Test
  void resumesAfterAPauseAtTheFirstFileNotYetCopied() throws IOException {
    int n = 40;
    Path src = tmp.resolve("src");
    for (int i = 0; i < n; i++) {
      write(src.resolve(String.format("dir%d/file%02d.txt", i % 4, i)), "content " + i);
    }
    Path dest = tmp.resolve("dest");

    try (JobManager jobs = TestJobs.open(tmp)) {
      JobHandle<?> handle =
          jobs.dispatchByName(
              "file_copy",
              "{\"sources\": ["
                  + json(src)
                  + "], \"destination\": "
                  + json(dest)
                  + ", \"throttleMillis\": 25}");
      await("5 files copied")
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> progress(jobs, handle.id(), "done") >= 5);
      handle.pause();
      waitForState(jobs, handle.id(), JobState.PAUSED);
      long copiedBeforeResume;
      try (Stream<Path> files = Files.walk(dest)) {
        copiedBeforeResume = files.filter(Files::isRegularFile).count();
      }
      assertTrue(copiedBeforeResume > 0 && copiedBeforeResume < n, "copied " + copiedBeforeResume);

      handle.resume();
      CopyReport report = output(jobs, handle.id());
      assertEquals(n, report.copied());
      assertEquals(List.of(), report.failed());

      List<String> log = logs(jobs, handle.id());
      Matcher resumed =
          Pattern.compile("Resumed from checkpoint at item (\\d+) of " + n)
              .matcher(String.join("\n", log));
      assertTrue(resumed.find(), "no resume line in " + log);
      long resumedAt = Long.parseLong(resumed.group(1));
      assertEquals(copiedBeforeResume + 1, resumedAt, "continues at the first file not copied");

      Map<String, Long> copies =
          log.stream()
              .filter(l -> l.startsWith("Copied " + src))
              .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
      assertEquals(n, copies.size(), "every file copied");
      assertFalse(copies.values().stream().anyMatch(c -> c > 1), "a file was copied twice");
      for (int i = 0; i < n; i++) {
        String name = String.format("dir%d/file%02d.txt", i % 4, i);
        assertArrayEquals(
            Files.readAllBytes(src.resolve(name)),
            Files.readAllBytes(dest.resolve("src").resolve(name)));
      }
    }
  }

  private static Path write(Path file, String content) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.writeString(file, content);
  }
}
