package dev.jobkit.http.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dashboard: files from the class path folder {@code dev/jobkit/http/ui/} under {@code /ui/},
 * and {@code index.html} for the single-page app's paths, with the base path written into it.
 */
public final class StaticFiles {
  /** The class path folder of the dashboard's files. */
  public static final String ROOT = "dev/jobkit/http/ui/";

  /** The strict policy of every UI answer: no inline script, nothing from elsewhere. */
  public static final String CSP =
      "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self';"
          + " connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none';"
          + " form-action 'self'";

  /** The paths (below the base) at which the app's index page is served. */
  private static final Set<String> PAGE_ROOTS =
      Set.of(
          "",
          "jobs",
          "types",
          "failed",
          "nodes",
          "login",
          "schedules" /* #12 schedules */,
          "templates" /* #12 templates */,
          "batches" /* #12 batches */,
          "audit" /* #14 tenants */,
          "tenants" /* #14 tenants */);

  /**
   * The page roots whose pages have one more segment: a job, a type, a schedule, a template, a
   * batch.
   */
  private static final Set<String> DETAIL_ROOTS =
      Set.of(
          "jobs",
          "types",
          "schedules" /* #12 schedules */,
          "templates" /* #12 templates */,
          "batches" /* #12 batches */);

  private static final Map<String, String> TYPES =
      Map.ofEntries(
          Map.entry("html", "text/html; charset=utf-8"),
          Map.entry("js", "text/javascript; charset=utf-8"),
          Map.entry("mjs", "text/javascript; charset=utf-8"),
          Map.entry("css", "text/css; charset=utf-8"),
          Map.entry("svg", "image/svg+xml"),
          Map.entry("png", "image/png"),
          Map.entry("ico", "image/x-icon"),
          Map.entry("json", "application/json"),
          Map.entry("txt", "text/plain; charset=utf-8"),
          Map.entry("woff2", "font/woff2"));

  private record Asset(byte[] bytes, String etag, String type) {}

  private final ClassLoader loader;
  private final Map<String, Asset> cache = new ConcurrentHashMap<>();

  /** Files from {@code loader}'s class path. */
  public StaticFiles(ClassLoader loader) {
    this.loader = loader;
  }

  /** Whether {@code path} (below the base) is one of the app's pages. */
  public static boolean isPage(String path) {
    String p = path.startsWith("/") ? path.substring(1) : path;
    if (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    String first = p.contains("/") ? p.substring(0, p.indexOf('/')) : p;
    int depth = p.isEmpty() ? 0 : p.split("/").length;
    return PAGE_ROOTS.contains(first)
        && (depth <= 1 || (depth == 2 && DETAIL_ROOTS.contains(first)));
  }

  /** Answers a GET of a page with index.html, or of {@code /ui/FILE} with that file. */
  public void serve(Call c) throws IOException {
    String path = c.path();
    Asset a;
    if (path.startsWith("/ui/")) {
      String name = path.substring(4);
      if (name.isEmpty() || name.contains("..") || name.contains("//") || name.contains("\\")) {
        throw HttpProblem.notFound("no file " + path);
      }
      a = load(name);
      if (a == null) {
        throw HttpProblem.notFound("no file " + path + " in the dashboard");
      }
    } else if (isPage(path)) {
      a = index(c.base());
    } else {
      throw HttpProblem.notFound(
          "no page or route " + c.fullPath() + "; the API is under " + c.base() + ApiRoutes.API);
    }
    var h = c.exchange().getResponseHeaders();
    h.set("Content-Security-Policy", CSP);
    h.set("Referrer-Policy", "same-origin");
    h.set("X-Frame-Options", "DENY");
    h.set("ETag", a.etag);
    h.set("Cache-Control", path.startsWith("/ui/") ? "no-cache" : "no-store");
    String inm = c.header("If-None-Match");
    if (inm != null && inm.equals(a.etag)) {
      c.send(304, null, new byte[0]);
      return;
    }
    c.send(200, a.type, a.bytes);
  }

  private Asset load(String name) throws IOException {
    Asset cached = cache.get(name);
    if (cached != null) {
      return cached;
    }
    byte[] bytes;
    try (InputStream in = loader.getResourceAsStream(ROOT + name)) {
      if (in == null) {
        return null;
      }
      bytes = in.readAllBytes();
    }
    int dot = name.lastIndexOf('.');
    String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    Asset a = new Asset(bytes, etag(bytes), TYPES.getOrDefault(ext, "application/octet-stream"));
    cache.put(name, a);
    return a;
  }

  private Asset index(String base) throws IOException {
    String key = "index.html@" + base;
    Asset cached = cache.get(key);
    if (cached != null) {
      return cached;
    }
    Asset file = load("index.html");
    String html = file != null ? new String(file.bytes, StandardCharsets.UTF_8) : PLACEHOLDER;
    byte[] bytes = withBase(html, base).getBytes(StandardCharsets.UTF_8);
    Asset a = new Asset(bytes, etag(bytes), TYPES.get("html"));
    cache.put(key, a);
    return a;
  }

  /**
   * The page with the base path: {@code <base href="BASE/">} right after {@code <head>}, and {@code
   * data-base="BASE"} on the {@code <html>} element (empty for the root).
   */
  static String withBase(String html, String base) {
    String attr = base.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;");
    String out = html;
    int head = indexOfTag(out, "<head");
    if (head >= 0) {
      int end = out.indexOf('>', head);
      out = out.substring(0, end + 1) + "<base href=\"" + attr + "/\">" + out.substring(end + 1);
    }
    int root = indexOfTag(out, "<html");
    if (root >= 0) {
      int at = root + 5;
      out = out.substring(0, at) + " data-base=\"" + attr + "\"" + out.substring(at);
    }
    return out;
  }

  private static int indexOfTag(String html, String tag) {
    String lower = html.toLowerCase(Locale.ROOT);
    int i = lower.indexOf(tag);
    while (i >= 0) {
      char next = i + tag.length() < lower.length() ? lower.charAt(i + tag.length()) : '>';
      if (next == '>' || Character.isWhitespace(next)) {
        return i;
      }
      i = lower.indexOf(tag, i + 1);
    }
    return -1;
  }

  private static String etag(byte[] bytes) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(bytes);
      return "\"" + HexFormat.of().formatHex(d, 0, 12) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Served only when the dashboard's own index.html is not on the class path. */
  private static final String PLACEHOLDER =
      "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
          + "<title>jobkit</title></head><body><h1>jobkit</h1>"
          + "<p>The dashboard's files are not on the class path. The API is at"
          + " <a href=\"api/v1/openapi.json\">api/v1/openapi.json</a>.</p></body></html>";
}
