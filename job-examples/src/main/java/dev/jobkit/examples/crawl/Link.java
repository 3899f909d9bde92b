package dev.jobkit.examples.crawl;

import java.net.URI;

/**
 * A URL waiting in the crawler's frontier.
 *
 * @param url the page to fetch
 * @param foundOn the page that links to it; {@code null} for the start URL
 */
public record Link(URI url, URI foundOn) {}
