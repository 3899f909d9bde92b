package dev.jobkit.http.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.http.JobkitServer;
import dev.jobkit.runtime.ApiKeys;
import dev.jobkit.runtime.BatchHandle;
import dev.jobkit.runtime.JobManager;
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
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The dashboard's Batches pages (#12) in a headless Chromium against a real server and runtime: the
 * list with a batch's progress, one batch with its progress bar, counts, callbacks and members
 * while it runs and once it succeeded, and the batch link of a member's job page. The tests run in
 * order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BatchesBrowserTest {
  @TempDir static Path dir;
  static JobManager jobs;
  static JobkitServer server;
  static Browser b;
  static String secret;
  static BatchHandle batch;

  static String params(int items, long delayMs) {
    return "{\"label\":\"part\",\"items\":" + items + ",\"delayMs\":" + delayMs + "}";
  }

  @BeforeAll
  static void start() {
    jobs =
        JobManager.builder()
            .database(dir.resolve("ui.db"))
            .workers("default", 1)
            .pollInterval(Duration.ofMillis(50))
            .progressInterval(Duration.ofMillis(100))
            .open();
    secret = jobs.apiKeys().create("ui-tester", ApiKeys.Role.OPERATOR, "test").secret();
    batch =
        jobs.batch()
            .name("nightly parts")
            .description("three quick parts and a slow one")
            .add("catalog.import", params(1, 0))
            .add("catalog.import", params(1, 0))
            .add("catalog.import", params(1, 0))
            .add("catalog.import", params(1, 0))
            .onSuccess("catalog.import", params(1, 0))
            .onFailure("catalog.import", params(1, 0))
            .dispatch();
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

  @Test
  @Order(1)
  void theListShowsTheBatchWithItsProgress() {
    b.driver.get(b.base + "batches");
    b.wait.until(ExpectedConditions.urlContains("/login?next="));
    b.waitFor("login-key").sendKeys(secret, Keys.ENTER);
    b.wait.until(ExpectedConditions.urlToBe(b.base + "batches"));
    assertEquals("Batches", b.waitFor("page-title").getText());
    assertTrue(b.waitFor("nav-batches").getAttribute("class").contains("active"));
    assertEquals("1 batch", b.waitFor("batch-count").getText());
    WebElement row =
        b.wait.until(
            ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("[data-test='batch-row'][data-id='" + batch.id() + "']")));
    assertEquals("nightly parts", row.findElement(Browser.test("batch-link")).getText());
    assertTrue(
        row.findElement(Browser.test("batch-progress")).getText().endsWith("/ 4"), row.getText());
    row.findElement(Browser.test("batch-link")).click();
    b.wait.until(ExpectedConditions.urlToBe(b.base + "batches/" + batch.id()));
    assertEquals("nightly parts", b.waitFor("page-title").getText());
  }

  @Test
  @Order(10)
  void theBatchPageShowsProgressCountsCallbacksAndMembersUntilItSucceeds() {
    // Dispatched now, so that the page sees it run: three quick members and a slow one (6 s).
    BatchHandle batch =
        jobs.batch()
            .name("slow parts")
            .add("catalog.import", params(1, 0))
            .add("catalog.import", params(1, 0))
            .add("catalog.import", params(1, 0))
            .add("catalog.import", params(24, 250))
            .onSuccess("catalog.import", params(1, 0))
            .onFailure("catalog.import", params(1, 0))
            .dispatch();
    b.open("batches/" + batch.id());
    assertEquals("4", b.waitFor("batch-total").getText());
    List<WebElement> members = b.all("member-row");
    assertEquals(4, members.size());
    // While the slow member runs: three of four members done, its own progress on top.
    b.wait.until(
        d -> {
          String pct = d.findElement(Browser.test("progress")).getAttribute("data-percent");
          return !pct.isEmpty() && Double.parseDouble(pct) >= 75 && Double.parseDouble(pct) < 100;
        });
    assertEquals("3", b.waitFor("batch-completed").getText());
    assertEquals("1", b.waitFor("batch-running").getText());
    assertTrue(
        b.waitFor("batch-eta").findElements(By.cssSelector("time")).size() == 1,
        "an ETA while it runs");
    // Then it succeeds: the success callback is queued, the failure one is not.
    b.wait
        .withTimeout(Duration.ofSeconds(30))
        .until(
            ExpectedConditions.attributeToBe(
                By.cssSelector("[data-test='batch-state'] [data-test='state']"),
                "data-state",
                "SUCCEEDED"));
    assertEquals("100", b.waitFor("progress").getAttribute("data-percent"));
    assertEquals("4", b.waitFor("batch-completed").getText());
    String success = batch.info().onSuccessJobId().orElseThrow();
    WebElement link = b.waitFor("callback-success-link");
    assertTrue(link.getText().startsWith(success.substring(0, 13)), link.getText());
    assertTrue(b.all("callback-failure-link").size() == 1, "the failure callback is listed");
    assertTrue(b.consoleErrors().isEmpty(), b.consoleErrors().toString());
  }

  @Test
  @Order(20)
  void aMembersJobPageLinksToItsBatch() {
    String member = batch.members().get(0).id();
    b.open("jobs/" + member);
    WebElement link = b.waitFor("job-batch");
    link.click();
    b.wait.until(ExpectedConditions.urlToBe(b.base + "batches/" + batch.id()));
    assertEquals("nightly parts", b.waitFor("page-title").getText());
  }
}
