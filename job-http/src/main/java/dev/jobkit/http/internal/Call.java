package dev.jobkit.http.internal;

import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One HTTP call: the exchange, its path relative to the base path, path and query parameters, the
 * caller, and helpers to read the body (with the size limit) and to answer.
 */
public final class Call {
  private final HttpExchange exchange;
  private final String path;
  private final String base;
  private final long maxBody;
  private final String method;
  private Map<String, String> params = Map.of();
  private Map<String, String> query;
  private Caller caller = Caller.ANONYMOUS;
  private boolean answered;

  /** A call on {@code exchange}, whose path below {@code base} is {@code path}. */
  public Call(HttpExchange exchange, String base, String path, long maxBody) {
    this.exchange = exchange;
    this.base = base;
    this.path = path;
    this.maxBody = maxBody;
    this.method = exchange.getRequestMethod().toUpperCase(java.util.Locale.ROOT);
  }

  /** The underlying exchange. */
  public HttpExchange exchange() {
    return exchange;
  }

  /** The request method, upper case. */
  public String method() {
    return method;
  }

  /** The path below the base path, starting with {@code /}. */
  public String path() {
    return path;
  }

  /** The base path: empty for the root, else {@code /prefix} (no trailing slash). */
  public String base() {
    return base;
  }

  /** The path as requested, for {@code instance} in problems. */
  public String fullPath() {
    return base + path;
  }

  void params(Map<String, String> p) {
    this.params = p;
  }

  /** A path parameter. */
  public String param(String name) {
    return params.get(name);
  }

  /** The caller (set by authentication). */
  public Caller caller() {
    return caller;
  }

  void caller(Caller c) {
    this.caller = c;
  }

  /** A request header, or null. */
  public String header(String name) {
    return exchange.getRequestHeaders().getFirst(name);
  }

  /** The query parameters (the last of repeated names wins). */
  public Map<String, String> query() {
    if (query == null) {
      Map<String, String> q = new LinkedHashMap<>();
      String raw = exchange.getRequestURI().getRawQuery();
      if (raw != null && !raw.isEmpty()) {
        for (String pair : raw.split("&")) {
          if (pair.isEmpty()) {
            continue;
          }
          int eq = pair.indexOf('=');
          String k = eq < 0 ? pair : pair.substring(0, eq);
          String v = eq < 0 ? "" : pair.substring(eq + 1);
          try {
            q.put(
                URLDecoder.decode(k, StandardCharsets.UTF_8),
                URLDecoder.decode(v, StandardCharsets.UTF_8));
          } catch (IllegalArgumentException e) {
            throw HttpProblem.badRequest(
                "query parameter '" + k + "': malformed %-escape; encode the value as UTF-8");
          }
        }
      }
      query = q;
    }
    return query;
  }

  /** A query parameter, or null when absent or empty. */
  public String query(String name) {
    String v = query().get(name);
    return v == null || v.isEmpty() ? null : v;
  }

  /**
   * The request body as UTF-8 text, at most the configured limit: longer is a 413 problem, bytes
   * that are not UTF-8 a 400.
   */
  public String bodyText() throws IOException {
    String len = header("Content-Length");
    long declared = -1;
    if (len != null) {
      try {
        declared = Long.parseLong(len.trim());
      } catch (NumberFormatException e) {
        throw HttpProblem.badRequest("Content-Length '" + len + "' is not a number");
      }
      if (declared > maxBody) {
        throw tooLarge();
      }
    }
    ByteArrayOutputStream out =
        new ByteArrayOutputStream(declared >= 0 ? (int) Math.min(declared, 65536) : 1024);
    byte[] buf = new byte[declared >= 0 && declared < 8192 ? (int) declared + 1 : 8192];
    try (InputStream in = exchange.getRequestBody()) {
      int n;
      while ((n = in.read(buf)) > 0) {
        if (out.size() + n > maxBody) {
          throw tooLarge();
        }
        out.write(buf, 0, n);
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(out.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw HttpProblem.badRequest("the request body is not UTF-8 text; send JSON in UTF-8");
    }
  }

  private HttpProblem tooLarge() {
    return new HttpProblem(
        413,
        "body-too-large",
        "Request body too large",
        "the request body is larger than "
            + maxBody
            + " bytes; pass large data by reference (a path or URL), or raise the server's"
            + " body limit");
  }

  /** The request body as one JSON document. */
  public Json.Node bodyJson() throws IOException {
    return Json.read(bodyText());
  }

  /** Whether an answer was sent. */
  public boolean answered() {
    return answered;
  }

  /** Answers with a JSON document. */
  public void json(int status, Json.Body body) throws IOException {
    send(status, "application/json", Json.write(body));
  }

  /** Answers with bytes of a content type. */
  public void send(int status, String contentType, byte[] bytes) throws IOException {
    answered = true;
    if (contentType != null) {
      exchange.getResponseHeaders().set("Content-Type", contentType);
    }
    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    boolean head = method().equals("HEAD");
    if (status == 204 || status == 304) {
      exchange.sendResponseHeaders(status, -1);
    } else if (head) {
      exchange.getResponseHeaders().set("Content-Length", Integer.toString(bytes.length));
      exchange.sendResponseHeaders(status, -1);
    } else {
      exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
    exchange.close();
  }

  /** Marks the call as answered by someone else (a stream that outlives the handler). */
  void detach() {
    answered = true;
  }
}
