package dev.jobkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Input that once escaped the one-line rule (issue 15): each is refused with one line on stderr and
 * the documented exit code, and creates no database.
 */
class JobkitHostileInputTest {
  @TempDir Path dir;
  CliHarness cli;

  @BeforeEach
  void setUp() {
    cli = new CliHarness(dir.resolve("jobs.db"));
  }

  /** Runs {@code args} and checks the exit code, a single error line, and no database file. */
  private String refused(int code, String... args) {
    CliHarness.Result r = cli.run(args).expect(code);
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().startsWith("jobkit: error: "), r.err());
    assertTrue(r.out().isEmpty(), r.out());
    assertFalse(Files.exists(cli.db), "a refused command must not create the database");
    return r.err().strip();
  }

  @Test
  void nullParametersAreBadInput() throws Exception {
    String expected =
        "jobkit: error: bad job parameters: cli.echo: $: expected a JSON object with the job's"
            + " parameters, got null; pass {} for no parameters";
    assertTrue(
        refused(ExitCodes.BAD_INPUT, "submit", "cli.echo", "--json", "null").startsWith(expected));
    assertTrue(
        refused(ExitCodes.BAD_INPUT, "submit", "cli.echo", "--json", " \n null ")
            .startsWith(expected));

    Path file = dir.resolve("null.json");
    Files.writeString(file, "null\n");
    assertTrue(
        refused(ExitCodes.BAD_INPUT, "submit", "cli.echo", "--json-file", file.toString())
            .startsWith(expected));

    cli.stdin = "null";
    assertTrue(
        refused(ExitCodes.BAD_INPUT, "submit", "cli.echo", "--json-file", "-")
            .startsWith(expected));
  }

  @Test
  void delaysAndTimesBeyondAHundredYearsAreUsageErrors() {
    for (String delay :
        List.of(
            "99999999999999d",
            "9223372036854775807s",
            "99999999999999999999999s",
            "PT9223372036854775807S",
            "36501d",
            "36500d1ms")) {
      String err = refused(ExitCodes.USAGE, "submit", "cli.echo", "--delay", delay);
      assertTrue(err.contains("'--delay'") && err.contains("'" + delay + "'"), err);
      assertTrue(err.contains("at most 36500d (100 years)"), err);
    }
    String timeout = refused(ExitCodes.USAGE, "submit", "cli.echo", "--timeout", "999999999w");
    assertTrue(timeout.contains("'--timeout'") && timeout.contains("at most 36500d"), timeout);

    for (String at : List.of("+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z")) {
      String err = refused(ExitCodes.USAGE, "submit", "cli.echo", "--at", at);
      assertTrue(err.contains("'--at'") && err.contains("'" + at + "'"), err);
      assertTrue(err.contains("within 100 years of now"), err);
    }

    // The largest values are accepted.
    cli.run("submit", "cli.echo", "--delay", "36500d").ok();
    cli.run("submit", "cli.echo", "--timeout", "P36500D").ok();
  }

  @Test
  void jsonInputIsReadOnlyUpToTheLimit() throws Exception {
    // Valid JSON, but longer than the CLI reads: refused before it is parsed.
    Path big = dir.resolve("big.json");
    Files.writeString(big, "{" + " ".repeat(SubmitCommand.MAX_JSON_BYTES) + "}");
    assertEquals(
        "jobkit: error: --json-file "
            + big
            + ": more than 8 MiB (8388608 bytes), the most jobkit reads for job parameters;"
            + " pass large data by reference, such as a path or URL",
        refused(ExitCodes.BAD_INPUT, "submit", "cli.echo", "--json-file", big.toString()));

    cli.stdin = "{\"text\": \"" + "x".repeat(SubmitCommand.MAX_JSON_BYTES) + "\"}";
    String stdin = refused(ExitCodes.BAD_INPUT, "submit", "cli.echo", "--json-file", "-");
    assertTrue(
        stdin.startsWith("jobkit: error: --json-file -: standard input has more than"), stdin);

    Path zero = Path.of("/dev/zero");
    Assumptions.assumeTrue(Files.isReadable(zero), "no /dev/zero on this system");
    String endless =
        assertTimeoutPreemptively(
            Duration.ofSeconds(30),
            () -> refused(ExitCodes.BAD_INPUT, "submit", "cli.echo", "--json-file", "/dev/zero"));
    assertTrue(endless.contains("/dev/zero: more than 8 MiB"), endless);
  }

  @Test
  void jsonInputThatIsNotUtf8IsBadInput() throws Exception {
    Path latin1 = dir.resolve("latin1.json");
    Files.write(
        latin1, new byte[] {'{', '"', 't', 'e', 'x', 't', '"', ':', '"', (byte) 0xe9, '"', '}'});
    assertEquals(
        "jobkit: error: --json-file " + latin1 + ": not UTF-8 text; save it as UTF-8",
        refused(ExitCodes.BAD_INPUT, "submit", "cli.echo", "--json-file", latin1.toString()));
  }

  @Test
  void parametersOverTheSizeLimitAreBadInputAndCreateNothing() throws Exception {
    // 1 MiB of text, under the JSON limit, but over the limit of the encoded parameters.
    Path file = dir.resolve("large.json");
    Files.writeString(file, "{\"text\": \"" + "x".repeat(1 << 20) + "\"}");
    String err = refused(ExitCodes.BAD_INPUT, "submit", "cli.echo", "--json-file", file.toString());
    assertTrue(
        err.matches(
            "jobkit: error: bad job parameters: cli.echo: they take 10485\\d\\d bytes encoded,"
                + " more than the limit of 1048576 bytes \\(1 MiB\\); .*"),
        err);

    // Just under the limit is accepted.
    Files.writeString(file, "{\"text\": \"" + "x".repeat((1 << 20) - 100) + "\"}");
    cli.run("submit", "cli.echo", "--json-file", file.toString()).ok();
  }

  @Test
  void listRefusesACursorThatIsNotAJobId() {
    for (String cursor :
        List.of(
            "garbage",
            "",
            "01M84C27J82P",
            "01M84C27J82P29FKJ0YA4MW63U",
            "81M84C27J82P29FKJ0YA4MW632")) {
      cli.submit("cli.echo", "{}"); // the database exists: the cursor alone is refused
      CliHarness.Result r = cli.run("list", "--cursor", cursor).expect(ExitCodes.USAGE);
      assertEquals(1, r.err().lines().count(), r.err());
      assertTrue(
          r.err().contains("'--cursor'")
              && r.err().contains("'" + cursor + "'")
              && r.err().contains("not a job id"),
          r.err());
      assertTrue(r.out().isEmpty(), r.out());
    }
  }

  @Test
  void listAcceptsACursorInAnyLetterCase() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(cli.submit("cli.echo", "{}"));
    }
    // Newest first: after the newest job come the two older ones.
    String page =
        cli.run("list", "--json", "--cursor", ids.get(2).toLowerCase(java.util.Locale.ROOT))
            .ok()
            .out();
    assertTrue(page.contains(ids.get(1)) && page.contains(ids.get(0)), page);
    assertFalse(page.contains(ids.get(2)), page);
  }

  @Test
  void blankQueueNamesAreRefusedByEveryCommand() {
    List<List<String>> commands =
        List.of(
            List.of("submit", "cli.echo"), List.of("list"), List.of("worker", "--workers", "1"));
    for (List<String> command : commands) {
      for (String queue : List.of("", "  ")) {
        List<String> args = new ArrayList<>(command);
        args.addAll(Arrays.asList("--queue", queue));
        // Without the check a worker would start and run until stopped.
        String err =
            assertTimeoutPreemptively(
                Duration.ofSeconds(20),
                () -> refused(ExitCodes.USAGE, args.toArray(String[]::new)),
                () -> String.join(" ", args) + " started");
        assertTrue(
            err.contains("Invalid value for option '--queue'")
                && err.contains("a queue name must not be blank"),
            err);
      }
    }
  }
}
