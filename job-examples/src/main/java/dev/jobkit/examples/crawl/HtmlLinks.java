package dev.jobkit.examples.crawl;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the links ({@code <a href="...">}) in an HTML page. A regular expression is enough for the
 * pages a crawler example meets; a real crawler would use an HTML parser.
 */
public final class HtmlLinks {
  private static final Pattern HREF =
      Pattern.compile(
          "<a\\s[^>]*?href\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)'|([^\\s>]+))",
          Pattern.CASE_INSENSITIVE);

  private HtmlLinks() {}

  /**
   * The http and https links in {@code html}, resolved against {@code base}, without fragments and
   * in document order (duplicates included). Links that are not valid URIs are left out.
   */
  public static List<URI> extract(String html, URI base) {
    List<URI> links = new ArrayList<>();
    Matcher m = HREF.matcher(html);
    while (m.find()) {
      String href = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
      URI link = resolve(base, href.strip());
      if (link != null) {
        links.add(link);
      }
    }
    return links;
  }

  /**
   * {@code href} resolved against {@code base}, normalized and without fragment; null if invalid.
   */
  static URI resolve(URI base, String href) {
    try {
      URI uri = base.resolve(new URI(href)).normalize();
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
        return null;
      }
      String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
      String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
      return new URI(scheme + "://" + uri.getRawAuthority() + path + query);
    } catch (URISyntaxException | IllegalArgumentException e) {
      return null;
    }
  }

  /** Whether {@code a} and {@code b} are on the same host and port (and scheme). */
  public static boolean sameSite(URI a, URI b) {
    return a.getScheme().equalsIgnoreCase(b.getScheme())
        && a.getHost().equalsIgnoreCase(b.getHost())
        && port(a) == port(b);
  }

  private static int port(URI uri) {
    if (uri.getPort() != -1) {
      return uri.getPort();
    }
    return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }
}
