package dev.jobkit.examples.crawl;

import static dev.jobkit.examples.TestJobs.json;
import static dev.jobkit.examples.TestJobs.logs;
import static dev.jobkit.examples.TestJobs.output;
import static dev.jobkit.examples.TestJobs.progress;
import static dev.jobkit.examples.TestJobs.waitForState;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.LogLevel;
import dev.jobkit.examples.TestJobs;
import dev.jobkit.runtime.JobHandle;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobState;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SiteCrawlJobTest {
  /** HTML pages of the example site, all reachable from its home page. */
  private static final int SITE_PAGES = 13;

  @TempDir Path tmp;
  private StaticSiteServer site;

  @BeforeEach
  void startSite() throws Exception {
    site = StaticSiteServer.start();
  }

  @AfterEach
  void stopSite() {
    site.close();
  }

  @Test
  void crawlsTheWholeSiteAndFindsTheBrokenLink() {
    try (JobManager jobs = TestJobs.open(tmp)) {
      JobHandle<?> handle =
          jobs.dispatchByName("site_crawl", "{\"startUrl\": " + json(site.uri()) + "}");
      CrawlReport report = output(jobs, handle.id());

      assertEquals(SITE_PAGES, report.pages());
      assertEquals("done", report.stoppedBecause());
      assertEquals(1, report.externalLinks(), "the link to example.org is not followed");
      assertEquals(
          List.of(
              new BrokenLink(
                  site.uri().resolve("/docs/legacy.html"),
                  site.uri().resolve("/docs/resume.html"),
                  "HTTP 404")),
          report.brokenLinks());
      List<String> log = logs(jobs, handle.id());
      assertTrue(
          log.stream()
              .anyMatch(
                  l ->
                      l.startsWith("200 " + site.uri() + "about.html (")
                          && l.endsWith(" B, 6 links)")),
          log.toString());
      assertTrue(
          logs(jobs, handle.id(), LogLevel.WARN)
              .get(0)
              .startsWith(
                  "Broken link " + site.uri() + "docs/legacy.html: HTTP 404 (linked from "));
    }
  }

  @Test
  void stopsAtMaxPages() {
    try (JobManager jobs = TestJobs.open(tmp)) {
      JobHandle<?> handle =
          jobs.dispatchByName(
              "site_crawl", "{\"startUrl\": " + json(site.uri()) + ", \"maxPages\": 3}");
      CrawlReport report = output(jobs, handle.id());
      assertEquals(3, report.pages());
      assertEquals("maxPages", report.stoppedBecause());
      assertTrue(report.notVisited() > 0);
    }
  }

  @Test
  void aNonHttpStartUrlFailsAtOnce() {
    try (JobManager jobs = TestJobs.open(tmp)) {
      JobHandle<?> handle = jobs.dispatchByName("site_crawl", "{\"startUrl\": \"ftp://x/\"}");
      assertTrue(
          waitForState(jobs, handle.id(), JobState.FAILED)
              .error()
              .orElse("")
              .contains("must be an http or https URL"));
    }
  }

  @Test
  void resumesFromItsFrontierWithoutFetchingAPageTwice() {
    try (JobManager jobs = TestJobs.open(tmp)) {
      JobHandle<?> handle =
          jobs.dispatchByName(
              "site_crawl", "{\"startUrl\": " + json(site.uri()) + ", \"delayMillis\": 60}");
      await("3 pages crawled")
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> progress(jobs, handle.id(), "pages") >= 3);
      handle.pause();
      waitForState(jobs, handle.id(), JobState.PAUSED);
      handle.resume();
      CrawlReport report = output(jobs, handle.id());

      assertEquals(SITE_PAGES, report.pages());
      List<String> log = logs(jobs, handle.id());
      assertTrue(
          log.stream().anyMatch(l -> l.startsWith("Resumed from checkpoint: ")), log.toString());
      Map<String, Long> fetches =
          log.stream()
              .filter(l -> l.startsWith("200 "))
              .map(l -> l.split(" ")[1])
              .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
      assertEquals(SITE_PAGES, fetches.size());
      assertTrue(fetches.values().stream().allMatch(c -> c == 1), "fetched twice: " + fetches);
    }
  }

  @Test
  void extractsAndResolvesLinks() {
    URI base = URI.create("http://h:1/docs/a.html");
    assertEquals(
        List.of(
            URI.create("http://h:1/docs/b.html"),
            URI.create("http://h:1/c?q=1"),
            URI.create("https://other/"),
            URI.create("http://h:1/docs/")),
        HtmlLinks.extract(
            "<A HREF='b.html#top'>b</a> <a class=x href=\"../c?q=1\">"
                + " <a href=\"https://other\"> <a href=\"mailto:x@y\"> <a href=\"./\">",
            base));
  }
}
