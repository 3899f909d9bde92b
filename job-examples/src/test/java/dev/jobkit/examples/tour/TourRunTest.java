package dev.jobkit.examples.tour;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.JobDecodeException;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobQuery;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the code of docs/getting-started.md, section "Dispatch", against a real SQLite file. */
class TourRunTest {
  @TempDir Path tmp;

  @Test
  void dispatchesByNameFromJsonPrintsProgressAndTheResult() throws Exception {
    TourFiles input = TourFiles.write(tmp.resolve("in"), 3);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    Object result = TourMain.run(tmp.resolve("jobkit.db"), input.json(100), print(bytes));

    assertEquals(input.expected(), result);
    String out = bytes.toString(UTF_8);
    assertTrue(out.startsWith("job "), out);
    assertTrue(out.contains("\n  3/3 files\n"), "progress printed: " + out);
    assertTrue(
        out.endsWith(
            "result: WordCount[files=3, lines=" + input.lines + ", words=" + input.words + "]\n"),
        out);
    assertFalse(out.contains("log: Resumed"), "a first run is not resumed: " + out);
  }

  @Test
  void runningAgainWithTheSameJsonFindsTheSameJobAndItsStoredResult() throws Exception {
    TourFiles input = TourFiles.write(tmp.resolve("in"), 2);
    Path db = tmp.resolve("jobkit.db");
    ByteArrayOutputStream first = new ByteArrayOutputStream();
    ByteArrayOutputStream second = new ByteArrayOutputStream();

    TourMain.run(db, input.json(0), print(first));
    Object again = TourMain.run(db, input.json(0), print(second));

    assertEquals(input.expected(), again);
    String firstOut = first.toString(UTF_8);
    String secondOut = second.toString(UTF_8);
    assertEquals(firstOut.lines().findFirst(), secondOut.lines().findFirst(), "same job id");
    assertFalse(secondOut.contains("files\n"), "no progress: it had ended: " + secondOut);
    try (JobManager jobs = JobManager.builder().database(db).noWorkers().open()) {
      assertEquals(1, jobs.list(JobQuery.all()).jobs().size(), "one job stored");
    }
  }

  @Test
  void typedDispatchReturnsATypedResult() throws Exception {
    TourFiles input = TourFiles.write(tmp.resolve("in"), 4);
    try (JobManager jobs = JobManager.open(tmp.resolve("jobkit.db"))) {
      WordCount count = TourMain.typed(jobs, input.files);
      assertEquals(input.expected(), count);
    }
  }

  @Test
  void aTypoInTheJsonIsRefusedWithTheMessageTheGuideShows() throws Exception {
    try (JobManager jobs = JobManager.open(tmp.resolve("jobkit.db"))) {
      JobDecodeException e =
          assertThrows(
              JobDecodeException.class,
              () -> jobs.dispatchByName("word_count", "{\"file\": [\"README.md\"]}"));
      String guide = TourDocTest.guide();
      assertTrue(guide.contains(e.getMessage()), "guide quotes: " + e.getMessage());
      assertTrue(jobs.list(JobQuery.all()).jobs().isEmpty(), "nothing stored");
    }
  }

  private static PrintStream print(ByteArrayOutputStream bytes) {
    return new PrintStream(bytes, true, UTF_8);
  }
}
