package dev.jobkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.runtime.JobDetail;
import dev.jobkit.runtime.JobInfo;
import dev.jobkit.runtime.JobManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jobkit templates save|list|show|delete} and {@code jobkit submit --template} (#12). */
class JobkitTemplatesTest {
  @TempDir Path dir;

  @Test
  void saveListShowUpdateAndDelete() {
    CliHarness cli = new CliHarness(dir.resolve("jobs.db"));
    assertEquals(
        "saved template shout (cli.echo)",
        cli.run(
                "templates",
                "save",
                "shout",
                "--job",
                "cli.echo",
                "--json",
                "{\"text\": \"hi\"}",
                "--description",
                "Says hi")
            .ok()
            .line());
    assertEquals(
        "updated template shout (cli.echo)",
        cli.run("templates", "save", "shout", "--job", "cli.echo", "--json", "{\"text\":\"yo\"}")
            .ok()
            .line());
    cli.run("templates", "save", "quiet", "--job", "cli.echo").ok();

    String table = cli.run("templates", "list").ok().out();
    List<String> rows = table.lines().toList();
    assertEquals(3, rows.size(), table);
    assertTrue(rows.get(0).startsWith("NAME"), table);
    assertTrue(rows.get(1).startsWith("quiet") && rows.get(2).startsWith("shout"), table);

    String json = cli.run("templates", "list", "--json").ok().line();
    assertTrue(
        json.startsWith(
            "[{\"name\":\"quiet\",\"job\":\"cli.echo\",\"tenant\":\"default\",\"params\":{},\"description\":null,"),
        json);
    assertTrue(
        json.contains(
            "{\"name\":\"shout\",\"job\":\"cli.echo\",\"tenant\":\"default\",\"params\":{\"text\":\"yo\"}"));
    assertTrue(json.contains("\"createdBy\":\"" + KeysCommand.ACTOR + "\""), json);

    String show = cli.run("templates", "show", "shout").ok().out();
    assertTrue(show.contains("job          cli.echo"), show);
    assertFalse(show.contains("description"), "an update without --description clears it: " + show);
    assertTrue(show.contains("\"text\" : \"yo\""), show);

    CliHarness.Result missing = cli.run("templates", "show", "shuot").expect(ExitCodes.NOT_FOUND);
    assertTrue(missing.err().contains("did you mean 'shout'?"), missing.err());

    assertEquals("deleted template shout", cli.run("templates", "delete", "shout").ok().line());
    cli.run("templates", "delete", "shout").expect(ExitCodes.NOT_FOUND);
    cli.run("templates").expect(ExitCodes.USAGE);
  }

  @Test
  void saveRefusesBadInputBeforeTheDatabaseIsCreated() {
    Path db = dir.resolve("jobs.db");
    CliHarness cli = new CliHarness(db);
    CliHarness.Result type =
        cli.run("templates", "save", "x", "--job", "cli.ecko").expect(ExitCodes.BAD_INPUT);
    assertTrue(type.err().startsWith("jobkit: error: template 'x': unknown job 'cli.ecko'"));
    assertTrue(type.err().contains("did you mean 'cli.echo'?"), type.err());

    CliHarness.Result json =
        cli.run("templates", "save", "x", "--job", "cli.echo", "--json", "{\"lines\": \"many\"}")
            .expect(ExitCodes.BAD_INPUT);
    assertTrue(
        json.err().startsWith("jobkit: error: template 'x': cli.echo: $.lines: "), json.err());
    assertTrue(json.err().contains("(line 1, column "), json.err());
    assertEquals(1, json.err().strip().lines().count(), json.err());
    assertFalse(Files.exists(db));
  }

  @Test
  void submitATemplateWithSets() {
    CliHarness cli = new CliHarness(dir.resolve("jobs.db"));
    cli.run("templates", "save", "shout", "--job", "cli.echo", "--json", "{\"text\":\"hi\"}").ok();

    String id =
        cli.run(
                "submit",
                "--template",
                "shout",
                "--set",
                "text=hello world",
                "--set",
                "lines=3",
                "--tag",
                "mine")
            .ok()
            .line();
    try (JobManager jobs = cli.builder().noWorkers().open()) {
      JobInfo info = jobs.job(id).orElseThrow();
      assertEquals("cli.echo", info.name());
      assertEquals(List.of("mine", "template:shout"), info.tags());
      assertEquals(Optional.of(KeysCommand.ACTOR), info.createdBy());
      JobDetail d = jobs.detail(id).orElseThrow();
      assertEquals(Optional.of("{\"text\":\"hello world\",\"lines\":3}"), d.paramsJson());
    }

    CliHarness.Result unknown =
        cli.run("submit", "--template", "shuot").expect(ExitCodes.NOT_FOUND);
    assertEquals(
        "jobkit: error: unknown template 'shuot'; did you mean 'shout'?; see jobkit templates list",
        unknown.err().strip());
    CliHarness.Result badSet =
        cli.run("submit", "--template", "shout", "--set", "text.x=1").expect(ExitCodes.BAD_INPUT);
    assertTrue(badSet.err().contains("$.text is a string, not an object"), badSet.err());
    CliHarness.Result badType =
        cli.run("submit", "--template", "shout", "--set", "lines=many").expect(ExitCodes.BAD_INPUT);
    assertTrue(badType.err().contains("cli.echo: $.lines: "), badType.err());

    cli.run("submit", "cli.echo", "--template", "shout").expect(ExitCodes.USAGE);
    cli.run("submit", "--template", "shout", "--json", "{}").expect(ExitCodes.USAGE);
    cli.run("submit", "cli.echo", "--set", "text=x").expect(ExitCodes.USAGE);
    cli.run("submit", "--template", "shout", "--set", "text").expect(ExitCodes.USAGE);
    cli.run("submit").expect(ExitCodes.USAGE);
    try (JobManager jobs = cli.builder().noWorkers().open()) {
      assertEquals(1, jobs.list(dev.jobkit.runtime.JobQuery.builder().build()).jobs().size());
    }
  }

  @Test
  void exportAndImportCarryTemplates() throws Exception {
    CliHarness cli = new CliHarness(dir.resolve("jobs.db"));
    cli.run(
            "templates",
            "save",
            "shout",
            "--job",
            "cli.echo",
            "--json",
            "{\"text\":\"hi\"}",
            "--description",
            "Says hi")
        .ok();
    cli.submit("cli.echo", "{\"text\":\"a\"}");
    String export = cli.run("export").ok().out();
    List<String> lines = export.lines().toList();
    assertEquals(3, lines.size(), export);
    assertTrue(lines.get(0).startsWith("{\"format\":\"jobkit-jobs\",\"version\":2,"), export);
    assertTrue(
        lines
            .get(1)
            .startsWith(
                "{\"kind\":\"template\",\"name\":\"shout\",\"job\":\"cli.echo\","
                    + "\"params\":{\"text\":\"hi\"},\"description\":\"Says hi\","),
        lines.get(1));
    assertEquals(2, cli.run("export", "--no-templates").ok().out().lines().count());

    Path file = dir.resolve("jobs.jsonl");
    Files.writeString(file, export);
    CliHarness copy = new CliHarness(dir.resolve("copy.db"));
    CliHarness.Result r = copy.run("import", file.toString()).ok();
    assertTrue(r.out().contains("imported 1 job into "), r.out());
    assertTrue(r.out().contains("imported 1 template"), r.out());
    assertEquals(
        cli.run("templates", "list", "--json").ok().out(),
        copy.run("templates", "list", "--json").ok().out());

    CliHarness.Result again = copy.run("import", file.toString(), "--json").ok();
    assertEquals(
        "{\"imported\":0,\"replaced\":0,\"skipped\":1,\"requeued\":[],"
            + "\"templates\":{\"imported\":0,\"replaced\":0,\"skipped\":1}}",
        again.line());

    Files.writeString(file, export + lines.get(1) + "\n");
    CliHarness.Result dup = copy.run("import", file.toString()).expect(ExitCodes.BAD_INPUT);
    assertTrue(dup.err().contains("line 4: template shout is also on line 2"), dup.err());
  }
}
