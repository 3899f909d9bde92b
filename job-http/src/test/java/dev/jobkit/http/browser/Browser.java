package dev.jobkit.http.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Chromium for a test class, with helpers that find elements by their {@code
 * data-test} attribute and wait for them. Uses Debian's {@code chromium} and {@code chromedriver}
 * (installed by {@code .ci/run}); Selenium Manager stays offline.
 */
final class Browser implements AutoCloseable {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  final ChromeDriver driver;
  final WebDriverWait wait;
  final String base;

  Browser(String base) {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      throw new IllegalStateException(
          "the browser tests need "
              + CHROMIUM
              + " and "
              + CHROMEDRIVER
              + "; install them with: apt-get install -y chromium chromium-driver");
    }
    System.setProperty("SE_OFFLINE", "true");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--window-size=1280,900",
        "--disable-gpu",
        "--hide-scrollbars",
        "--lang=en-GB",
        "--force-prefers-reduced-motion");
    options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
    // The driver's path as a property rather than through ChromeDriverService.Builder: naming that
    // class makes javac read Selenium's @AutoService annotations, a warning under -Werror.
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    this.driver = new ChromeDriver(options);
    this.wait = new WebDriverWait(driver, Duration.ofSeconds(20), Duration.ofMillis(50));
    // Live updates re-render parts of the page while a condition looks at them.
    wait.ignoring(StaleElementReferenceException.class);
    this.base = base.endsWith("/") ? base : base + "/";
  }

  /** Opens {@code path} below the dashboard's base and waits for the app to render a page. */
  void open(String path) {
    driver.get(base + path);
    waitFor("page-title");
  }

  static By test(String name) {
    return By.cssSelector("[data-test='" + name + "']");
  }

  /** The visible element with this {@code data-test}, after waiting for it. */
  WebElement waitFor(String name) {
    return wait.until(ExpectedConditions.visibilityOfElementLocated(test(name)));
  }

  WebElement waitFor(WebElement in, String name) {
    return wait.until(
        d -> {
          List<WebElement> l = in.findElements(test(name));
          return l.isEmpty() || !l.get(0).isDisplayed() ? null : l.get(0);
        });
  }

  List<WebElement> all(String name) {
    return driver.findElements(test(name));
  }

  /** Waits until the page's event stream is connected, so that what happens next reaches it. */
  void waitLive() {
    waitText("live-status", "Live");
  }

  /** Waits for the element to show exactly {@code text}. */
  void waitText(String name, String text) {
    wait.until(ExpectedConditions.textToBe(test(name), text));
  }

  /** Clicks the element once it can be clicked, again if a live update replaced it meanwhile. */
  void click(String name) {
    wait.until(
        d -> {
          WebElement e = ExpectedConditions.elementToBeClickable(test(name)).apply(d);
          if (e == null) {
            return false;
          }
          try {
            e.click();
            return true;
          } catch (StaleElementReferenceException gone) {
            return false;
          }
        });
  }

  Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  /** Emulates a phone-sized screen (the window itself cannot shrink below ~500 px). */
  void phone(int width, int height) {
    driver.executeCdpCommand(
        "Emulation.setDeviceMetricsOverride",
        Map.of("width", width, "height", height, "deviceScaleFactor", 2, "mobile", true));
  }

  /** Emulates a desktop screen of this size (for a screenshot of a long page). */
  void screen(int width, int height) {
    driver.executeCdpCommand(
        "Emulation.setDeviceMetricsOverride",
        Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
  }

  /** Emulates the user's dark colour scheme (true) or the default light one (false). */
  void dark(boolean on) {
    driver.executeCdpCommand(
        "Emulation.setEmulatedMedia",
        Map.of(
            "features",
            List.of(Map.of("name", "prefers-color-scheme", "value", on ? "dark" : "light"))));
  }

  void desktop() {
    driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
  }

  /** Writes a PNG of the page to {@code dir/name.png} when {@code dir} is set. */
  void screenshot(Path dir, String name) {
    if (dir == null) {
      return;
    }
    try {
      Files.createDirectories(dir);
      byte[] png = driver.getScreenshotAs(OutputType.BYTES);
      Files.write(dir.resolve(name + ".png"), png);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the screenshot " + name + " to " + dir, e);
    }
  }

  /**
   * The browser console's errors since the last call: script errors and Content-Security-Policy
   * violations, leaving out failed loads of API answers (a 401 before signing in, a 404 asked for).
   */
  List<String> consoleErrors() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(LogEntry::getMessage)
        .filter(m -> !(m.contains("/api/v1/") && m.contains("Failed to load resource")))
        .toList();
  }

  @Override
  public void close() {
    driver.quit();
  }
}
