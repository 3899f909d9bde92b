package dev.jobkit.examples.crawl;

import dev.jobkit.Job;
import dev.jobkit.JobContext;
import dev.jobkit.JobHandler;
import dev.jobkit.LogLevel;
import dev.jobkit.NonRetryableException;
import dev.jobkit.Progress;
import dev.jobkit.State;
import dev.jobkit.examples.Failure;
import dev.jobkit.examples.Sizes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Crawls a web site breadth-first from a start URL, following links to pages on the same host and
 * port only, and reports the pages fetched and the broken links found.
 *
 * <p>Parameters, as JSON:
 *
 * <pre>{@code
 * {"startUrl": "http://127.0.0.1:8080/", "maxPages": 100, "maxBytes": 10485760,
 *  "maxDuration": "PT1M", "delayMillis": 0}
 * }</pre>
 *
 * <p>Every page fetched is a line in the job's log. Links are read from {@code <a href>} in pages
 * served as {@code text/html} (decoded as UTF-8). A 4xx or 5xx status or a network error makes a
 * broken link, reported with the page that links to it.
 *
 * <p>The state is the {@link #frontier} (the links still to fetch, in order) and the set of URLs
 * {@link #seen} so far, with the running totals; the job checkpoints after each page, so a resumed
 * crawl fetches no page twice. {@code maxDuration} counts crawling time only, not the time the job
 * spent interrupted.
 */
@Job(
    name = "site_crawl",
    description = "Crawls a web site breadth-first from a start URL, same host only")
public class SiteCrawlJob implements JobHandler<CrawlReport> {

  // ---------------------------------------------------------------- parameters

  /** The first page; only pages on its host and port are fetched. */
  public URI startUrl;

  /** Stop after this many pages; default 100. */
  public int maxPages = 100;

  /** Stop once this many bytes have been fetched; default 10 MiB. */
  public long maxBytes = 10L * 1024 * 1024;

  /** Stop after crawling this long; default one minute. */
  public Duration maxDuration = Duration.ofMinutes(1);

  /** Milliseconds to wait between two pages, to be polite to the server; default 0. */
  public long delayMillis;

  // ---------------------------------------------------------------- progress state

  /** Links still to fetch, first in first out; {@code null} until the first run. */
  @State List<Link> frontier;

  /** Every same-site URL ever put in the frontier, fetched or not: the crawler's visited set. */
  @State LinkedHashSet<URI> seen = new LinkedHashSet<>();

  @State int pages;
  @State long bytes;
  @State int externalLinks;
  @State long elapsedMillis;
  @State List<BrokenLink> brokenLinks = new ArrayList<>();

  private transient HttpClient http;

  @Override
  public CrawlReport run(JobContext ctx) throws Exception {
    validate();
    if (frontier == null) {
      frontier = new ArrayList<>(List.of(new Link(startUrl, null)));
      seen.add(startUrl);
      ctx.log(
          "Crawling "
              + startUrl
              + " (at most "
              + maxPages
              + " pages, "
              + Sizes.bytes(maxBytes)
              + ", "
              + Sizes.duration(maxDuration)
              + ")");
    } else {
      ctx.log(
          "Resumed from checkpoint: "
              + pages
              + " pages fetched, "
              + frontier.size()
              + " in the frontier");
    }
    http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();

    long runStart = System.nanoTime();
    long elapsedBefore = elapsedMillis;
    String stoppedBecause = "done";
    while (!frontier.isEmpty()) {
      ctx.checkInterrupt();
      elapsedMillis = elapsedBefore + (System.nanoTime() - runStart) / 1_000_000;
      String limit = limitReached();
      if (limit != null) {
        stoppedBecause = limit;
        ctx.log("Stopping: " + limit + " reached, " + frontier.size() + " URLs not visited");
        break;
      }
      Link link = frontier.get(0);
      fetch(link, ctx);
      frontier.remove(0);
      ctx.checkpoint();
      ctx.progress(
          Progress.structured(
                  Map.of(
                      "pages",
                      pages,
                      "bytes",
                      bytes,
                      "frontier",
                      frontier.size(),
                      "broken",
                      brokenLinks.size()))
              .withMessage(Sizes.count(pages, "page") + ", " + frontier.size() + " queued"));
      if (delayMillis > 0 && !frontier.isEmpty()) {
        Thread.sleep(delayMillis);
      }
    }
    elapsedMillis = elapsedBefore + (System.nanoTime() - runStart) / 1_000_000;

    ctx.log(
        "Crawled "
            + Sizes.count(pages, "page")
            + " ("
            + Sizes.bytes(bytes)
            + "), "
            + Sizes.count(brokenLinks.size(), "broken link"));
    return new CrawlReport(
        startUrl,
        pages,
        bytes,
        List.copyOf(brokenLinks),
        externalLinks,
        frontier.size(),
        stoppedBecause,
        Duration.ofMillis(elapsedMillis));
  }

  private void validate() {
    if (startUrl == null) {
      throw new NonRetryableException("site_crawl: 'startUrl' is required");
    }
    String scheme = String.valueOf(startUrl.getScheme()).toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || startUrl.getHost() == null) {
      throw new NonRetryableException(
          "site_crawl: 'startUrl' must be an http or https URL with a host, got " + startUrl);
    }
    if (maxPages < 1
        || maxBytes < 1
        || maxDuration == null
        || maxDuration.isNegative()
        || maxDuration.isZero()) {
      throw new NonRetryableException(
          "site_crawl: maxPages, maxBytes and maxDuration must be positive");
    }
  }

  /** The name of the limit reached, or null to go on. */
  private String limitReached() {
    if (pages >= maxPages) {
      return "maxPages";
    }
    if (bytes >= maxBytes) {
      return "maxBytes";
    }
    if (elapsedMillis >= maxDuration.toMillis()) {
      return "maxDuration";
    }
    return null;
  }

  /** Fetches one page, records it and queues its same-site links. */
  private void fetch(Link link, JobContext ctx) throws InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(link.url())
            .timeout(Duration.ofSeconds(10))
            .header("User-Agent", "jobkit-site-crawl")
            .GET()
            .build();
    HttpResponse<byte[]> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      broken(link, Failure.reason(e), ctx);
      return;
    }
    if (response.statusCode() >= 400) {
      broken(link, "HTTP " + response.statusCode(), ctx);
      return;
    }
    pages++;
    bytes += response.body().length;
    String type = response.headers().firstValue("Content-Type").orElse("");
    int found = 0;
    if (type.toLowerCase(Locale.ROOT).startsWith("text/html")) {
      String html = new String(response.body(), StandardCharsets.UTF_8);
      for (URI url : HtmlLinks.extract(html, response.uri())) {
        found++;
        if (!HtmlLinks.sameSite(url, startUrl)) {
          externalLinks++;
        } else if (seen.add(url)) {
          frontier.add(new Link(url, link.url()));
        }
      }
    }
    ctx.log(
        response.statusCode()
            + " "
            + link.url()
            + " ("
            + Sizes.bytes(response.body().length)
            + ", "
            + found
            + " links)");
  }

  private void broken(Link link, String reason, JobContext ctx) {
    brokenLinks.add(new BrokenLink(link.url(), link.foundOn(), reason));
    ctx.log(
        LogLevel.WARN,
        "Broken link "
            + link.url()
            + ": "
            + reason
            + (link.foundOn() == null ? "" : " (linked from " + link.foundOn() + ")"));
  }
}
