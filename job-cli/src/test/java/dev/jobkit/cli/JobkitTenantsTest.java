package dev.jobkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.runtime.JobInfo;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobParent;
import dev.jobkit.runtime.testing.EmbeddedPostgresSupport;
import dev.jobkit.runtime.testing.TestDatabase;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** #14 tenants: the global {@code --tenant} (and {@code JOBKIT_TENANT}) on the job commands. */
class JobkitTenantsTest {
  @TempDir Path dir;
  CliHarness cli;

  @BeforeEach
  void setUp() {
    cli = new CliHarness(dir.resolve("jobs.db"));
  }

  private JobInfo stored(String id) {
    try (JobManager jobs = cli.builder().noWorkers().open()) {
      return jobs.job(id).orElseThrow();
    }
  }

  @Test
  void submitDispatchesIntoTheTenantAndWithoutOneIntoTheDefault() {
    String a = cli.submit("cli.echo", "{\"text\":\"a\"}", "--tenant", "acme");
    String b = cli.run("--tenant", "globex", "submit", "cli.echo").ok().line();
    String plain = cli.submit("cli.echo", "{}");
    cli.env.put("JOBKIT_TENANT", "initech");
    String fromEnv = cli.submit("cli.echo", "{}");
    String flagWins = cli.submit("cli.echo", "{}", "--tenant", "acme");

    assertEquals("acme", stored(a).tenant());
    assertEquals("globex", stored(b).tenant());
    assertEquals("default", stored(plain).tenant());
    assertEquals("initech", stored(fromEnv).tenant());
    assertEquals("acme", stored(flagWins).tenant());
  }

  @Test
  void anInvalidTenantIsAUsageErrorThatNamesWhereItCameFrom() {
    CliHarness.Result r =
        cli.run("submit", "cli.echo", "--tenant", "Acme Corp").expect(ExitCodes.USAGE);
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(
        r.err()
            .startsWith("jobkit: error: --tenant: tenant 'Acme Corp' is not a valid tenant name"),
        r.err());
    cli.env.put("JOBKIT_TENANT", "-x");
    CliHarness.Result env = cli.run("list").expect(ExitCodes.USAGE);
    assertTrue(env.err().startsWith("jobkit: error: JOBKIT_TENANT: tenant '-x'"), env.err());
  }

  @Test
  void listShowsOnlyTheTenantsJobsAndTheTenantColumnWhenOneIsNotDefault() {
    String a = cli.submit("cli.echo", "{}", "--tenant", "acme");
    String g = cli.submit("cli.echo", "{}", "--tenant", "globex");
    String d = cli.submit("cli.echo", "{}");

    String acme = cli.run("list", "--tenant", "acme").ok().out();
    assertTrue(acme.lines().findFirst().orElseThrow().startsWith("ID            TENANT"), acme);
    assertTrue(acme.contains(a.substring(0, 12)) && acme.contains("acme"), acme);
    assertFalse(acme.contains(g.substring(0, 12)) || acme.contains(d.substring(0, 12)), acme);

    String all = cli.run("list").ok().out();
    assertTrue(all.contains(a.substring(0, 12)) && all.contains(g.substring(0, 12)), all);
    assertTrue(all.contains("globex") && all.contains("default"), all);

    String onlyDefault = cli.run("list", "--tenant", "default").ok().out();
    assertFalse(onlyDefault.contains("TENANT"), "no column for the default tenant: " + onlyDefault);
    assertTrue(onlyDefault.contains(d.substring(0, 12)), onlyDefault);
    assertEquals(2, onlyDefault.strip().lines().count(), onlyDefault);

    String json = cli.run("list", "--json", "--tenant", "default").ok().out();
    assertTrue(json.contains("\"tenant\" : \"default\""), "always in --json: " + json);
    assertEquals("no jobs", cli.run("list", "--tenant", "nobody").ok().line());
  }

  @Test
  void anotherTenantsJobIsNoJobForStatusLogsResultsAndControls() {
    String g = cli.submit("cli.echo", "{}", "--tenant", "globex", "--queue", "nobody");
    for (String command : List.of("status", "logs", "results", "cancel", "pause", "retry")) {
      CliHarness.Result r = cli.run(command, g, "--tenant", "acme").expect(ExitCodes.NOT_FOUND);
      assertEquals(
          "jobkit: error: no job with id or id prefix '"
              + g
              + "' in tenant 'acme' of "
              + cli.location,
          r.err().strip(),
          command);
    }
    assertEquals("QUEUED", stored(g).state().name(), "nothing was cancelled or paused");
    // The same job in its own tenant, and without --tenant.
    String status = cli.run("status", g.substring(0, 12), "--tenant", "globex").ok().out();
    assertTrue(status.contains("tenant    globex"), status);
    assertTrue(cli.run("status", g, "--json").ok().out().contains("\"tenant\" : \"globex\""));
    cli.run("cancel", g, "--tenant", "globex").ok();
    assertEquals("CANCELLED", stored(g).state().name());
    String plain = cli.submit("cli.echo", "{}");
    assertFalse(cli.run("status", plain).ok().out().contains("tenant"), "default: no line");
  }

  @Test
  void anIdPrefixIsResolvedAmongTheTenantsJobsOnly() {
    String a = cli.submit("cli.echo", "{}", "--tenant", "acme");
    String g1 = cli.submit("cli.echo", "{}", "--tenant", "globex");
    String g2 = cli.submit("cli.echo", "{}", "--tenant", "globex");
    String common = commonPrefix(List.of(a, g1, g2));
    assertTrue(common.length() >= 6, "ids made within a second share their time: " + common);

    // Without --tenant the prefix is ambiguous; in acme it names acme's one job.
    cli.run("status", common).expect(ExitCodes.USAGE);
    String one = cli.run("status", common, "--tenant", "acme", "--json").ok().out();
    assertTrue(one.contains("\"id\" : \"" + a + "\""), one);
    // In globex it is ambiguous, naming globex's jobs only.
    CliHarness.Result amb =
        cli.run("status", common.toLowerCase(java.util.Locale.ROOT), "--tenant", "globex")
            .expect(ExitCodes.USAGE);
    assertTrue(amb.err().contains(g1) && amb.err().contains(g2), amb.err());
    assertFalse(amb.err().contains(a), amb.err());
    // A prefix no id can have, and the whole id of another tenant's job.
    cli.run("status", "0U", "--tenant", "acme").expect(ExitCodes.NOT_FOUND);
    cli.run("status", g1.toLowerCase(java.util.Locale.ROOT), "--tenant", "globex").ok();
  }

  @Test
  void dependsOnResolvesParentsInTheTenant() {
    String a = cli.submit("cli.echo", "{}", "--tenant", "acme", "--queue", "nobody");
    String g = cli.submit("cli.echo", "{}", "--tenant", "globex", "--queue", "nobody");
    CliHarness.Result r =
        cli.run("submit", "cli.echo", "--tenant", "acme", "--depends-on", g)
            .expect(ExitCodes.NOT_FOUND);
    assertTrue(r.err().contains("--depends-on: no job with id or id prefix '" + g), r.err());
    String child = cli.submit("cli.echo", "{}", "--tenant", "acme", "--depends-on", a);
    try (JobManager jobs = cli.builder().noWorkers().open()) {
      assertEquals(List.of(a), jobs.parents(child).stream().map(JobParent::id).toList());
      assertEquals("acme", jobs.job(child).orElseThrow().tenant());
    }
  }

  @Test
  void commandsOnTheWholeDatabaseRefuseAnExplicitTenantAndIgnoreTheVariable() {
    cli.submit("cli.echo", "{}", "--tenant", "acme");
    for (List<String> args :
        List.of(
            List.of("stats"),
            List.of("cleanup", "--older-than", "1d"),
            List.of("storage"),
            List.of("types"),
            List.of("import", "x.jsonl"))) {
      List<String> withTenant = new java.util.ArrayList<>(args);
      withTenant.addAll(List.of("--tenant", "acme"));
      CliHarness.Result r = cli.run(withTenant.toArray(String[]::new)).expect(ExitCodes.USAGE);
      assertTrue(
          r.err().startsWith("jobkit: error: --tenant does not apply to '" + args.get(0) + "'"),
          r.err());
      assertTrue(r.err().strip().endsWith("; run it without --tenant"), r.err());
    }
    cli.env.put("JOBKIT_TENANT", "acme");
    cli.run("stats").ok();
    cli.run("storage").ok();
  }

  @Test
  void exportWithATenantWritesOnlyItsJobsAndImportKeepsEachJobsTenant() {
    String a = cli.submit("cli.echo", "{\"text\":\"a\"}", "--tenant", "acme", "--tag", "t");
    String d = cli.submit("cli.echo", "{\"text\":\"d\"}");
    String all = cli.run("export").ok().out();
    String acmeLine = all.lines().filter(l -> l.contains(a)).findFirst().orElseThrow();
    String defaultLine = all.lines().filter(l -> l.contains(d)).findFirst().orElseThrow();
    assertTrue(acmeLine.contains("\"tenant\":\"acme\""), acmeLine);
    assertFalse(defaultLine.contains("\"tenant\""), "default is not written: " + defaultLine);

    String acmeOnly = cli.run("export", "--tenant", "acme").ok().out();
    assertEquals(2, acmeOnly.lines().count(), acmeOnly);
    assertTrue(acmeOnly.contains(a) && !acmeOnly.contains(d), acmeOnly);

    CliHarness other = new CliHarness(dir.resolve("other.db"));
    other.stdin = all;
    other.run("import", "-").ok();
    try (JobManager jobs = other.builder().noWorkers().open()) {
      assertEquals("acme", jobs.job(a).orElseThrow().tenant());
      assertEquals("default", jobs.job(d).orElseThrow().tenant());
    }
    assertEquals(
        all.lines().skip(1).toList(), other.run("export").ok().out().lines().skip(1).toList());
    String listed = other.run("list", "--tenant", "acme", "--json").ok().out();
    assertTrue(listed.contains(a) && !listed.contains(d), listed);
  }

  @Test
  void keysCreateATenantKeyListShowsTheTenantAndRevokeStaysInTheTenant() {
    String secret =
        cli.run("keys", "create", "--name", "acme-ci", "--role", "operator", "--tenant", "acme")
            .ok()
            .line();
    CliHarness.Result admin =
        cli.run("keys", "create", "--name", "root", "--role", "admin", "--json").ok();
    assertTrue(admin.out().contains("\"tenant\":null"), admin.out());
    try (JobManager jobs = cli.builder().noWorkers().open()) {
      assertEquals(Optional.of("acme"), jobs.apiKeys().verify(secret).orElseThrow().tenant());
    }

    String list = cli.run("keys", "list").ok().out();
    assertTrue(list.lines().findFirst().orElseThrow().contains("TENANT"), list);
    assertTrue(list.lines().anyMatch(l -> l.startsWith("acme-ci") && l.contains(" acme ")), list);
    assertTrue(list.lines().anyMatch(l -> l.startsWith("root") && l.contains("(all)")), list);
    String acme = cli.run("keys", "list", "--tenant", "acme", "--json").ok().out();
    assertTrue(acme.contains("\"tenant\":\"acme\"") && !acme.contains("\"root\""), acme);

    CliHarness.Result other =
        cli.run("keys", "revoke", "acme-ci", "--tenant", "globex").expect(ExitCodes.NOT_FOUND);
    assertTrue(other.err().contains("no active API key named 'acme-ci' in tenant 'globex'"));
    cli.run("keys", "revoke", "acme-ci", "--tenant", "acme").ok();
    try (JobManager jobs = cli.builder().noWorkers().open()) {
      assertEquals(Optional.empty(), jobs.apiKeys().verify(secret));
    }
  }

  @Test
  void tenantsWorkOnPostgres() {
    CliHarness pg = new CliHarness(TestDatabase.postgres());
    String a = pg.submit("cli.echo", "{}", "--tenant", "acme", "--queue", "nobody");
    String g = pg.submit("cli.echo", "{}", "--tenant", "globex", "--queue", "nobody");
    pg.run("status", a.substring(0, 12), "--tenant", "acme").ok();
    pg.run("status", g, "--tenant", "acme").expect(ExitCodes.NOT_FOUND);
    String list = pg.run("list", "--tenant", "globex", "--json").ok().out();
    assertTrue(list.contains(g) && !list.contains(a), list);
    pg.run("tenants", "set", "acme", "--max-queued", "1").ok();
    pg.run("submit", "cli.echo", "--tenant", "acme").expect(ExitCodes.QUOTA_EXCEEDED);
    String audit = pg.run("audit", "list", "--tenant", "acme", "--json").ok().out();
    assertTrue(audit.contains("\"tenant.put\"") && audit.contains("\"job.submit\""), audit);
  }

  @AfterAll
  static void dropDatabases() {
    EmbeddedPostgresSupport.dropDatabases();
  }

  private static String commonPrefix(List<String> ids) {
    String p = ids.get(0);
    for (String id : ids) {
      int i = 0;
      while (i < p.length() && i < id.length() && p.charAt(i) == id.charAt(i)) {
        i++;
      }
      p = p.substring(0, i);
    }
    return p;
  }
}
