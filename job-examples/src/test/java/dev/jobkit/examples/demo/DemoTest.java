package dev.jobkit.examples.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** Runs the whole demo, with real worker processes, and checks what it says. */
@DisabledOnOs(OS.WINDOWS)
class DemoTest {
  @TempDir Path tmp;

  @Test
  void killsTheWorkerAndResumesTheCopyFromItsCheckpoint() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    long start = System.nanoTime();
    int exit =
        Demo.run(
            List.of("--workspace", tmp.resolve("ws").toString()),
            new PrintWriter(out),
            new PrintWriter(err),
            true);
    String text = out.toString();
    System.out.println(text);

    assertEquals(0, exit, text + err);
    assertTrue(text.contains("Killed the worker (pid "), text);
    Matcher resumed =
        Pattern.compile(
                "file_copy resumed from its checkpoint at item (\\d+) of " + Demo.SAMPLE_FILES)
            .matcher(text);
    assertTrue(resumed.find(), text);
    assertTrue(Integer.parseInt(resumed.group(1)) > Demo.KILL_AFTER_FILES, text);
    for (String name : List.of("file_copy", "indexer", "site_crawl", "shell", "report")) {
      assertTrue(
          Pattern.compile("(?m)^  \\S+\\s+" + name + "\\s+COMPLETED\\s").matcher(text).find(),
          name + " not COMPLETED in the summary:\n" + text);
    }
    assertTrue(text.contains("All 5 jobs COMPLETED"), text);
    System.out.println("demo took " + (System.nanoTime() - start) / 1_000_000 + " ms");
  }

  @Test
  void rejectsAnUnknownOption() {
    StringWriter err = new StringWriter();
    assertEquals(
        2,
        Demo.run(
            List.of("--bogus"), new PrintWriter(new StringWriter()), new PrintWriter(err), false));
    assertTrue(err.toString().contains("Unknown option: '--bogus'"), err.toString());
  }
}
