package dev.jobkit.examples.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.JobDecodeException;
import dev.jobkit.JobRegistry;
import dev.jobkit.examples.Failure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The example jobs' {@code @State} fields: refused in dispatch JSON, left out of {@code toJson} and
 * the parameter schema, kept by MessagePack checkpoints.
 */
class ParametersAndStateTest {
  private static final JobRegistry REGISTRY = JobRegistry.load();

  @Test
  void dispatchJsonWithAStateFieldIsRefusedNamingJobFieldAndPlace() {
    JobDecodeException e =
        assertThrows(
            JobDecodeException.class,
            () ->
                REGISTRY.fromJson(
                    "file_copy",
                    "{\"sources\": [\"/a\"], \"destination\": \"/b\",\n \"nextIndex\": 50}"));
    assertEquals(
        "file_copy: $.nextIndex: 'nextIndex' is state of the job, written by the job while it runs;"
            + " it cannot be given at dispatch (parameters: checkpointEvery, destination, overwrite,"
            + " sources, throttleMillis) (line 2, column 2)",
        e.getMessage());
    assertEquals("file_copy", e.jobName());
    assertEquals("$.nextIndex", e.path());
  }

  @Test
  void theTourJobRefusesItsProgressAsTheGuideSays() throws IOException {
    JobDecodeException e =
        assertThrows(
            JobDecodeException.class,
            () -> REGISTRY.fromJson("word_count", "{\"done\": 50, \"files\": []}"));
    String message = e.getMessage();
    assertEquals(
        "word_count: $.done: 'done' is state of the job, written by the job while it runs; it cannot"
            + " be given at dispatch (parameters: files, throttleMillis) (line 1, column 2)",
        message);
    assertTrue(guide().contains("`" + message + "`"), "docs/getting-started.md quotes " + message);
  }

  private static String guide() throws IOException {
    Path dir = Path.of("").toAbsolutePath();
    while (!Files.isRegularFile(dir.resolve("docs/getting-started.md"))) {
      dir = dir.getParent();
    }
    return Files.readString(dir.resolve("docs/getting-started.md"));
  }

  @Test
  void everyExampleJobsSchemaListsItsParametersAndNoState() {
    Map<String, List<String>> parameters =
        Map.of(
            "file_copy",
                List.of("sources", "destination", "overwrite", "checkpointEvery", "throttleMillis"),
            "indexer", List.of("root", "mode", "checkpointEvery", "indexFile", "throttleMillis"),
            "site_crawl", List.of("startUrl", "maxPages", "maxBytes", "maxDuration", "delayMillis"),
            "shell",
                List.of(
                    "command",
                    "workingDir",
                    "env",
                    "failOnNonZeroExit",
                    "retryOnFailure",
                    "stopGrace"),
            "report", List.of("database", "jobIds"),
            "word_count", List.of("files", "throttleMillis"));
    Map<String, List<String>> state =
        Map.of(
            "file_copy",
                List.of(
                    "plan", "nextIndex", "copied", "skipped", "bytesCopied", "failed", "startedAt"),
            "indexer",
                List.of(
                    "entriesDone",
                    "indexBytes",
                    "files",
                    "dirs",
                    "bytes",
                    "lines",
                    "words",
                    "filesByExtension",
                    "bytesByExtension",
                    "filesByType",
                    "errors",
                    "startedAt"),
            "site_crawl",
                List.of(
                    "frontier",
                    "seen",
                    "pages",
                    "bytes",
                    "externalLinks",
                    "elapsedMillis",
                    "brokenLinks"),
            "shell", List.of(),
            "report", List.of(),
            "word_count", List.of("done", "lines", "words"));
    parameters.forEach(
        (job, names) -> {
          String schema = REGISTRY.schema(job);
          for (String p : names) {
            assertTrue(
                schema.contains("\"" + p + "\":{"), job + " schema lacks " + p + ": " + schema);
          }
          for (String s : state.get(job)) {
            assertFalse(
                schema.contains("\"" + s + "\":{"),
                job + " schema lists state " + s + ": " + schema);
          }
        });
  }

  @Test
  void fileCopySchemaDescribesEachParameterWithDefaultsAndRequired() {
    assertEquals(
        "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"title\":\"file_copy\","
            + "\"type\":\"object\",\"properties\":{"
            + "\"sources\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},"
            + "\"description\":\"The files and directories to copy.\"},"
            + "\"destination\":{\"type\":\"string\","
            + "\"description\":\"The directory to copy into; created if missing.\"},"
            + "\"overwrite\":{\"type\":\"boolean\",\"description\":\"Whether files already at the"
            + " destination are replaced (default) or skipped.\",\"default\":true},"
            + "\"checkpointEvery\":{\"type\":\"integer\",\"minimum\":-2147483648,"
            + "\"maximum\":2147483647,\"description\":\"Checkpoint after every this many files;"
            + " default 1, after each file.\",\"default\":1},"
            + "\"throttleMillis\":{\"type\":\"integer\",\"description\":\"Milliseconds to wait"
            + " after each file, to make the job slow enough to watch; default 0.\",\"default\":0}},"
            + "\"required\":[\"sources\",\"destination\"],\"additionalProperties\":false}",
        REGISTRY.schema("file_copy"));
  }

  @Test
  void aNullableParameterIsNotRequired() {
    assertTrue(REGISTRY.schema("indexer").contains(",\"required\":[\"root\"],"));
    assertTrue(REGISTRY.schema("shell").contains(",\"required\":[\"command\"],"));
  }

  @Test
  void toJsonWritesParametersOnlySoDispatchReadsItBack() {
    FileCopyJob job = new FileCopyJob(List.of(Path.of("/a")), Path.of("/b"));
    job.nextIndex = 3;
    String json = REGISTRY.toJson(job);
    assertEquals(
        "{\"sources\":[\"/a\"],\"destination\":\"/b\",\"overwrite\":true,\"checkpointEvery\":1,"
            + "\"throttleMillis\":0}",
        json);
    FileCopyJob again = REGISTRY.fromJson("file_copy", json);
    assertEquals(List.of(Path.of("/a")), again.sources);
    assertEquals(0, again.nextIndex);
  }

  @Test
  void aMessagePackCheckpointKeepsParametersAndState() {
    FileCopyJob job = new FileCopyJob(List.of(Path.of("/a")), Path.of("/b"));
    job.plan = List.of(new CopyItem(Path.of("/a"), Path.of("/b/a"), 10));
    job.nextIndex = 1;
    job.copied = 1;
    job.bytesCopied = 10;
    job.failed.add(new Failure("/c", "unreadable"));
    job.startedAt = Instant.parse("2026-01-02T03:04:05Z");

    FileCopyJob back = REGISTRY.fromMsgpack("file_copy", REGISTRY.toMsgpack(job));

    assertEquals(List.of(Path.of("/a")), back.sources);
    assertEquals(Path.of("/b"), back.destination);
    assertEquals(job.plan, back.plan);
    assertEquals(1, back.nextIndex);
    assertEquals(1, back.copied);
    assertEquals(10, back.bytesCopied);
    assertEquals(job.failed, back.failed);
    assertEquals(job.startedAt, back.startedAt);
  }
}
