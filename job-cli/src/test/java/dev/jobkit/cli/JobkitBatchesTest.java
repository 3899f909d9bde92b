package dev.jobkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.runtime.BatchHandle;
import dev.jobkit.runtime.BatchState;
import dev.jobkit.runtime.JobManager;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jobkit batches list|show} and the batch line of {@code jobkit status} (#12). */
class JobkitBatchesTest {
  @TempDir Path dir;
  CliHarness cli;

  @BeforeEach
  void setUp() {
    cli = new CliHarness(dir.resolve("jobs.db"));
  }

  @Test
  void listShowAndStatusShowBatches() {
    BatchHandle h;
    String onComplete;
    try (JobManager jobs = cli.workers()) {
      assertTrue(cli.run("batches", "list").ok().out().contains("no batches"));
      h =
          jobs.batch()
              .name("echoes")
              .add("cli.echo", "{\"text\":\"a\"}")
              .add("cli.echo", "{\"text\":\"b\"}")
              .onComplete("cli.echo", "{\"text\":\"end\"}")
              .dispatch();
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> h.info().state() == BatchState.SUCCEEDED);
      onComplete = h.info().onCompleteJobId().orElseThrow();
    }
    String list = cli.run("batches", "list").ok().out();
    assertTrue(list.contains(h.id()) && list.contains("echoes"), list);
    assertTrue(list.contains("SUCCEEDED") && list.contains("2/2") && list.contains("100%"), list);

    String show = cli.run("batches", "show", h.id()).ok().out();
    assertTrue(show.contains("state      SUCCEEDED"), show);
    assertTrue(show.contains("members    2: 2 completed, 0 failed, 0 cancelled"), show);
    assertTrue(show.contains("on complete " + onComplete), show);
    assertTrue(show.contains(h.members().get(1).id()), show);
    assertTrue(
        cli.run("batches", "show", h.id(), "--json")
            .ok()
            .out()
            .replace(" ", "")
            .contains("\"total\":2"),
        "json");

    String status = cli.run("status", h.members().get(0).id()).ok().out();
    assertTrue(status.contains("batch     " + h.id()), status);
    String json = cli.run("status", h.members().get(0).id(), "--json").ok().out();
    assertTrue(json.replace(" ", "").contains("\"batch\":\"" + h.id() + "\""), json);

    CliHarness.Result missing = cli.run("batches", "show", "nope").expect(ExitCodes.NOT_FOUND);
    assertTrue(missing.err().contains("no batch with id nope"), missing.err());
    assertEquals(1, missing.err().lines().count(), missing.err());
  }
}
