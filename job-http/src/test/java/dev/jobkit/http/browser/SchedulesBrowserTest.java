package dev.jobkit.http.browser;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.http.JobkitServer;
import dev.jobkit.runtime.ApiKeys;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.ScheduleFire;
import dev.jobkit.runtime.ScheduleInfo;
import dev.jobkit.runtime.ScheduleSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The dashboard's Schedules pages (#12) in a headless Chromium against a real server and runtime:
 * the list, one schedule with its next fire times and history, pause, resume, trigger and delete
 * from the page, and a viewer who sees no controls. The tests run in order and share the schedules.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SchedulesBrowserTest {
  @TempDir static Path dir;
  static JobManager jobs;
  static JobkitServer server;
  static Browser b;
  static String secret;
  static String viewerSecret;

  @BeforeAll
  static void start() {
    jobs =
        JobManager.builder()
            .database(dir.resolve("ui.db"))
            .workers("default", 2)
            .pollInterval(Duration.ofMillis(50))
            .open();
    secret = jobs.apiKeys().create("ui-tester", ApiKeys.Role.OPERATOR, "test").secret();
    viewerSecret = jobs.apiKeys().create("ui-viewer", ApiKeys.Role.VIEWER, "test").secret();
    // One that fires every second, one daily that is paused.
    jobs.schedules()
        .put(
            ScheduleSpec.every("tick", Duration.ofSeconds(1))
                .job("catalog.import", "{\"label\":\"tick\",\"items\":1,\"delayMs\":0}")
                .build(),
            "test");
    jobs.schedules()
        .put(
            ScheduleSpec.every("nightly-report", Duration.ofDays(1))
                .job("catalog.import", "{\"label\":\"nightly\",\"items\":3,\"delayMs\":0}")
                .tags(List.of("reports"))
                .overlap(ScheduleSpec.Overlap.SKIP)
                .build(),
            "test");
    jobs.schedules().pause("nightly-report", "waiting for the new template", "test");
    server = JobkitServer.builder(jobs).port(0).start();
    b = new Browser(server.uri().toString());
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
      jobs.close();
    }
  }

  static ScheduleInfo schedule(String name) {
    return jobs.schedules().get(name).orElseThrow();
  }

  static WebElement row(String name) {
    return b.wait.until(
        ExpectedConditions.visibilityOfElementLocated(
            By.cssSelector("[data-test='schedule-row'][data-name='" + name + "']")));
  }

  static void signIn(String key, String name) {
    b.driver.get(b.base + "login");
    b.waitFor("login-key").sendKeys(key, Keys.ENTER);
    b.waitText("key-name", name);
  }

  @Test
  @Order(1)
  void theListShowsEverySchedule() {
    b.driver.get(b.base + "schedules");
    b.wait.until(ExpectedConditions.urlContains("/login?next="));
    b.waitFor("login-key").sendKeys(secret, Keys.ENTER);
    b.wait.until(ExpectedConditions.urlToBe(b.base + "schedules"));
    assertEquals("Schedules", b.waitFor("page-title").getText());
    assertTrue(b.waitFor("nav-schedules").getAttribute("class").contains("active"));

    WebElement nightly = row("nightly-report");
    assertEquals("every 24h", nightly.findElement(Browser.test("schedule-when")).getText());
    assertEquals(
        "paused", nightly.findElement(Browser.test("schedule-state")).getAttribute("data-state"));
    WebElement tick = row("tick");
    assertEquals(
        "active", tick.findElement(Browser.test("schedule-state")).getAttribute("data-state"));
    assertEquals("2 schedules, 1 paused", b.waitFor("schedule-count").getText());

    // The list follows changes made elsewhere.
    jobs.schedules().pause("tick", null, "test");
    b.wait.until(
        d ->
            "paused"
                .equals(
                    row("tick")
                        .findElement(Browser.test("schedule-state"))
                        .getAttribute("data-state")));
    jobs.schedules().resume("tick", "test");

    row("nightly-report").findElement(Browser.test("schedule-link")).click();
    b.wait.until(ExpectedConditions.urlToBe(b.base + "schedules/nightly-report"));
    assertEquals("nightly-report", b.waitFor("page-title").getText());
  }

  @Test
  @Order(10)
  void theDetailShowsTheNextFireTimesAndTheHistory() {
    b.open("schedules/nightly-report");
    List<Instant> expected = jobs.schedules().preview("nightly-report", 10).orElseThrow();
    b.waitFor("next-fires");
    List<String> shown = b.all("next-fire").stream().map(e -> e.getAttribute("data-at")).toList();
    assertEquals(expected.stream().map(Instant::toString).toList(), shown);
    assertEquals(
        "every 24h",
        b.waitFor("schedule-details").findElement(Browser.test("schedule-when")).getText());
    assertTrue(b.waitFor("schedule-params").getText().contains("\"nightly\""));
    assertEquals("waiting for the new template", b.waitFor("pause-reason-shown").getText());
    b.waitFor("no-history");

    // The every-second schedule has fired by now, and its page shows it.
    await().atMost(Duration.ofSeconds(20)).until(() -> schedule("tick").lastJobId().isPresent());
    b.open("schedules/tick");
    WebElement fired =
        b.wait.until(
            ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("[data-test='history-row'][data-outcome='FIRED']")));
    assertTrue(fired.findElement(By.cssSelector("a[href^='jobs/']")).isDisplayed());
  }

  @Test
  @Order(20)
  void triggerResumePauseAndDeleteWorkFromThePage() {
    b.open("schedules/nightly-report");
    b.click("action-trigger");
    WebElement triggered =
        b.wait.until(
            ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("[data-test='history-row'][data-outcome='TRIGGERED']")));
    List<ScheduleFire> h = jobs.schedules().history("nightly-report", 5).orElseThrow();
    assertEquals(ScheduleFire.Outcome.TRIGGERED, h.get(0).outcome());
    String id = h.get(0).jobId().orElseThrow();
    assertEquals("triggered by key:ui-tester", h.get(0).reason());
    assertEquals(
        "triggered by key:ui-tester",
        triggered.findElement(Browser.test("history-reason")).getText());
    assertTrue(
        triggered.findElement(By.cssSelector("a[href='jobs/" + id + "']")).isDisplayed(),
        "the history links to the job");
    assertTrue(schedule("nightly-report").paused(), "trigger leaves it paused");

    b.click("action-resume");
    b.wait.until(d -> "active".equals(b.waitFor("schedule-state").getAttribute("data-state")));
    assertEquals(false, schedule("nightly-report").paused());

    b.waitFor("pause-reason").sendKeys("holiday");
    b.click("action-pause");
    b.wait.until(d -> "paused".equals(b.waitFor("schedule-state").getAttribute("data-state")));
    assertEquals(Optional.of("holiday"), schedule("nightly-report").pauseReason());
    assertEquals("holiday", b.waitFor("pause-reason-shown").getText());

    // Delete asks once more.
    b.click("action-delete");
    assertEquals("Delete this schedule?", b.waitFor("action-delete").getText());
    b.click("action-delete");
    b.wait.until(ExpectedConditions.urlToBe(b.base + "schedules"));
    row("tick");
    assertTrue(
        b.all("schedule-row").stream()
            .noneMatch(r -> "nightly-report".equals(r.getAttribute("data-name"))));
    assertEquals(Optional.empty(), jobs.schedules().get("nightly-report"));
    assertTrue(jobs.job(id).isPresent(), "the triggered job stays");
  }

  @Test
  @Order(30)
  void noScriptErrorsOnTheSchedulePages() {
    b.consoleErrors();
    b.open("schedules");
    b.open("schedules/tick");
    b.open("schedules/no-such-schedule");
    assertTrue(b.waitFor("page-error").getText().contains("no schedule named 'no-such-schedule'"));
    List<String> errors = b.consoleErrors();
    assertEquals(List.of(), errors);
  }

  @Test
  @Order(35)
  void phoneWidthHasNoSidewaysScrolling() {
    try {
      b.phone(360, 780);
      for (String[] page :
          List.of(
              new String[] {"schedules", "schedule-row"},
              new String[] {"schedules/tick", "history-row"})) {
        b.open(page[0]);
        b.waitFor(page[1]);
        Number overflow =
            (Number) b.js("return document.documentElement.scrollWidth - window.innerWidth");
        assertTrue(overflow.intValue() <= 0, page[0] + " scrolls sideways by " + overflow + " px");
      }
    } finally {
      b.desktop();
    }
  }

  @Test
  @Order(40)
  void aViewerSeesNoControls() {
    b.open("");
    b.click("logout");
    signIn(viewerSecret, "ui-viewer");
    b.open("schedules/tick");
    b.waitFor("schedule-details");
    assertTrue(b.all("schedule-actions").isEmpty(), "no pause, trigger or delete");
    b.open("schedules");
    row("tick");
  }

  /** Screenshots for the docs, with {@code -Djobkit.screenshots=docs/images}. */
  @Test
  @Order(1000)
  void screenshots() {
    String dirProp = System.getProperty("jobkit.screenshots", "");
    Path out = dirProp.isBlank() ? null : Path.of(dirProp);
    jobs.schedules()
        .put(
            ScheduleSpec.every("hourly-cleanup", Duration.ofHours(1))
                .job("catalog.import", "{\"label\":\"cleanup\",\"items\":2,\"delayMs\":0}")
                .build(),
            "cli");
    b.open("");
    b.click("logout");
    signIn(secret, "ui-tester");
    b.screen(1280, 900);
    try {
      b.open("schedules");
      row("hourly-cleanup");
      b.screenshot(out, "schedules");
      b.open("schedules/tick");
      b.wait.until(d -> b.all("history-row").size() >= 3);
      b.screenshot(out, "schedule");
    } finally {
      b.desktop();
    }
  }
}
