package dev.jobkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.TypeConversionException;

/** Help, global options, colour, database errors and plugins. */
class JobkitGlobalOptionsTest {
  @TempDir Path dir;
  CliHarness cli;

  @BeforeEach
  void setUp() {
    cli = new CliHarness(dir.resolve("jobs.db"));
  }

  @Test
  void helpListsCommandsExitCodesAndEnvironment() {
    String help = cli.raw("--help").ok().out();
    for (String c :
        List.of(
            "types", "submit", "list", "status", "logs", "cancel", "pause", "resume", "retry",
            "results", "stats", "cleanup", "storage", "worker")) {
      assertTrue(help.lines().anyMatch(l -> l.startsWith("  " + c + " ")), c + " in\n" + help);
    }
    assertTrue(help.contains("Exit codes:"), help);
    assertTrue(help.contains("   3   no job with that id or id prefix"), help);
    assertTrue(help.contains("JOBKIT_DB") && help.contains("NO_COLOR"), help);
    assertTrue(cli.raw("list", "--help").ok().out().contains("--status=STATE"));
    assertTrue(cli.raw("--version").ok().out().startsWith("jobkit "));

    CliHarness.Result none = cli.raw().expect(ExitCodes.USAGE);
    assertTrue(none.err().startsWith("Usage: jobkit"), none.err());
    CliHarness.Result typo = cli.raw("lsit").expect(ExitCodes.USAGE);
    assertEquals(1, typo.err().lines().count(), typo.err());
    assertEquals(
        "jobkit: error: unknown command 'lsit'; did you mean 'list'? " + "(see 'jobkit --help')",
        typo.err().strip());
    CliHarness.Result opt = cli.raw("list", "--colour").expect(ExitCodes.USAGE);
    assertTrue(
        opt.err().contains("Unknown option: '--colour'")
            && opt.err().contains("see 'jobkit list --help'"),
        opt.err());
  }

  @Test
  void databaseComesFromTheOptionTheEnvironmentOrTheDefault() {
    String id = cli.submit("cli.echo", "{}");
    // --db after the command name works as well as before it.
    assertTrue(cli.raw("status", id, "--db", cli.db.toString()).ok().out().contains(id));
    cli.env.put("JOBKIT_DB", cli.db.toString());
    assertTrue(cli.raw("status", id).ok().out().contains(id));
    cli.env.clear();
    CliHarness.Result dflt = cli.raw("status", id).expect(ExitCodes.STORAGE);
    assertTrue(
        dflt.err().startsWith("jobkit: error: no job database at ")
            && dflt.err().contains("jobkit.db (pass --db PATH or set JOBKIT_DB"),
        dflt.err());
  }

  @Test
  void databaseErrorsAreOneLineWithTheReason() throws Exception {
    CliHarness.Result missingDir =
        cli.raw("--db", dir.resolve("no/such/dir/x.db").toString(), "submit", "cli.echo")
            .expect(ExitCodes.STORAGE);
    assertEquals(1, missingDir.err().lines().count(), missingDir.err());
    assertTrue(missingDir.err().contains("no/such/dir"), missingDir.err());

    Path notDb = dir.resolve("text.db");
    Files.writeString(
        notDb, "this is not a database, just some text that is long enough ".repeat(40));
    CliHarness.Result garbage = cli.raw("--db", notDb.toString(), "list").expect(ExitCodes.STORAGE);
    assertTrue(
        garbage.err().startsWith("jobkit: error: ") && garbage.err().contains("text.db"),
        garbage.err());
    assertFalse(garbage.err().contains("\tat "), "no stack trace without --verbose");
    CliHarness.Result verbose =
        cli.raw("--verbose", "--db", notDb.toString(), "list").expect(ExitCodes.STORAGE);
    assertTrue(verbose.err().contains("\tat "), "stack trace with --verbose");

    CliHarness.Result dirAsDb = cli.raw("--db", dir.toString(), "list").expect(ExitCodes.STORAGE);
    assertTrue(dirAsDb.err().contains("it is a directory"), dirAsDb.err());

    CliHarness.Result mysql =
        cli.raw("--db", "jdbc:mysql://localhost/jobs", "list").expect(ExitCodes.USAGE);
    assertTrue(mysql.err().contains("only PostgreSQL JDBC URLs"), mysql.err());
    CliHarness.Result schema = cli.run("--pg-schema", "jobs", "list").expect(ExitCodes.USAGE);
    assertTrue(
        schema.err().contains("--pg-schema applies only to a PostgreSQL --db"), schema.err());
  }

  @Test
  void colourOnlyOnATerminalWithoutNoColor() {
    cli.submit("cli.echo", "{}");
    assertFalse(cli.run("list").ok().out().contains("\u001b["), "no colour off a terminal");
    cli.terminal = true;
    assertTrue(cli.run("list").ok().out().contains("\u001b[1mID"), "bold header on a terminal");
    assertFalse(cli.run("--no-color", "list").ok().out().contains("\u001b["));
    cli.env.put("NO_COLOR", "1");
    assertFalse(cli.run("list").ok().out().contains("\u001b["));
    cli.env.put("NO_COLOR", "");
    assertTrue(cli.run("list").ok().out().contains("\u001b["), "an empty NO_COLOR is unset");
  }

  @Test
  void pluginsGetTheirArgumentsAsTheyAre() {
    cli.plugins = List.of(new TestPlugin());
    assertTrue(
        cli.raw("--help")
            .ok()
            .out()
            .lines()
            .anyMatch(l -> l.matches("  echo-args +Prints its arguments \\(test plugin\\)\\.")));
    CliHarness.Result r =
        cli.raw("--verbose", "--db", "x.db", "echo-args", "--db", "y", "-x", "--help", "pos").ok();
    assertEquals("args=[--db, y, -x, --help, pos] verbose=true", r.line());
    assertEquals("args=[] verbose=false", cli.raw("echo-args").ok().line());
    assertEquals(7, cli.raw("echo-args", "exit=7").code());
    CliHarness.Result boom = cli.raw("echo-args", "boom").expect(ExitCodes.INTERNAL);
    assertTrue(
        boom.err()
            .startsWith(
                "jobkit: error: internal error: "
                    + "java.lang.IllegalStateException: plugin exploded"),
        boom.err());
    cli.raw("--bogus", "echo-args").expect(ExitCodes.USAGE);
  }

  @Test
  void globalOptionsReachAPluginThroughItsContext() {
    cli.plugins = List.of(new ContextPlugin());
    cli.submit("cli.echo", "{}");
    CliHarness.Result r = cli.raw("--verbose", "--db", cli.location, "count-jobs").ok();
    assertEquals(
        List.of("db=" + cli.location + " schema=- verbose=true", "jobs=1"),
        r.out().lines().toList());

    // Without --db: $JOBKIT_DB, as for the built-in commands.
    cli.env.put("JOBKIT_DB", cli.location);
    assertEquals("jobs=1", cli.raw("count-jobs").ok().out().lines().toList().get(1));

    // Errors are reported as the built-in commands report them.
    CliHarness.Result bad =
        cli.raw("--db", "jdbc:mysql://h/db", "count-jobs").expect(ExitCodes.USAGE);
    assertTrue(
        bad.err().startsWith("jobkit: error: --db jdbc:mysql://h/db: only PostgreSQL"), bad.err());
    CliHarness.Result schema =
        cli.raw("--db", cli.location, "--pg-schema", "s", "count-jobs").expect(ExitCodes.USAGE);
    assertTrue(
        schema.err().contains("--pg-schema applies only to a PostgreSQL --db"), schema.err());
  }

  @Test
  void pluginsAndJobsAreFoundOnTheExtraClasspath() throws Exception {
    Path extra = dir.resolve("plugins");
    Path services = extra.resolve("META-INF/services");
    Files.createDirectories(services);
    Files.writeString(
        services.resolve(CliPlugin.class.getName()), TestPlugin.class.getName() + "\n");
    CliHarness plain = new CliHarness(cli.db);
    plain.plugins = null; // discover with ServiceLoader
    plain.raw("echo-args").expect(ExitCodes.USAGE);
    assertEquals(
        "args=[a] verbose=false",
        plain.raw("--classpath", extra.toString(), "echo-args", "a").ok().line());
    assertEquals(
        "args=[b] verbose=false", plain.raw("--classpath=" + extra, "echo-args", "b").ok().line());
    assertTrue(
        plain.raw("--classpath", extra.toString(), "--help").ok().out().contains("echo-args"));

    CliHarness.Result missing =
        plain
            .raw("--classpath", dir.resolve("nope.jar").toString(), "types")
            .expect(ExitCodes.BAD_INPUT);
    assertTrue(missing.err().contains("nope.jar does not exist"), missing.err());
  }

  @Test
  void durationsParseTheUsualForms() {
    assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
    assertEquals(Duration.ofSeconds(10), Durations.parse("10s"));
    assertEquals(Duration.ofMinutes(90), Durations.parse("1h30m"));
    assertEquals(Duration.ofDays(7), Durations.parse("7d"));
    assertEquals(Duration.ofDays(14), Durations.parse("2w"));
    assertEquals(Duration.ofSeconds(30), Durations.parse("PT30S"));
    assertEquals(Duration.ZERO, Durations.parse("0"));
    for (String bad : List.of("", "10", "s", "1x", "1h 30m", "-5s", "P")) {
      assertThrows(TypeConversionException.class, () -> Durations.parse(bad), bad);
    }
    assertEquals("450ms", Durations.format(Duration.ofMillis(450)));
    assertEquals("1.2s", Durations.format(Duration.ofMillis(1234)));
    assertEquals("3m05s", Durations.format(Duration.ofSeconds(185)));
    assertEquals("2h10m", Durations.format(Duration.ofMinutes(130)));
    assertEquals("3d4h", Durations.format(Duration.ofHours(76)));
  }
}
