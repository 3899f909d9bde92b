package dev.jobkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.runtime.DispatchOptions;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobQuery;
import dev.jobkit.runtime.QuotaExceededException;
import dev.jobkit.runtime.TenantInfo;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * #14 tenants: {@code jobkit tenants}, {@code jobkit audit}, quotas as exit code 75, and the tenant
 * scope of schedules, templates and batches.
 */
class JobkitTenantSettingsTest {
  @TempDir Path dir;
  CliHarness cli;

  @BeforeEach
  void setUp() {
    cli = new CliHarness(dir.resolve("jobs.db"));
  }

  private TenantInfo tenant(String name) {
    try (JobManager jobs = cli.builder().noWorkers().open()) {
      return jobs.tenants().get(name).orElseThrow();
    }
  }

  private long stored(String tenant) {
    try (JobManager jobs = cli.builder().noWorkers().open()) {
      return jobs.list(JobQuery.builder().tenant(tenant).limit(1000).build()).jobs().size();
    }
  }

  @Test
  void aQuotaExceptionIsOneLineAndExitCode75() {
    StringWriter err = new StringWriter();
    int code =
        new Jobkit(Map.of(), false, List.of())
            .report(
                new QuotaExceededException(
                    "acme",
                    QuotaExceededException.Quota.SUBMISSION_RATE,
                    100,
                    Duration.ofMillis(412)),
                new PrintWriter(err, true));
    assertEquals(ExitCodes.QUOTA_EXCEEDED, code);
    assertEquals(75, ExitCodes.QUOTA_EXCEEDED);
    assertEquals(1, err.toString().strip().lines().count(), err.toString());
    assertTrue(err.toString().startsWith("jobkit: error: tenant 'acme' "), err.toString());
  }

  @Test
  void setCreatesThenChangesOnlyTheGivenSettingsAndShowListAndDeleteFollow() {
    CliHarness.Result r =
        cli.run(
                "tenants",
                "set",
                "acme",
                "--weight",
                "3",
                "--max-queued",
                "100",
                "--submissions",
                "60/1m",
                "--burst",
                "10",
                "--description",
                "Acme Corp")
            .ok();
    assertEquals(
        "created tenant acme: weight 3, max queued 100, max running none, submissions 60/1m"
            + " (burst 10), max stored bytes none",
        r.line());
    cli.run("tenants", "put", "acme", "--max-running", "4").ok();
    TenantInfo t = tenant("acme");
    assertEquals(3, t.spec().weight(), "kept");
    assertEquals(100, t.spec().maxQueued(), "kept");
    assertEquals(4, t.spec().maxRunning(), "changed");
    assertEquals(60, t.spec().submissions());
    assertEquals(Duration.ofMinutes(1), t.spec().submissionPeriod());
    assertEquals(10, t.spec().burst());
    cli.run("tenants", "set", "acme", "--submissions", "0").ok();
    assertEquals(0, tenant("acme").spec().submissions(), "0 turns the rate off");

    cli.submit("cli.echo", "{}", "--tenant", "acme", "--queue", "nobody");
    String show = cli.run("tenants", "show", "acme").ok().out();
    assertTrue(
        show.contains("weight        3") && show.contains("queued        1 (max 100)"), show);
    assertTrue(show.contains("description   Acme Corp"), show);
    String json = cli.run("tenants", "show", "acme", "--json").ok().out();
    assertTrue(json.contains("\"maxRunning\":4") && json.contains("\"configured\":true"), json);

    cli.submit("cli.echo", "{}", "--tenant", "globex", "--queue", "nobody");
    String list = cli.run("tenants", "list").ok().out();
    assertTrue(list.lines().anyMatch(l -> l.startsWith("acme ") && l.contains("Acme Corp")), list);
    assertTrue(
        list.lines().anyMatch(l -> l.startsWith("globex ") && l.contains("(no settings)")), list);
    String only = cli.run("tenants", "list", "--tenant", "globex", "--json").ok().out();
    assertTrue(only.contains("\"globex\"") && !only.contains("\"acme\""), only);

    assertEquals(
        "deleted the settings of tenant acme; its jobs, schedules, templates and keys stay",
        cli.run("tenants", "delete", "acme").ok().line());
    cli.run("tenants", "delete", "acme").expect(ExitCodes.NOT_FOUND);
    assertEquals(1, stored("acme"), "the jobs stay");
    cli.run("tenants", "show", "nobody").expect(ExitCodes.NOT_FOUND);
  }

  @Test
  void badSettingsAreUsageErrorsThatNameThem() {
    CliHarness.Result rate =
        cli.run("tenants", "set", "acme", "--submissions", "ten/1m").expect(ExitCodes.USAGE);
    assertTrue(rate.err().contains("invalid rate 'ten/1m': use N/PERIOD"), rate.err());
    CliHarness.Result zero =
        cli.run("tenants", "set", "acme", "--submissions", "5/0s").expect(ExitCodes.USAGE);
    assertTrue(zero.err().contains("the period must be at least 1ms"), zero.err());
    CliHarness.Result weight =
        cli.run("tenants", "set", "acme", "--weight", "0").expect(ExitCodes.USAGE);
    assertTrue(weight.err().contains("weight must be between 1 and 1000"), weight.err());
    CliHarness.Result name = cli.run("tenants", "set", "Acme").expect(ExitCodes.USAGE);
    assertTrue(name.err().contains("tenant 'Acme' is not a valid tenant name"), name.err());
    CliHarness.Result other =
        cli.run("tenants", "set", "acme", "--tenant", "globex").expect(ExitCodes.USAGE);
    assertTrue(other.err().contains("limits this command to tenant 'globex'"), other.err());
    CliHarness.Result burst =
        cli.run("tenants", "set", "acme", "--burst", "5").expect(ExitCodes.USAGE);
    assertTrue(burst.err().contains("--burst applies to a submission rate"), burst.err());
    cli.run("tenants").expect(ExitCodes.USAGE);
  }

  @Test
  void aSubmissionOverMaxQueuedFailsWithExitCode75AndStoresNothing() {
    cli.run("tenants", "set", "acme", "--max-queued", "2").ok();
    cli.submit("cli.echo", "{}", "--tenant", "acme", "--queue", "nobody");
    cli.submit("cli.echo", "{}", "--tenant", "acme", "--queue", "nobody");
    CliHarness.Result r =
        cli.run("submit", "cli.echo", "--tenant", "acme", "--queue", "nobody")
            .expect(ExitCodes.QUOTA_EXCEEDED);
    assertEquals("", r.out());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().startsWith("jobkit: error: tenant 'acme' "), r.err());
    assertEquals(2, stored("acme"));
    // Other tenants are not limited by acme's quota.
    cli.submit("cli.echo", "{}", "--tenant", "globex", "--queue", "nobody");
  }

  @Test
  void aSubmissionOverTheRateFailsWithExitCode75() {
    cli.run("tenants", "set", "acme", "--submissions", "2/1h").ok();
    cli.submit("cli.echo", "{}", "--tenant", "acme");
    cli.submit("cli.echo", "{}", "--tenant", "acme");
    CliHarness.Result r =
        cli.run("submit", "cli.echo", "--tenant", "acme").expect(ExitCodes.QUOTA_EXCEEDED);
    assertTrue(r.err().contains("tenant 'acme'"), r.err());
    assertEquals(2, stored("acme"));
  }

  @Test
  void auditListShowsTheCliActionsWithFilters() {
    cli.run("tenants", "set", "acme", "--weight", "2").ok();
    String id = cli.submit("cli.echo", "{}", "--tenant", "acme", "--queue", "nobody");
    cli.run("cancel", id).ok();
    cli.submit("cli.echo", "{}", "--queue", "nobody");

    String all = cli.run("audit", "list").ok().out();
    assertTrue(all.startsWith("TIME"), all);
    assertTrue(all.contains(KeysCommand.ACTOR) && all.contains("job.cancel"), all);
    assertTrue(all.contains("tenant.put"), all);

    String json =
        cli.run("audit", "list", "--tenant", "acme", "--action", "job.*", "--json").ok().out();
    assertTrue(json.contains("\"action\" : \"job.cancel\""), json);
    assertTrue(json.contains("\"action\" : \"job.submit\""), json);
    assertTrue(json.contains("\"target\" : \"" + id + "\""), json);
    assertFalse(json.contains("tenant.put"), json);
    assertFalse(json.contains("\"tenant\" : \"default\""), json);

    String page = cli.run("audit", "list", "--limit", "1").ok().err();
    assertTrue(page.contains("more entries: jobkit audit list --cursor "), page);
    assertEquals("no audit entries", cli.run("audit", "list", "--actor", "key:nobody").ok().line());
    assertEquals(
        "no audit entries",
        cli.run("audit", "list", "--since", "2999-01-01T00:00:00Z").ok().line());
    cli.run("audit", "list", "--since", "yesterday").expect(ExitCodes.USAGE);
    cli.run("audit", "list", "--limit", "0").expect(ExitCodes.USAGE);
  }

  @Test
  void templatesAreSavedIntoTheTenantAndSeenOnlyThere() {
    cli.run("templates", "save", "shout", "--job", "cli.echo", "--tenant", "acme").ok();
    cli.run("templates", "save", "plain", "--job", "cli.echo").ok();
    String list = cli.run("templates", "list").ok().out();
    assertTrue(list.startsWith("NAME   TENANT"), list);
    String acme = cli.run("templates", "list", "--tenant", "acme", "--json").ok().out();
    assertTrue(acme.contains("\"shout\"") && !acme.contains("\"plain\""), acme);
    assertTrue(acme.contains("\"tenant\":\"acme\""), acme);

    cli.run("templates", "show", "shout", "--tenant", "globex").expect(ExitCodes.NOT_FOUND);
    cli.run("templates", "delete", "shout", "--tenant", "globex").expect(ExitCodes.NOT_FOUND);
    CliHarness.Result taken =
        cli.run("templates", "save", "shout", "--job", "cli.echo", "--tenant", "globex")
            .expect(ExitCodes.BAD_INPUT);
    assertTrue(taken.err().contains("another tenant has a template with this name"), taken.err());
    cli.run("submit", "--template", "shout", "--tenant", "globex").expect(ExitCodes.NOT_FOUND);

    // Submitted from the template: into its tenant, with or without --tenant.
    String id = cli.run("submit", "--template", "shout").ok().line();
    assertTrue(cli.run("status", id, "--json").ok().out().contains("\"tenant\" : \"acme\""));
    // Replaced without --tenant: the template stays acme's.
    cli.run("templates", "save", "shout", "--job", "cli.echo", "--json", "{\"text\":\"x\"}").ok();
    assertTrue(
        cli.run("templates", "show", "shout", "--tenant", "acme").ok().out().contains("acme"));
  }

  @Test
  void schedulesAreAddedIntoTheTenantAndSeenOnlyThere() {
    cli.run("schedules", "add", "tick", "--every", "1h", "--job", "cli.echo", "--tenant", "acme")
        .ok();
    cli.run("schedules", "add", "tock", "--every", "1h", "--job", "cli.echo").ok();
    String list = cli.run("schedules", "list").ok().out();
    assertTrue(list.startsWith("NAME  TENANT"), list);
    String acme = cli.run("schedules", "list", "--tenant", "acme", "--json").ok().out();
    assertTrue(acme.contains("\"tick\"") && !acme.contains("\"tock\""), acme);
    for (String sub : List.of("show", "pause", "resume", "trigger", "delete")) {
      cli.run("schedules", sub, "tick", "--tenant", "globex").expect(ExitCodes.NOT_FOUND);
    }
    CliHarness.Result taken =
        cli.run(
                "schedules",
                "add",
                "tick",
                "--every",
                "1h",
                "--job",
                "cli.echo",
                "--tenant",
                "globex")
            .expect(ExitCodes.BAD_INPUT);
    assertTrue(taken.err().contains("another tenant has a schedule with this name"), taken.err());
    String id = cli.run("schedules", "trigger", "tick", "--tenant", "acme").ok().line();
    assertTrue(cli.run("status", id, "--json").ok().out().contains("\"tenant\" : \"acme\""));
    // Replaced without --tenant: the schedule stays acme's.
    cli.run("schedules", "add", "tick", "--every", "2h", "--job", "cli.echo").ok();
    assertTrue(
        cli.run("schedules", "show", "tick", "--tenant", "acme").ok().out().contains("acme"));
  }

  @Test
  void batchesAreListedAndShownInTheirTenantOnly() {
    String acme;
    String plain;
    try (JobManager jobs = cli.builder().noWorkers().open()) {
      acme =
          jobs.batch()
              .tenant("acme")
              .name("a")
              .add("cli.echo", "{}", DispatchOptions.builder().queue("nobody").build())
              .dispatch()
              .id();
      plain =
          jobs.batch()
              .name("p")
              .add("cli.echo", "{}", DispatchOptions.builder().queue("nobody").build())
              .dispatch()
              .id();
    }
    String list = cli.run("batches", "list").ok().out();
    assertTrue(list.lines().findFirst().orElseThrow().contains("TENANT"), list);
    String only = cli.run("batches", "list", "--tenant", "acme", "--json").ok().out();
    assertTrue(only.contains(acme) && !only.contains(plain), only);
    assertTrue(only.contains("\"tenant\":\"acme\""), only);
    assertTrue(cli.run("batches", "show", acme, "--tenant", "acme").ok().out().contains("tenant"));
    CliHarness.Result other =
        cli.run("batches", "show", acme, "--tenant", "globex").expect(ExitCodes.NOT_FOUND);
    assertTrue(other.err().contains("in tenant 'globex' of"), other.err());
  }

  @Test
  void exportAndImportKeepTheTenantOfTemplatesAndSchedules() {
    cli.run("templates", "save", "shout", "--job", "cli.echo", "--tenant", "acme").ok();
    cli.run("templates", "save", "plain", "--job", "cli.echo").ok();
    cli.run("schedules", "add", "tick", "--every", "1h", "--job", "cli.echo", "--tenant", "acme")
        .ok();
    cli.run("schedules", "add", "tock", "--every", "1h", "--job", "cli.echo").ok();
    String all = cli.run("export").ok().out();
    assertTrue(
        all.lines()
            .anyMatch(l -> l.contains("\"name\":\"shout\"") && l.contains("\"tenant\":\"acme\"")),
        all);
    assertTrue(
        all.lines()
            .anyMatch(l -> l.contains("\"name\":\"tick\"") && l.contains("\"tenant\":\"acme\"")),
        all);
    assertTrue(
        all.lines()
            .filter(l -> l.contains("\"name\":\"plain\"") || l.contains("\"name\":\"tock\""))
            .noneMatch(l -> l.contains("\"tenant\"")),
        "the default tenant is not written: " + all);
    String acmeOnly = cli.run("export", "--tenant", "acme").ok().out();
    assertTrue(acmeOnly.contains("\"shout\"") && acmeOnly.contains("\"tick\""), acmeOnly);
    assertFalse(acmeOnly.contains("\"plain\"") || acmeOnly.contains("\"tock\""), acmeOnly);

    CliHarness other = new CliHarness(dir.resolve("other.db"));
    other.stdin = all;
    other.run("import", "-").ok();
    try (JobManager jobs = other.builder().noWorkers().open()) {
      assertEquals("acme", jobs.templates().get("shout").orElseThrow().tenant());
      assertEquals("default", jobs.templates().get("plain").orElseThrow().tenant());
      assertEquals("acme", jobs.schedules().get("tick").orElseThrow().tenant());
      assertEquals("default", jobs.schedules().get("tock").orElseThrow().tenant());
    }
  }
}
