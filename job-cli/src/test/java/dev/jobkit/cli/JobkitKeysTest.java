package dev.jobkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.runtime.ApiKeys.Role;
import dev.jobkit.runtime.JobEventInfo;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.testing.EmbeddedPostgresSupport;
import dev.jobkit.runtime.testing.TestDatabase;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jobkit keys create|list|revoke}, and the actor {@code cli:USER} on control commands. */
class JobkitKeysTest {
  @TempDir Path dir;

  @AfterAll
  static void dropDatabases() {
    EmbeddedPostgresSupport.dropDatabases();
  }

  @Test
  void createPrintsTheSecretOnceAndOnlyItsHashIsUsableAfterwards() {
    CliHarness cli = new CliHarness(dir.resolve("jobs.db"));
    CliHarness.Result r = cli.run("keys", "create", "--name", "ci", "--role", "Operator").ok();
    String secret = r.line();
    assertTrue(secret.matches("jk_[a-z0-9]{16}_[A-Za-z0-9_-]{43}"), r.out());
    assertTrue(r.err().contains("shown only this once"), r.err());
    assertFalse(r.err().contains(secret), "the warning does not repeat the secret");
    assertEquals(1, r.err().strip().lines().count(), "a one-line warning: " + r.err());

    try (JobManager jobs = cli.builder().noWorkers().open()) {
      var key = jobs.apiKeys().verify(secret).orElseThrow();
      assertEquals("ci", key.name());
      assertEquals(Role.OPERATOR, key.role());
      assertEquals(Optional.of(KeysCommand.ACTOR), key.createdBy());
    }

    String list = cli.run("keys", "list").ok().out();
    assertTrue(list.contains("ci") && list.contains("operator") && list.contains("active"), list);
    assertFalse(list.contains(secret.substring(20)), "list never shows a secret");

    String json =
        cli.run("keys", "create", "--name", "dash", "--role", "viewer", "--json").ok().out();
    assertTrue(json.startsWith("{\"id\":"), json);
    assertTrue(json.contains("\"name\":\"dash\",\"role\":\"viewer\""), json);
    assertTrue(json.contains("\"secret\":\"jk_"), json);
  }

  @Test
  void badNamesDuplicatesAndUnknownRolesAreOneLineErrors() {
    CliHarness cli = new CliHarness(dir.resolve("jobs.db"));
    cli.run("keys", "create", "--name", "ci", "--role", "admin").ok();

    CliHarness.Result dup =
        cli.run("keys", "create", "--name", "ci", "--role", "viewer").expect(ExitCodes.BAD_INPUT);
    assertEquals(
        "jobkit: error: an API key named 'ci' exists; revoke it first (jobkit keys revoke ci) or"
            + " choose another name",
        dup.err().strip());
    CliHarness.Result bad =
        cli.run("keys", "create", "--name", "Bad Name", "--role", "viewer").expect(ExitCodes.USAGE);
    assertTrue(bad.err().contains("'Bad Name' is not valid"), bad.err());
    CliHarness.Result role =
        cli.run("keys", "create", "--name", "x", "--role", "root").expect(ExitCodes.USAGE);
    assertTrue(role.err().contains("use viewer, operator or admin"), role.err());
    assertEquals("", dup.out() + bad.out() + role.out(), "no secret printed on failure");
    cli.run("keys").expect(ExitCodes.USAGE);
  }

  @Test
  void revokeStopsAKeyAndListShowsItRevoked() {
    CliHarness cli = new CliHarness(dir.resolve("jobs.db"));
    String secret = cli.run("keys", "create", "--name", "ci", "--role", "viewer").ok().line();

    assertEquals("revoked API key ci", cli.run("keys", "revoke", "ci").ok().line());
    CliHarness.Result again = cli.run("keys", "revoke", "ci").expect(ExitCodes.NOT_FOUND);
    assertTrue(again.err().contains("no active API key named 'ci'"), again.err());
    try (JobManager jobs = cli.builder().noWorkers().open()) {
      assertEquals(Optional.empty(), jobs.apiKeys().verify(secret));
    }
    String json = cli.run("keys", "list", "--json").ok().out();
    assertTrue(json.startsWith("[{\"id\":"), json);
    assertTrue(json.contains("\"lastUsedAt\":null"), json);
    assertFalse(json.contains("\"revokedAt\":null"), json);
    assertTrue(cli.run("keys", "list").ok().out().contains("revoked "));
  }

  @Test
  void listOnADatabaseWithoutKeysSaysHowToCreateOne() {
    CliHarness cli = new CliHarness(dir.resolve("jobs.db"));
    cli.run("keys", "create", "--name", "tmp", "--role", "viewer").ok();
    cli.run("keys", "revoke", "tmp").ok();
    CliHarness empty = new CliHarness(dir.resolve("other.db"));
    try (JobManager jobs = empty.builder().noWorkers().open()) {
      assertTrue(jobs.apiKeys().list().isEmpty());
    }
    assertTrue(empty.run("keys", "list").ok().out().contains("jobkit keys create"));
  }

  @Test
  void keysAndActorsWorkOnPostgres() {
    CliHarness cli = new CliHarness(TestDatabase.postgres());
    String secret = cli.run("keys", "create", "--name", "ci", "--role", "admin").ok().line();
    String id = cli.submit("cli.echo", "{\"text\":\"hi\"}", "--queue", "nobody");
    cli.run("cancel", id).ok();
    try (JobManager jobs = cli.builder().noWorkers().open()) {
      assertEquals("ci", jobs.apiKeys().verify(secret).orElseThrow().name());
      assertEquals(Optional.of(KeysCommand.ACTOR), jobs.job(id).orElseThrow().createdBy());
      List<JobEventInfo> events = jobs.events(id);
      assertEquals(Optional.of(KeysCommand.ACTOR), events.get(events.size() - 1).actor());
    }
    cli.run("keys", "revoke", "ci").ok();
    assertTrue(cli.run("keys", "list").ok().out().contains("revoked"));
  }
}
