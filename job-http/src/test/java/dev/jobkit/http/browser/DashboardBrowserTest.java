package dev.jobkit.http.browser;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.http.JobkitServer;
import dev.jobkit.runtime.ApiKeys;
import dev.jobkit.runtime.DispatchOptions;
import dev.jobkit.runtime.JobInfo;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobState;
import dev.jobkit.runtime.LimitSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
import org.openqa.selenium.support.ui.Select;

/**
 * The dashboard in a real headless Chromium against a real server and runtime on a SQLite file:
 * every page, the generated submit form with its field errors, live progress and log, cancel, bulk
 * retry, and phone width. One browser for the class (it is slow to start); the tests run in order
 * and share the jobs they create.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {
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
            .workers("default", 4)
            .workers("limited", 1) // #12 limits
            .limit(LimitSpec.queueConcurrency("limited", 1))
            .pollInterval(Duration.ofMillis(50))
            .progressInterval(Duration.ofMillis(100))
            .open();
    // With a key, every request needs one: the browser signs in on the login page.
    secret = jobs.apiKeys().create("ui-tester", ApiKeys.Role.OPERATOR, "test").secret();
    viewerSecret = jobs.apiKeys().create("ui-viewer", ApiKeys.Role.VIEWER, "test").secret();
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

  static String slow(String label, int items, long delayMs) {
    return jobs.dispatchByName(
            "catalog.import",
            "{\"label\":\"" + label + "\",\"items\":" + items + ",\"delayMs\":" + delayMs + "}")
        .id();
  }

  /** How often the job started running (retry resets its attempts, so count the events). */
  static long runs(String id) {
    return jobs.events(id).stream()
        .filter(e -> e.to().filter(JobState.RUNNING::equals).isPresent())
        .count();
  }

  static JobState state(String id) {
    return jobs.job(id).map(JobInfo::state).orElseThrow();
  }

  @Test
  @Order(1)
  void signsInWithAnApiKey() {
    b.driver.get(b.base + "jobs?state=FAILED");
    b.wait.until(ExpectedConditions.urlContains("/login?next="));
    assertEquals("Sign in", b.waitFor("page-title").getText());
    assertTrue(b.all("nav-jobs").isEmpty(), "no navigation before signing in");

    b.waitFor("login-key").sendKeys("jk_nope_" + "x".repeat(43));
    b.click("login-submit");
    assertTrue(
        b.waitFor("login-error").getText().contains("not valid"),
        b.waitFor("login-error").getText());

    WebElement key = b.waitFor("login-key");
    key.clear();
    key.sendKeys(secret);
    b.click("login-submit");
    // Back where the user was going, signed in as the key.
    b.wait.until(ExpectedConditions.urlToBe(b.base + "jobs?state=FAILED"));
    b.waitText("key-name", "ui-tester");
    assertEquals("operator", b.waitFor("key-role").getText());
    assertEquals("true", b.waitFor("chip-FAILED").getAttribute("aria-pressed"));
    Object cookie = b.js("return document.cookie");
    assertFalse(
        String.valueOf(cookie).contains("jobkit_session"), "the session cookie is HttpOnly");
  }

  @Test
  @Order(10)
  void overviewShowsCountsChartQueuesAndRunningJobsWithLiveProgress() {
    String id = slow("overview", 200, 100);
    await().atMost(Duration.ofSeconds(20)).until(() -> state(id) == JobState.RUNNING);
    b.open("");
    assertEquals("Overview", b.waitFor("page-title").getText());
    b.wait.until(d -> !b.waitFor("count-RUNNING").getText().startsWith("0"));
    assertTrue(b.waitFor("throughput-chart").findElements(By.tagName("svg")).size() == 1);
    b.waitFor("queue-depths");
    WebElement row =
        b.wait.until(
            ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("[data-test='running-row'][data-id='" + id + "']")));
    double first = percent(row);
    b.js("window.__sameDocument = true");
    b.wait.until(d -> percent(row) > first);
    assertEquals(Boolean.TRUE, b.js("return window.__sameDocument === true"), "the page reloaded");
    jobs.cancel(id);
  }

  static double percent(WebElement scope) {
    String p = scope.findElement(Browser.test("progress")).getAttribute("data-percent");
    return p == null || p.isEmpty() ? -1 : Double.parseDouble(p);
  }

  @Test
  @Order(20)
  void typesPageListsEveryTypeAndLinksToItsForm() {
    b.open("types");
    assertEquals("Job types", b.waitFor("page-title").getText());
    b.waitFor("type-alerts.deliver");
    b.click("type-catalog.import");
    b.wait.until(ExpectedConditions.urlToBe(b.base + "types/catalog.import"));
    assertEquals("catalog.import", b.waitFor("page-title").getText());
    b.waitFor("submit-form");
  }

  @Test
  @Order(30)
  void submitFormShowsFieldErrorsThenSubmitsAndTheJobPageFollowsItLive() {
    b.open("types/catalog.import");
    // The generated form: a required string, an integer with its default, an enum as a select,
    // a list, and an optional nested object.
    WebElement label = b.waitFor("input-label");
    assertEquals("", label.getAttribute("value"));
    assertEquals("40", b.waitFor("input-items").getAttribute("value"));
    assertEquals("CHATTY", new Select(b.waitFor("input-mode")).getFirstSelectedOption().getText());
    assertTrue(b.waitFor("field-label").getText().contains("Name used in every log line"));
    assertFalse(b.driver.findElement(Browser.test("input-target.bucket")).isDisplayed());

    // A required field left empty: the form says so at the field, before asking the server.
    b.click("submit");
    assertEquals("label is required", b.waitFor("error-label").getText());

    // A value only the server refuses (too large for an int): its problem path names the field.
    label.sendKeys("from the form");
    WebElement items = b.waitFor("input-items");
    items.clear();
    items.sendKeys("99999999999");
    b.click("submit");
    WebElement err = b.waitFor("error-items");
    assertTrue(err.getText().contains("out of range"), err.getText());
    assertTrue(err.getAttribute("title").contains("$.params.items"), err.getAttribute("title"));
    assertTrue(b.waitFor("field-items").getAttribute("class").contains("invalid"));
    assertFalse(b.driver.findElement(Browser.test("error-label")).isDisplayed());

    items.clear();
    items.sendKeys("60");
    WebElement delay = b.waitFor("input-delayMs");
    delay.clear();
    delay.sendKeys("150");
    b.click("add-notes");
    b.waitFor("input-notes.0").sendKeys("first note");
    b.click("add-context");
    b.waitFor("input-context.?").sendKeys("eu-west");
    b.driver
        .findElement(By.cssSelector("[data-test='field-context'] input[aria-label='key']"))
        .sendKeys("region");
    assertEquals("checkbox", b.waitFor("input-failAtEnd").getAttribute("type"));
    b.click("include-target");
    b.waitFor("input-target.bucket").sendKeys("archive");
    b.click("submit");

    b.wait.until(ExpectedConditions.urlMatches("/jobs/[^/]+$"));
    String id = b.driver.getCurrentUrl().replaceAll(".*/jobs/", "");
    assertEquals("catalog.import", b.waitFor("page-title").getText());
    JobInfo info = jobs.job(id).orElseThrow();
    assertEquals("catalog.import", info.name());

    // Progress advances and log lines arrive while the page stays loaded.
    b.js("window.__sameDocument = true");
    WebElement progress = b.waitFor("job-progress");
    b.wait.until(d -> percent(progress) > 0);
    double seen = percent(progress);
    b.wait.until(d -> percent(progress) > seen);
    b.wait.until(d -> b.all("log-line").size() >= 5);
    assertTrue(b.all("log-line").get(0).getText().contains("context: {region=eu-west}"));
    assertTrue(b.all("log-line").get(1).getText().contains("note: first note"));
    b.wait.until(
        d ->
            b.all("log-line").stream()
                .anyMatch(l -> l.getText().contains("from the form: item 3 of 60")));
    assertEquals(Boolean.TRUE, b.js("return window.__sameDocument === true"), "the page reloaded");

    // The level filter keeps only warnings.
    new Select(b.waitFor("log-level")).selectByValue("WARN");
    b.wait.until(
        d ->
            !b.all("log-line").isEmpty()
                && b.all("log-line").stream()
                    .allMatch(l -> "WARN".equals(l.getAttribute("data-level"))));
    b.wait.until(d -> b.all("event").size() >= 2);

    jobs.cancel(id);
    b.wait.until(
        d ->
            "CANCELLED"
                .equals(
                    b.waitFor("job-details")
                        .findElement(Browser.test("state"))
                        .getAttribute("data-state")));
  }

  @Test
  @Order(40)
  void pausingResumingAndCancellingAJobFromItsPageChangesItsState() {
    String id = slow("to cancel", 500, 100);
    await().atMost(Duration.ofSeconds(20)).until(() -> state(id) == JobState.RUNNING);
    b.open("jobs/" + id);
    b.waitFor("job-progress");

    b.click("action-pause");
    b.wait.until(d -> "PAUSED".equals(headerState()));
    b.click("action-resume");
    b.wait.until(d -> "RUNNING".equals(headerState()));

    b.click("action-cancel");
    assertTrue(b.waitFor("action-cancel").getText().contains("?"), "asks once more");
    b.click("action-cancel");
    b.wait.until(d -> "CANCELLED".equals(headerState()));
    await().atMost(Duration.ofSeconds(10)).until(() -> state(id) == JobState.CANCELLED);
    b.wait.until(d -> b.all("event").stream().anyMatch(e -> e.getText().contains("Cancelled")));
    // Who did it: the key the browser signed in with, on each change it asked for.
    b.wait.until(
        d ->
            b.all("event-actor").stream().filter(a -> a.getText().equals("key:ui-tester")).count()
                >= 3);
  }

  /** The state badge next to the job page's title. */
  static String headerState() {
    return (String)
        b.js(
            "const e = document.querySelector('.page-head [data-test=state]');"
                + " return e && e.dataset.state");
  }

  @Test
  @Order(50)
  void jobsListFiltersSearchesAndShowsStateChangesLive() {
    String id = slow("listed", 500, 100);
    await().atMost(Duration.ofSeconds(20)).until(() -> state(id) == JobState.RUNNING);
    b.open("jobs?state=RUNNING");
    assertEquals("Jobs", b.waitFor("page-title").getText());
    WebElement row = row(id);
    assertEquals("RUNNING", row.getAttribute("data-state"));
    assertEquals("true", b.waitFor("chip-RUNNING").getAttribute("aria-pressed"));

    // Another tab, another client: the row follows without a reload.
    jobs.cancel(id);
    b.wait.until(d -> "CANCELLED".equals(row(id).getAttribute("data-state")));

    // Search by id prefix.
    b.click("chip-RUNNING");
    b.wait.until(d -> b.all("job-row").size() > 1);
    b.waitFor("filter-q").sendKeys(id.substring(0, 16));
    b.wait.until(
        d ->
            b.all("job-row").size() == 1
                && id.equals(b.all("job-row").get(0).getAttribute("data-id")));
    assertTrue(
        b.driver.getCurrentUrl().contains("q=" + id.substring(0, 16)), b.driver.getCurrentUrl());

    // A job submitted elsewhere shows up as a notice on the first page (once it runs: a dispatch
    // has no event in the stream), not as a jump.
    b.open("jobs");
    b.waitFor("job-row");
    b.waitLive();
    String fresh = jobs.dispatchByName("alerts.deliver", "{}").id();
    b.waitFor("new-jobs");
    b.click("show-new");
    row(fresh);
  }

  static WebElement row(String id) {
    return b.wait.until(
        ExpectedConditions.presenceOfElementLocated(
            By.cssSelector("[data-test='job-row'][data-id='" + id + "']")));
  }

  @Test
  @Order(60)
  void failedPageRetriesFailedJobsInBulk() {
    List<String> failed = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      failed.add(
          jobs.dispatchByName("alerts.deliver", "{\"reason\":\"disk full " + i + "\"}").id());
    }
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> failed.stream().allMatch(id -> state(id) == JobState.FAILED));
    b.open("failed");
    assertEquals("Failed & quarantined", b.waitFor("page-title").getText());
    for (String id : failed) {
      assertTrue(row(id).getText().contains("disk full"), row(id).getText());
    }
    b.wait.until(d -> b.all("failed-count").size() == 1);

    // Earlier tests left failed jobs too: all on the page are selected and retried.
    int shown = b.all("job-row").size();
    assertTrue(shown >= failed.size());
    b.click("select-all");
    b.waitText("selected-count", shown + " selected");
    b.click("bulk-retry");
    b.waitFor("toast");
    // Each job ran again (and failed again: it always does).
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> failed.stream().allMatch(id -> runs(id) == 2 && state(id) == JobState.FAILED));

    // Retry every job the filter matches, after a dry run that says how many.
    b.click("retry-all");
    WebElement confirm = b.waitFor("retry-all-confirm");
    assertTrue(confirm.findElement(By.xpath("..")).getText().contains("Retry " + shown + " jobs?"));
    confirm.click();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> failed.stream().allMatch(id -> runs(id) == 3 && state(id) == JobState.FAILED));
  }

  @Test
  @Order(65)
  void jobsListPagesThroughKeysetPages() {
    for (int i = 0; i < 55; i++) {
      jobs.dispatchByName(
          "catalog.import", "{\"label\":\"page " + i + "\",\"items\":1,\"delayMs\":1}");
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> jobs.stats().count(JobState.COMPLETED) >= 55);
    b.open("jobs?state=COMPLETED");
    b.wait.until(d -> b.all("job-row").size() == 50);
    List<String> first = ids();
    b.click("next-page");
    b.wait.until(d -> !b.all("job-row").isEmpty() && !first.contains(ids().get(0)));
    List<String> second = ids();
    assertTrue(second.stream().noneMatch(first::contains), "pages overlap");
    b.click("prev-page");
    b.wait.until(d -> ids().equals(first));
  }

  static List<String> ids() {
    return b.all("job-row").stream().map(r -> r.getAttribute("data-id")).toList();
  }

  @Test
  @Order(70)
  void jobPageShowsErrorOutputAndTimeline() {
    String id = jobs.dispatchByName("alerts.deliver", "{\"reason\":\"quota exceeded\"}").id();
    await().atMost(Duration.ofSeconds(20)).until(() -> state(id) == JobState.FAILED);
    b.open("jobs/" + id.substring(0, 14));
    assertTrue(b.waitFor("job-error").getText().contains("quota exceeded"));
    b.wait.until(ExpectedConditions.urlToBe(b.base + "jobs/" + id));
    b.waitFor("action-retry");
    b.wait.until(
        d ->
            b.all("log-line").stream()
                .anyMatch(l -> l.getText().contains("giving up: quota exceeded")));
    b.wait.until(d -> b.all("event").size() >= 3);

    // Clone: a new job with the same parameters, and its page.
    b.click("action-clone");
    b.wait.until(d -> !d.getCurrentUrl().endsWith(id) && d.getCurrentUrl().contains("/jobs/"));
    String clone = b.driver.getCurrentUrl().replaceAll(".*/jobs/", "");
    await().atMost(Duration.ofSeconds(20)).until(() -> state(clone) == JobState.FAILED);
    b.wait.until(d -> b.waitFor("job-error").getText().contains("quota exceeded"));

    // Edit a copy: the type's form, filled in from the job.
    b.click("action-edit-copy");
    b.wait.until(ExpectedConditions.urlToBe(b.base + "types/alerts.deliver?from=" + clone));
    b.wait.until(d -> "quota exceeded".equals(b.waitFor("input-reason").getAttribute("value")));

    // #12 limits: a due job that waits for a slot says so.
    DispatchOptions limited = DispatchOptions.builder().queue("limited").build();
    String running =
        jobs.dispatchByName(
                "catalog.import", "{\"label\":\"hold\",\"items\":100000,\"delayMs\":50}", limited)
            .id();
    await().atMost(Duration.ofSeconds(20)).until(() -> state(running) == JobState.RUNNING);
    String waiting =
        jobs.dispatchByName("catalog.import", "{\"label\":\"wait\",\"items\":1}", limited).id();
    b.open("jobs/" + waiting);
    b.wait.until(
        d ->
            b.waitFor("job-waiting")
                .getText()
                .equals("waiting for a slot of queue:limited (1 of 1 running)"));
    jobs.cancel(waiting);
    jobs.cancel(running);
    await().atMost(Duration.ofSeconds(20)).until(() -> state(running) == JobState.CANCELLED);
  }

  @Test
  @Order(75)
  void submitFormInJsonModeShowsTheServersPosition() {
    b.open("types/alerts.deliver");
    assertEquals(
        "the upstream service answered 503", b.waitFor("input-reason").getAttribute("value"));
    b.click("mode-json");
    WebElement json = b.waitFor("params-json");
    assertTrue(
        json.getAttribute("value").contains("\"reason\": \"the upstream service"),
        json.getAttribute("value"));
    json.clear();
    json.sendKeys("{\"reason\": 5}");
    b.click("submit");
    String err = b.waitFor("error-json").getText();
    assertTrue(err.startsWith("$.params.reason: "), err);
    // The place is given in the parameters' own text, and selected there.
    assertTrue(err.endsWith("(line 1, column 12 of the parameters)"), err);
    assertEquals(11L, b.js("return document.activeElement.selectionStart"));

    json.clear();
    json.sendKeys("{\"reason\": \"from json\"}");
    b.click("mode-form");
    assertEquals("from json", b.waitFor("input-reason").getAttribute("value"));
    b.click("submit");
    b.wait.until(ExpectedConditions.urlMatches("/jobs/[^/]+$"));
    String id = b.driver.getCurrentUrl().replaceAll(".*/jobs/", "");
    await().atMost(Duration.ofSeconds(20)).until(() -> state(id) == JobState.FAILED);
    b.wait.until(d -> b.waitFor("job-error").getText().contains("from json"));
  }

  @Test
  @Order(80)
  void nodesPageSaysNodesAreListedOnPostgres() {
    b.open("nodes");
    assertEquals("Nodes", b.waitFor("page-title").getText());
    assertTrue(b.waitFor("no-nodes").getText().contains("PostgreSQL"));
  }

  @Test
  @Order(90)
  void unknownPageSaysSo() {
    b.driver.get(b.base + "jobs/a/b");
    // Not one of the app's paths: the server answers 404 itself.
    assertFalse(b.driver.getPageSource().contains("data-test=\"app\""));
    b.open("jobs/no-such-job");
    b.waitFor("page-error");
  }

  @Test
  @Order(100)
  void phoneWidthHasNoSidewaysScrolling() {
    String id = slow("phone", 400, 100);
    try {
      b.phone(360, 780);
      for (String[] page :
          List.of(
              new String[] {"", "running-row"},
              new String[] {"jobs", "job-row"},
              new String[] {"jobs/" + id, "log-line"},
              new String[] {"types/catalog.import", "submit-form"},
              new String[] {"failed", "job-row"},
              new String[] {"nodes", "no-nodes"})) {
        String path = page[0];
        b.open(path);
        b.waitFor(page[1]);
        Number overflow =
            (Number) b.js("return document.documentElement.scrollWidth - window.innerWidth");
        assertTrue(overflow.intValue() <= 0, path + " scrolls sideways by " + overflow + " px");
        assertTrue(b.waitFor("nav-jobs").isDisplayed());
      }
    } finally {
      b.desktop();
      jobs.cancel(id);
    }
  }

  @Test
  @Order(800)
  void noScriptErrorsOrPolicyViolationsOnAnyPage() {
    // Each page once more: no console error (an inline script or style that the CSP blocks shows
    // up here too). What came before includes the 404 that unknownPageSaysSo asks for.
    b.consoleErrors();
    for (String path : List.of("", "jobs", "failed", "types", "types/catalog.import", "nodes")) {
      b.open(path);
    }
    assertEquals(List.of(), b.consoleErrors());
  }

  @Test
  @Order(900)
  void signsOutAndInAgain() {
    b.open("");
    b.click("logout");
    b.wait.until(ExpectedConditions.urlToBe(b.base + "login"));
    assertEquals("Sign in", b.waitFor("page-title").getText());
    // The cookie is gone: the API refuses a reload.
    b.open("jobs");
    b.wait.until(ExpectedConditions.urlContains("/login"));
    b.waitFor("login-key").sendKeys(secret, Keys.ENTER);
    b.wait.until(ExpectedConditions.urlToBe(b.base + "jobs"));
    b.waitText("key-name", "ui-tester");
  }

  @Test
  @Order(950)
  void aViewerKeySeesNoControls() {
    String id = slow("viewed", 300, 100);
    try {
      b.open("");
      b.click("logout");
      b.waitFor("login-key").sendKeys(viewerSecret, Keys.ENTER);
      b.waitText("key-name", "ui-viewer");
      assertEquals("viewer", b.waitFor("key-role").getText());
      b.open("jobs/" + id);
      b.waitFor("job-details");
      assertTrue(b.all("job-actions").isEmpty(), "no cancel, pause, retry or clone");
      b.open("jobs");
      b.waitFor("job-row");
      assertTrue(b.all("select-all").isEmpty() && b.all("new-job").isEmpty());
      b.open("types/catalog.import");
      assertFalse(b.waitFor("submit").isEnabled());
    } finally {
      b.open("");
      b.click("logout");
      b.waitFor("login-key").sendKeys(secret, Keys.ENTER);
      b.waitText("key-name", "ui-tester");
      jobs.cancel(id);
    }
  }

  /**
   * Screenshots of the main pages for the docs, with {@code -Djobkit.screenshots=docs/images}.
   * Without the property it still walks through the pages once more at desktop width.
   */
  @Test
  @Order(1000)
  void screenshots() {
    String dirProp = System.getProperty("jobkit.screenshots", "");
    Path out = dirProp.isBlank() ? null : Path.of(dirProp);
    List<String> running = new ArrayList<>();
    running.add(slow("nightly import", 600, 60));
    running.add(slow("thumbnails", 900, 45));
    running.add(slow("reindex", 300, 150));
    for (int i = 0; i < 6; i++) {
      jobs.dispatchByName(
          "catalog.import", "{\"label\":\"batch " + i + "\",\"items\":5,\"delayMs\":10}");
    }
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> running.stream().allMatch(id -> state(id) == JobState.RUNNING));
    try {
      b.screen(1280, 1000);
      b.open("");
      b.wait.until(d -> b.all("running-row").size() >= 3);
      b.wait.until(d -> percent(b.all("running-row").get(0)) > 3);
      b.screenshot(out, "overview");
      b.desktop();

      b.open("jobs");
      b.wait.until(d -> b.all("job-row").size() >= 5);
      b.screenshot(out, "jobs");

      b.screen(1280, 1320);
      b.open("jobs/" + running.get(0));
      b.wait.until(d -> b.all("log-line").size() >= 8 && b.all("event").size() >= 2);
      b.screenshot(out, "job");
      b.desktop();

      b.open("types/catalog.import");
      WebElement items = b.waitFor("input-items");
      b.waitFor("input-label").sendKeys("nightly import");
      items.clear();
      items.sendKeys("12345678901", Keys.TAB);
      b.click("submit");
      b.waitFor("error-items");
      b.js("window.scrollTo(0, 0)");
      b.screenshot(out, "submit-form");

      b.open("types");
      b.waitFor("type-catalog.import");
      b.screenshot(out, "types");

      b.open("failed");
      b.wait.until(d -> !b.all("job-row").isEmpty());
      b.screenshot(out, "failed");

      b.dark(true);
      b.open("jobs/" + running.get(2));
      b.wait.until(d -> b.all("log-line").size() >= 5);
      b.screenshot(out, "job-dark");
      b.dark(false);

      b.phone(390, 844);
      b.open("");
      b.wait.until(d -> b.all("running-row").size() >= 3);
      b.screenshot(out, "overview-phone");
      b.open("jobs/" + running.get(1));
      b.wait.until(d -> b.all("log-line").size() >= 3);
      b.screenshot(out, "job-phone");
    } finally {
      b.desktop();
      running.forEach(jobs::cancel);
    }
  }
}
