package dev.jobkit.http.browser;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.http.JobkitServer;
import dev.jobkit.runtime.JobInfo;
import dev.jobkit.runtime.JobLogLine;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobState;
import dev.jobkit.runtime.LogQuery;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The dashboard mounted under a path prefix, read-only, on a loopback server without API keys (so
 * the browser acts as the local admin without signing in).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MountedReadOnlyBrowserTest {
  @TempDir static Path dir;
  static JobManager jobs;
  static JobkitServer server;
  static Browser b;
  static String running;

  @BeforeAll
  static void start() {
    jobs =
        JobManager.builder()
            .database(dir.resolve("mounted.db"))
            .workers("default", 2)
            .pollInterval(Duration.ofMillis(50))
            .progressInterval(Duration.ofMillis(100))
            .open();
    server = start(0);
    running =
        jobs.dispatchByName(
                "catalog.import", "{\"label\":\"mounted\",\"items\":100000,\"delayMs\":50}")
            .id();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> jobs.job(running).map(JobInfo::state).orElseThrow() == JobState.RUNNING);
    b = new Browser(server.uri().toString());
    assertTrue(b.base.endsWith("/ops/jobkit/"), b.base);
  }

  static JobkitServer start(int port) {
    return JobkitServer.builder(jobs).port(port).basePath("/ops/jobkit").readOnly(true).start();
  }

  @AfterAll
  static void stop() {
    if (b != null) {
      b.close();
    }
    if (server != null) {
      server.close();
    }
    if (jobs != null) {
      // Closing checkpoints the job and gives it back; nothing needs to cancel it.
      jobs.close();
    }
  }

  @Test
  @Order(10)
  void worksUnderItsPrefixWithStylesLinksAndDeepLinks() {
    b.open("");
    assertEquals("/ops/jobkit", b.js("return document.documentElement.dataset.base"));
    assertEquals(
        "sticky",
        b.js("return getComputedStyle(document.querySelector('.topbar')).position"),
        "app.css loaded");
    // No key exists on this loopback server: the browser is the local admin, with nothing to sign
    // out of.
    b.waitText("key-name", "local");
    assertTrue(b.all("logout").isEmpty());

    b.click("nav-jobs");
    b.wait.until(ExpectedConditions.urlToBe(b.base + "jobs"));
    b.wait
        .until(
            ExpectedConditions.elementToBeClickable(
                By.cssSelector("[data-test='job-row'][data-id='" + running + "'] a")))
        .click();
    b.wait.until(ExpectedConditions.urlToBe(b.base + "jobs/" + running));
    b.waitFor("job-progress");

    // A reload of a deep link gets the page again (the server answers index.html for it).
    b.driver.navigate().refresh();
    b.waitFor("job-progress");
    b.wait.until(d -> !b.all("log-line").isEmpty());
    b.driver.navigate().back();
    b.wait.until(ExpectedConditions.urlToBe(b.base + "jobs"));
    b.waitFor("jobs-table");
  }

  @Test
  @Order(20)
  void readOnlyOffersNoChanges() {
    b.open("");
    assertTrue(b.waitFor("read-only").getText().contains("read-only"));
    b.open("jobs/" + running);
    b.waitFor("job-details");
    assertTrue(b.all("job-actions").isEmpty(), "no cancel, pause or retry");
    b.open("jobs");
    b.waitFor("job-row");
    assertTrue(b.all("select-all").isEmpty() && b.all("new-job").isEmpty());
    b.open("failed");
    b.waitFor("failed-table");
    assertTrue(b.all("retry-all").isEmpty());
    b.open("types/catalog.import");
    assertFalse(b.waitFor("submit").isEnabled());
  }

  @Test
  @Order(25)
  void aLiveLogMissesNothingWhenTheServerRestarts() {
    b.open("jobs/" + running);
    b.waitLive();
    b.wait.until(d -> b.all("log-line").size() >= 5);
    int port = server.port();
    server.close();
    b.wait.until(d -> !"live".equals(b.waitFor("live-status").getAttribute("data-status")));
    // Lines the job logs meanwhile reach the page after the reconnect (Last-Event-ID).
    long before = lastLogId();
    await().atMost(Duration.ofSeconds(10)).until(() -> lastLogId() >= before + 10);
    server = start(port);
    b.waitLive();
    long upTo = lastLogId();
    b.wait.until(d -> shownLogIds().contains(upTo));
    List<Long> shown = shownLogIds();
    List<Long> stored =
        jobs.logs(running, LogQuery.all().limit(LogQuery.MAX_LIMIT)).stream()
            .map(JobLogLine::id)
            .filter(id -> id <= upTo)
            .toList();
    assertEquals(stored, shown.stream().filter(id -> id <= upTo).toList());
  }

  static long lastLogId() {
    List<JobLogLine> l = jobs.logs(running, LogQuery.all().limit(LogQuery.MAX_LIMIT));
    return l.isEmpty() ? 0 : l.get(l.size() - 1).id();
  }

  static List<Long> shownLogIds() {
    return b.all("log-line").stream().map(e -> Long.parseLong(e.getAttribute("data-id"))).toList();
  }

  @Test
  @Order(30)
  void noScriptErrors() {
    for (String path : List.of("", "jobs", "types", "nodes")) {
      b.open(path);
    }
    assertEquals(List.of(), b.consoleErrors());
  }
}
