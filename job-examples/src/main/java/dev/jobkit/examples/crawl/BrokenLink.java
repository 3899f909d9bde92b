package dev.jobkit.examples.crawl;

import java.net.URI;

/**
 * A link whose target could not be fetched.
 *
 * @param url the target
 * @param foundOn the page that links to it; {@code null} for the start URL
 * @param reason {@code "HTTP 404"} or the network error
 */
public record BrokenLink(URI url, URI foundOn, String reason) {}
