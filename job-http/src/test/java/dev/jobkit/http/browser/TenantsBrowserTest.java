package dev.jobkit.http.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.http.JobkitServer;
import dev.jobkit.runtime.ApiKeys;
import dev.jobkit.runtime.DispatchOptions;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.TenantSpec;
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
 * The dashboard's tenant pages (#14) in a headless Chromium against a real server and runtime: the
 * Tenants page of an administrator (weights, quotas, counts), the tenant of jobs in the list and
 * the job page, the Audit page with its filters and pages, and what a tenant's key sees (its own
 * jobs and entries, no Tenants page). The tests run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TenantsBrowserTest {
  @TempDir static Path dir;
  static JobManager jobs;
  static JobkitServer server;
  static Browser b;
  static String adminSecret;
  static String acmeSecret;
  static String acmeJob;
  static String globexJob;

  /** Where to write screenshots of the pages for the docs ({@code -Djobkit.screenshots=DIR}). */
  static final Path SHOTS =
      System.getProperty("jobkit.screenshots", "").isBlank()
          ? null
          : Path.of(System.getProperty("jobkit.screenshots"));

  static String dispatch(String tenant) {
    return jobs.dispatchByName(
            "catalog.import",
            "{\"label\":\"" + tenant + "\",\"items\":1,\"delayMs\":0}",
            DispatchOptions.builder().tenant(tenant).delay(Duration.ofHours(1)).build())
        .id();
  }

  @BeforeAll
  static void start() {
    jobs =
        JobManager.builder()
            .database(dir.resolve("ui.db"))
            .noWorkers()
            .tenant(
                TenantSpec.builder("acme")
                    .weight(3)
                    .maxQueued(100)
                    .submissions(60, Duration.ofMinutes(1))
                    .description("search team")
                    .build())
            .open();
    adminSecret = jobs.apiKeys().create("root", ApiKeys.Role.ADMIN, null, "test").secret();
    acmeSecret = jobs.apiKeys().create("acme-op", ApiKeys.Role.OPERATOR, "acme", "test").secret();
    acmeJob = dispatch("acme");
    dispatch("acme");
    globexJob = dispatch("globex");
    // Audit entries: five of acme, two of globex, newest last.
    for (int i = 0; i < 5; i++) {
      jobs.audit().record("key:acme-op", "acme", "job.cancel", acmeJob, "round " + i);
    }
    jobs.audit().record("key:root", "globex", "tenant.put", "globex", null);
    jobs.audit().record("key:root", "globex", "job.retry", globexJob, null);
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

  static void signIn(String path, String secret) {
    b.driver.manage().deleteAllCookies();
    b.driver.get(b.base + path);
    b.wait.until(ExpectedConditions.urlContains("/login?next="));
    b.waitFor("login-key").sendKeys(secret, Keys.ENTER);
    b.wait.until(ExpectedConditions.urlToBe(b.base + path));
  }

  static WebElement row(String test, String attr, String value) {
    return b.wait.until(
        ExpectedConditions.visibilityOfElementLocated(
            By.cssSelector("[data-test='" + test + "'][data-" + attr + "='" + value + "']")));
  }

  /**
   * Waits until a cell of a row shows {@code expected}, finding the row again each time (the pages
   * re-render rows on live updates and refreshes).
   */
  static void waitCell(String test, String attr, String value, String cell, String expected) {
    b.wait.until(
        d ->
            expected.equals(
                row(test, attr, value).findElement(Browser.test(cell)).getText().strip()));
  }

  static void waitCellStarts(String test, String attr, String value, String cell, String start) {
    b.wait.until(
        d -> row(test, attr, value).findElement(Browser.test(cell)).getText().startsWith(start));
  }

  @Test
  @Order(1)
  void anAdministratorSeesEveryTenantWithWeightsQuotasAndCounts() {
    signIn("tenants", adminSecret);
    assertEquals("Tenants", b.waitFor("page-title").getText());
    assertTrue(b.waitFor("nav-tenants").getAttribute("class").contains("active"));
    waitCell("tenant-row", "name", "acme", "tenant-weight", "3");
    waitCell("tenant-row", "name", "acme", "tenant-queued", "2");
    waitCell("tenant-row", "name", "acme", "tenant-running", "0");
    waitCell("tenant-row", "name", "acme", "tenant-max-queued", "100");
    waitCell("tenant-row", "name", "acme", "tenant-max-running", "none");
    waitCellStarts("tenant-row", "name", "acme", "tenant-rate", "60 / 1m");
    b.screenshot(SHOTS, "tenants");
    waitCell("tenant-row", "name", "globex", "tenant-weight", "1");
    waitCell("tenant-row", "name", "globex", "tenant-queued", "1");
    // A tenant's name leads to its jobs.
    b.wait.until(
        d -> {
          row("tenant-row", "name", "acme").findElement(Browser.test("tenant-link")).click();
          return true;
        });
    b.wait.until(ExpectedConditions.urlToBe(b.base + "jobs?tenant=acme"));
    b.wait.until(d -> b.all("job-row").size() == 2);
    assertEquals("acme", b.waitFor("filter-tenant").getAttribute("value"));
  }

  @Test
  @Order(2)
  void jobsShowTheirTenantToAnAdministrator() {
    b.open("jobs");
    waitCell("job-row", "id", acmeJob, "job-tenant", "acme");
    b.open("jobs/" + globexJob);
    assertEquals("globex", b.waitFor("job-tenant").getText());
  }

  @Test
  @Order(3)
  void theAuditPageFiltersAndPages() {
    b.open("audit?limit=3");
    assertEquals("Audit trail", b.waitFor("page-title").getText());
    b.wait.until(d -> b.all("audit-row").size() == 3);
    // Newest first: the two globex entries, then acme's last.
    List<String> first = ids();
    assertEquals("job.retry", b.all("audit-action").get(0).getText());
    assertEquals("globex", b.all("audit-tenant").get(0).getText());
    assertEquals("Page 1", b.waitFor("audit-page").getText());
    b.screenshot(SHOTS, "audit");
    b.click("audit-next");
    b.waitText("audit-page", "Page 2");
    b.wait.until(d -> !ids().isEmpty() && !ids().get(0).equals(first.get(0)));
    List<String> second = ids();
    assertEquals(3, second.size());
    second.forEach(id -> assertFalse(first.contains(id), id));
    assertTrue(second.get(0).compareTo(first.get(2)) < 0, "older entries on page 2");
    b.click("audit-prev");
    b.waitText("audit-page", "Page 1");

    b.waitFor("audit-filter-action").sendKeys("tenant.put");
    b.wait.until(d -> b.all("audit-row").size() == 1);
    assertEquals("tenant.put", b.all("audit-action").get(0).getText());
    b.wait.until(ExpectedConditions.urlContains("action=tenant.put"));
    b.waitFor("audit-filter-action").clear();
    b.waitFor("audit-filter-action").sendKeys(" ");
    b.waitFor("audit-filter-tenant").sendKeys("acme");
    b.wait.until(
        d ->
            b.all("audit-row").size() == 3
                && b.all("audit-tenant").stream().allMatch(e -> e.getText().equals("acme")));
    // A job's entry leads to the job.
    b.all("audit-target").get(0).click();
    b.wait.until(ExpectedConditions.urlToBe(b.base + "jobs/" + acmeJob));
    assertTrue(b.consoleErrors().isEmpty(), b.consoleErrors().toString());
  }

  private static List<String> ids() {
    return b.all("audit-row").stream().map(e -> e.getAttribute("data-id")).toList();
  }

  @Test
  @Order(4)
  void aTenantsKeySeesItsOwnJobsAndEntriesOnly() {
    signIn("jobs", acmeSecret);
    assertEquals("acme", b.waitFor("key-tenant").getText());
    b.wait.until(d -> b.all("job-row").size() == 2);
    assertTrue(b.all("nav-tenants").isEmpty(), "no Tenants page for a tenant's key");
    assertTrue(b.all("filter-tenant").isEmpty(), "no tenant filter for a tenant's key");
    assertTrue(b.all("job-tenant").isEmpty(), "no tenant chip: every job is its own");
    List<String> shown = b.all("job-row").stream().map(e -> e.getAttribute("data-id")).toList();
    assertFalse(shown.contains(globexJob), shown.toString());

    b.open("jobs/" + globexJob);
    assertEquals("Not found", b.waitFor("page-title").getText());
    assertTrue(b.waitFor("page-error").getText().contains("no job with id"));

    b.open("audit");
    // The five job.cancel entries and the creation of the acme key; none of globex.
    b.wait.until(d -> b.all("audit-row").size() >= 6);
    b.all("audit-tenant").forEach(e -> assertEquals("acme", e.getText()));
    assertTrue(b.all("audit-row").stream().noneMatch(e -> e.getText().contains(globexJob)));
    assertTrue(b.all("audit-filter-tenant").isEmpty());
    assertEquals("Tenant acme", b.waitFor("audit-scope").getText());

    // The page asks and is refused (403): it shows the problem, not the tenants.
    b.open("tenants");
    assertTrue(b.waitFor("page-error").getText().contains("may not call"));
    b.wait.until(d -> !"Tenants".equals(b.waitFor("page-title").getText()));
    assertTrue(b.all("tenants-table").isEmpty());
    assertTrue(b.consoleErrors().isEmpty(), b.consoleErrors().toString());
  }
}
