package dev.jobkit.examples.crawl;

import dev.jobkit.examples.Sizes;
import dev.jobkit.examples.Summarizable;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The output of {@link SiteCrawlJob}.
 *
 * @param startUrl where the crawl started
 * @param pages pages fetched successfully (any 2xx response)
 * @param bytes bytes of those pages
 * @param brokenLinks links that led to an error status or a network error
 * @param externalLinks links to other sites, not followed (each occurrence counted)
 * @param notVisited same-site URLs found but not fetched because a limit was reached
 * @param stoppedBecause {@code "done"}, {@code "maxPages"}, {@code "maxBytes"} or {@code
 *     "maxDuration"}
 * @param duration crawling time, interruptions not included
 */
public record CrawlReport(
    URI startUrl,
    int pages,
    long bytes,
    List<BrokenLink> brokenLinks,
    int externalLinks,
    int notVisited,
    String stoppedBecause,
    Duration duration)
    implements Summarizable {

  @Override
  public String summary() {
    return "crawled "
        + Sizes.count(pages, "page")
        + " ("
        + Sizes.bytes(bytes)
        + "), "
        + Sizes.count(brokenLinks.size(), "broken link")
        + ", "
        + Sizes.count(externalLinks, "external link")
        + ("done".equals(stoppedBecause) ? "" : ", stopped at " + stoppedBecause);
  }
}
