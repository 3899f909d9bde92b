package dev.jobkit.http.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.http.JobkitServer;
import dev.jobkit.runtime.ApiKeys;
import dev.jobkit.runtime.JobInfo;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.TemplateInfo;
import java.nio.file.Path;
import java.time.Duration;
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
 * The dashboard's Templates pages (#12) in a headless Chromium against a real server and runtime:
 * the list, one template with its parameters, a submit with set overrides (and a bad one), "Save as
 * template" and "Edit in form" on a job type's form, delete, and a viewer who sees no controls. The
 * tests run in order and share the templates.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TemplatesBrowserTest {
  static final String NIGHTLY =
      "{\"label\":\"nightly\",\"items\":3,\"delayMs\":0,"
          + "\"target\":{\"bucket\":\"nightly\",\"shards\":4}}";

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
            .workers("default", 1)
            .pollInterval(Duration.ofMillis(50))
            .open();
    secret = jobs.apiKeys().create("ui-tester", ApiKeys.Role.OPERATOR, "test").secret();
    viewerSecret = jobs.apiKeys().create("ui-viewer", ApiKeys.Role.VIEWER, "test").secret();
    jobs.templates()
        .save("nightly-import", "catalog.import", NIGHTLY, "Nightly catalog import", "cli");
    jobs.templates().save("quick", "catalog.import", "{\"items\":1,\"delayMs\":0}", null, "cli");
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

  static WebElement row(String name) {
    return b.wait.until(
        ExpectedConditions.visibilityOfElementLocated(
            By.cssSelector("[data-test='template-row'][data-name='" + name + "']")));
  }

  static void signIn(String key, String name) {
    b.driver.get(b.base + "login");
    b.waitFor("login-key").sendKeys(key, Keys.ENTER);
    b.waitText("key-name", name);
  }

  /** Adds a set row to the template's submit form. */
  static void addSet(String path, String value) {
    b.click("add-set");
    List<WebElement> rows = b.all("set-row");
    WebElement r = rows.get(rows.size() - 1);
    r.findElement(Browser.test("set-path")).sendKeys(path);
    r.findElement(Browser.test("set-value")).sendKeys(value);
  }

  /** How many jobs the database holds. */
  static long total() {
    return jobs.stats().byState().values().stream().mapToLong(Long::longValue).sum();
  }

  static String jobIdInUrl() {
    b.wait.until(ExpectedConditions.urlMatches("/jobs/[0-9A-Z]+$"));
    return b.driver.getCurrentUrl().replaceAll(".*/jobs/", "");
  }

  @Test
  @Order(1)
  void theListShowsEveryTemplate() {
    b.driver.get(b.base + "templates");
    b.wait.until(ExpectedConditions.urlContains("/login?next="));
    b.waitFor("login-key").sendKeys(secret, Keys.ENTER);
    b.wait.until(ExpectedConditions.urlToBe(b.base + "templates"));
    assertEquals("Templates", b.waitFor("page-title").getText());
    assertTrue(b.waitFor("nav-templates").getAttribute("class").contains("active"));
    assertEquals("2 templates", b.waitFor("template-count").getText());

    WebElement nightly = row("nightly-import");
    assertEquals("catalog.import", nightly.findElement(Browser.test("template-job")).getText());
    assertEquals(
        "Nightly catalog import",
        nightly.findElement(Browser.test("template-description")).getText());
    assertTrue(nightly.findElement(By.cssSelector("time")).isDisplayed(), "last update shown");
    row("quick");

    nightly.findElement(Browser.test("template-link")).click();
    b.wait.until(ExpectedConditions.urlToBe(b.base + "templates/nightly-import"));
    assertEquals("nightly-import", b.waitFor("page-title").getText());
  }

  @Test
  @Order(10)
  void theDetailShowsTheParametersAndMetadata() {
    b.open("templates/nightly-import");
    String params = b.waitFor("template-params").getText();
    assertTrue(params.contains("\"bucket\": \"nightly\""), params);
    assertTrue(params.contains("\"shards\": 4"), params);
    WebElement details = b.waitFor("template-details");
    assertEquals("catalog.import", details.findElement(Browser.test("template-job")).getText());
    assertEquals(
        "Nightly catalog import",
        details.findElement(Browser.test("template-description")).getText());
    assertTrue(details.getText().contains("cli"), "created by: " + details.getText());
    assertEquals(
        b.base + "jobs?tag=template%3Anightly-import",
        details.findElement(Browser.test("template-jobs")).getAttribute("href"));
  }

  @Test
  @Order(20)
  void submitWithSetsDispatchesTheMergedParameters() {
    b.open("templates/nightly-import");
    addSet("target.shards", "9");
    addSet("label", "hello world"); // not JSON: taken as text
    b.click("submit-template");
    String id = jobIdInUrl();
    // The job's parameters as decoded: the template's, the sets, and the job's defaults.
    assertEquals(
        Optional.of(
            "{\"label\":\"hello world\",\"items\":3,\"delayMs\":0,\"mode\":\"CHATTY\","
                + "\"notes\":[],\"target\":{\"bucket\":\"nightly\",\"shards\":9},"
                + "\"context\":{},\"failAtEnd\":false}"),
        jobs.detail(id).orElseThrow().paramsJson());
    JobInfo info = jobs.job(id).orElseThrow();
    assertEquals("catalog.import", info.name());
    assertEquals(List.of("template:nightly-import"), info.tags());
    assertEquals(Optional.of("key:ui-tester"), info.createdBy());
    assertEquals(NIGHTLY, jobs.templates().get("nightly-import").orElseThrow().paramsJson());

    // Without sets, the template as it is.
    b.open("templates/quick");
    b.click("submit-template");
    String plain = jobIdInUrl();
    String quick = jobs.detail(plain).orElseThrow().paramsJson().orElseThrow();
    assertTrue(quick.contains("\"items\":1,\"delayMs\":0,"), quick);
  }

  @Test
  @Order(30)
  void aBadSetShowsTheServersMessageAtItsRow() {
    long before = total();
    b.open("templates/nightly-import");
    addSet("items", "3");
    addSet("label.x", "1");
    b.click("submit-template");
    WebElement error = b.waitFor("template-error");
    assertTrue(
        error.getText().contains("cannot set 'label.x': $.label is a string, not an object"),
        error.getText());
    List<WebElement> rows = b.all("set-row");
    assertTrue(rows.get(1).getAttribute("class").contains("invalid"), "the bad row is marked");
    assertFalse(rows.get(0).getAttribute("class").contains("invalid"));

    // A value of the wrong type: the merged parameters do not fit the job.
    rows.get(1).findElement(Browser.test("set-remove")).click();
    WebElement items = b.all("set-row").get(0).findElement(Browser.test("set-value"));
    items.clear();
    items.sendKeys("many");
    b.click("submit-template");
    b.wait.until(d -> b.waitFor("template-error").getText().contains("$.items"));
    assertTrue(b.all("set-row").get(0).getAttribute("class").contains("invalid"));
    assertEquals(b.base + "templates/nightly-import", b.driver.getCurrentUrl());
    assertEquals(before, total(), "nothing dispatched");
  }

  @Test
  @Order(40)
  void saveAsTemplateFromAJobTypesForm() {
    b.open("types/catalog.import");
    WebElement label = b.waitFor("input-label");
    label.clear();
    label.sendKeys("ad hoc");
    WebElement items = b.waitFor("input-items");
    items.clear();
    items.sendKeys("12");
    b.driver.findElement(By.cssSelector("[data-test='save-as-template'] > summary")).click();
    b.waitFor("template-name").sendKeys("adhoc");
    b.waitFor("template-description-input").sendKeys("Made in the browser");
    b.click("save-template");
    b.wait.until(ExpectedConditions.urlToBe(b.base + "templates/adhoc"));
    TemplateInfo t = jobs.templates().get("adhoc").orElseThrow();
    assertEquals("catalog.import", t.jobName());
    assertTrue(t.paramsJson().contains("\"label\":\"ad hoc\""), t.paramsJson());
    assertTrue(t.paramsJson().contains("\"items\":12"), t.paramsJson());
    assertEquals(Optional.of("Made in the browser"), t.description());
    assertEquals(Optional.of("key:ui-tester"), t.createdBy());
    assertTrue(b.waitFor("template-params").getText().contains("\"ad hoc\""));

    // Parameters the job refuses: the server's message at the spot in the JSON text.
    b.open("types/catalog.import");
    b.click("mode-json");
    WebElement json = b.waitFor("params-json");
    json.clear();
    json.sendKeys("{\"items\": \"many\"}");
    b.driver.findElement(By.cssSelector("[data-test='save-as-template'] > summary")).click();
    b.waitFor("template-name").sendKeys("broken");
    b.click("save-template");
    b.wait.until(d -> b.waitFor("error-json").getText().startsWith("$.params.items: "));
    assertTrue(b.waitFor("template-error").getText().contains("see the marked field"));
    assertEquals(Optional.empty(), jobs.templates().get("broken"));

    // A bad name: the server's one-line message, in the panel.
    WebElement name = b.waitFor("template-name");
    name.clear();
    name.sendKeys("-bad");
    json.clear();
    json.sendKeys("{}");
    b.click("save-template");
    b.wait.until(d -> b.waitFor("template-error").getText().contains("-bad"));
    assertEquals(b.base + "types/catalog.import", b.driver.getCurrentUrl());
  }

  @Test
  @Order(45)
  void editInFormFillsTheFormAndSavesAgain() {
    b.open("templates/nightly-import");
    b.click("action-edit");
    b.wait.until(
        ExpectedConditions.urlToBe(b.base + "types/catalog.import?template=nightly-import"));
    b.wait.until(d -> "nightly".equals(b.waitFor("input-label").getAttribute("value")));
    assertEquals("4", b.waitFor("input-target.shards").getAttribute("value"));
    assertEquals("nightly-import", b.waitFor("template-name").getAttribute("value"));
    WebElement shards = b.waitFor("input-target.shards");
    shards.clear();
    shards.sendKeys("6");
    b.click("save-template");
    b.wait.until(ExpectedConditions.urlToBe(b.base + "templates/nightly-import"));
    TemplateInfo t = jobs.templates().get("nightly-import").orElseThrow();
    assertTrue(t.paramsJson().contains("\"shards\":6"), t.paramsJson());
    assertEquals(Optional.of("Nightly catalog import"), t.description());
    assertEquals(Optional.of("cli"), t.createdBy(), "an upsert keeps who created it");
  }

  @Test
  @Order(50)
  void deleteAsksOnceMore() {
    b.open("templates/adhoc");
    b.click("action-delete");
    assertEquals("Delete this template?", b.waitFor("action-delete").getText());
    assertTrue(jobs.templates().get("adhoc").isPresent());
    b.click("action-delete");
    b.wait.until(ExpectedConditions.urlToBe(b.base + "templates"));
    row("nightly-import");
    assertTrue(
        b.all("template-row").stream().noneMatch(r -> "adhoc".equals(r.getAttribute("data-name"))));
    assertEquals(Optional.empty(), jobs.templates().get("adhoc"));
  }

  @Test
  @Order(60)
  void noScriptErrorsOnTheTemplatePages() {
    b.consoleErrors();
    b.open("templates");
    b.open("templates/nightly-import");
    b.open("types/catalog.import?template=quick");
    b.wait.until(d -> "1".equals(b.waitFor("input-items").getAttribute("value")));
    b.open("templates/no-such-template");
    assertTrue(b.waitFor("page-error").getText().contains("no template named 'no-such-template'"));
    assertEquals(List.of(), b.consoleErrors());
  }

  @Test
  @Order(65)
  void phoneWidthHasNoSidewaysScrolling() {
    try {
      b.phone(360, 780);
      for (String[] page :
          List.of(
              new String[] {"templates", "template-row"},
              new String[] {"templates/nightly-import", "template-submit-form"},
              new String[] {"types/catalog.import?template=nightly-import", "save-template"})) {
        b.open(page[0]);
        b.waitFor(page[1]);
        if (page[0].startsWith("templates/")) {
          addSet("target.bucket", "\"a-rather-long-bucket-name-that-could-push-the-row-wider\"");
        }
        Number overflow =
            (Number) b.js("return document.documentElement.scrollWidth - window.innerWidth");
        assertTrue(overflow.intValue() <= 0, page[0] + " scrolls sideways by " + overflow + " px");
      }
    } finally {
      b.desktop();
    }
  }

  @Test
  @Order(70)
  void aViewerSeesNoControls() {
    b.open("");
    b.click("logout");
    signIn(viewerSecret, "ui-viewer");
    b.open("templates");
    row("nightly-import");
    assertTrue(b.all("new-template").isEmpty(), "no New template");
    b.open("templates/nightly-import");
    b.waitFor("template-params");
    assertTrue(b.all("template-actions").isEmpty(), "no edit or delete");
    assertTrue(b.all("template-submit-form").isEmpty(), "no submit form");
    b.open("types/catalog.import");
    b.waitFor("submit-form");
    assertTrue(b.all("save-as-template").isEmpty(), "no Save as template");
    b.open("");
    b.click("logout");
    signIn(secret, "ui-tester");
  }

  /** Screenshots for the docs, with {@code -Djobkit.screenshots=docs/images}. */
  @Test
  @Order(1000)
  void screenshots() {
    String dirProp = System.getProperty("jobkit.screenshots", "");
    Path out = dirProp.isBlank() ? null : Path.of(dirProp);
    jobs.templates()
        .save(
            "weekly-full",
            "catalog.import",
            "{\"label\":\"weekly\",\"items\":500,\"mode\":\"QUIET\"}",
            "Full weekly import, quiet log",
            "key:alice");
    b.screen(1280, 900);
    try {
      b.open("templates");
      row("weekly-full");
      b.screenshot(out, "templates");
      b.open("templates/nightly-import");
      addSet("target.shards", "9");
      addSet("label", "re-run");
      b.screenshot(out, "template");
      b.open("types/catalog.import?template=weekly-full");
      b.waitFor("save-template");
      b.js("arguments[0].scrollIntoView({block: 'center'})", b.waitFor("save-template"));
      b.screenshot(out, "template-save");
    } finally {
      b.desktop();
    }
  }
}
