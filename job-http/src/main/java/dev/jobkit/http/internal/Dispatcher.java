package dev.jobkit.http.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.jobkit.JobDecodeException;
import dev.jobkit.UnknownJobException;
import dev.jobkit.runtime.AmbiguousJobPrefixException;
import dev.jobkit.runtime.JobStateException;
import dev.jobkit.runtime.QuotaExceededException;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one {@link HttpHandler} of a server: strips the base path, authenticates, checks roles,
 * read-only mode and CSRF, routes, and turns every failure into a problem document. Logs only the
 * method and path, never headers, cookies or bodies.
 */
public final class Dispatcher implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

  /** How a call is authenticated and checked before its route runs. */
  public interface Guard {
    /**
     * The caller of {@code c} for a route that needs {@code required}; throws a 401/403/429 problem
     * when it may not.
     */
    Caller check(Call c, Access required);
  }

  private final String base;
  private final Router router;
  private final StaticFiles files;
  private final Guard guard;
  private final boolean readOnly;
  private final long maxBody;

  /** A dispatcher for the routes of {@code router} under {@code base} ("" or "/prefix"). */
  public Dispatcher(
      String base, Router router, StaticFiles files, Guard guard, boolean readOnly, long maxBody) {
    this.base = base;
    this.router = router;
    this.files = files;
    this.guard = guard;
    this.readOnly = readOnly;
    this.maxBody = maxBody;
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    String raw = ex.getRequestURI().getRawPath();
    String rel;
    if (raw.equals(base)) {
      rel = "/";
    } else if (raw.startsWith(base + "/")) {
      rel = raw.substring(base.length());
    } else {
      rel = null;
    }
    Call c = new Call(ex, base, rel == null ? raw : decode(rel), maxBody);
    try {
      if (rel == null) {
        throw HttpProblem.notFound("no route " + raw + "; the server is mounted at " + base + "/");
      }
      route(c);
    } catch (HttpProblem p) {
      problem(c, p);
    } catch (UnknownJobException e) {
      problem(
          c,
          new HttpProblem(404, "unknown-job", "Unknown job type", e.getMessage())
              .with("jobName", e.jobName()));
    } catch (JobDecodeException e) {
      problem(c, ApiRoutes.shifted(e, e.jobName(), null));
    } catch (AmbiguousJobPrefixException e) {
      problem(c, HttpProblem.conflict(e.getMessage()).with("candidates", e.candidates().size()));
    } catch (QuotaExceededException e) {
      problem(c, quota(e)); // #14 tenants
    } catch (JobStateException e) {
      problem(
          c, new HttpProblem(409, "invalid-state", "Not allowed in this state", e.getMessage()));
    } catch (IOException e) {
      LOG.debug("{} {}: connection failed: {}", c.method(), raw, e.toString());
      ex.close();
    } catch (Exception e) {
      LOG.error("{} {} failed", c.method(), raw, e);
      problem(
          c,
          new HttpProblem(
              500,
              "internal-error",
              "Internal server error",
              "the server failed on this request ("
                  + e.getClass().getSimpleName()
                  + "); see the server's log"));
    }
  }

  /**
   * The 429 of a dispatch that a tenant's quota refused (#14): the exception's one-line message as
   * the detail, {@code Retry-After} in whole seconds rounded up (at least 1; 1 when the quota gives
   * no time, as max queued does), and the tenant, quota and limit as members.
   */
  static HttpProblem quota(QuotaExceededException e) {
    long seconds = e.retryAfter().map(d -> Math.max(1, (d.toMillis() + 999) / 1000)).orElse(1L);
    return new HttpProblem(429, "quota-exceeded", "Quota exceeded", e.getMessage())
        .header("Retry-After", Long.toString(seconds))
        .with("tenant", e.tenant())
        .with("quota", e.quota().name())
        .with("limit", e.limit());
  }

  private static String decode(String path) {
    if (path.indexOf('%') < 0) {
      return path; // nothing to decode: the URI parser would answer the same text
    }
    try {
      return new java.net.URI("http://x" + path).getPath();
    } catch (java.net.URISyntaxException e) {
      return path;
    }
  }

  private void route(Call c) throws Exception {
    String method = c.method();
    if (!c.path().startsWith("/api/")) {
      if (!method.equals("GET") && !method.equals("HEAD")) {
        throw new HttpProblem(
                405,
                "method-not-allowed",
                "Method not allowed",
                method + " is not allowed on " + c.fullPath() + "; the dashboard's pages take GET")
            .header("Allow", "GET, HEAD");
      }
      files.serve(c);
      return;
    }
    Router.Match m = router.match(method, c.path());
    if (m.route() == null) {
      Set<String> allowed = m.allowed();
      if (!allowed.isEmpty()) {
        String allow = String.join(", ", allowed);
        throw new HttpProblem(
                405,
                "method-not-allowed",
                "Method not allowed",
                method + " is not allowed on " + c.fullPath() + "; allowed: " + allow)
            .header("Allow", allow);
      }
      throw HttpProblem.notFound(
          "no route "
              + method
              + " "
              + c.fullPath()
              + "; see "
              + base
              + ApiRoutes.API
              + "/openapi.json for the routes");
    }
    Access access = m.route().access();
    c.caller(guard.check(c, access));
    if (readOnly && access.changesState()) {
      throw HttpProblem.forbidden(
          "the server is read-only; " + method + " " + c.fullPath() + " changes jobs");
    }
    c.params(m.params());
    m.route().handler().handle(c);
    if (!c.answered()) {
      c.send(204, null, new byte[0]);
    }
  }

  /** Writes {@code p} as {@code application/problem+json}, unless an answer was already sent. */
  static void problem(Call c, HttpProblem p) {
    try {
      if (c.answered()) {
        c.exchange().close();
        return;
      }
      if (p.status() >= 500) {
        LOG.warn("{} {}: {}", c.method(), c.fullPath(), p.getMessage());
      } else {
        LOG.debug("{} {}: {} {}", c.method(), c.fullPath(), p.status(), p.getMessage());
      }
      for (Map.Entry<String, String> h : p.headers().entrySet()) {
        c.exchange().getResponseHeaders().set(h.getKey(), h.getValue());
      }
      c.send(
          p.status(),
          "application/problem+json",
          Json.write(
              g -> {
                g.writeStartObject();
                g.writeStringField("type", "https://jobkit.dev/problems/" + p.slug());
                g.writeStringField("title", p.title());
                g.writeNumberField("status", p.status());
                g.writeStringField("detail", p.getMessage());
                g.writeStringField("instance", c.fullPath());
                for (Map.Entry<String, Object> e : p.extras().entrySet()) {
                  Object v = e.getValue();
                  if (v instanceof Number n) {
                    g.writeNumberField(e.getKey(), n.longValue());
                  } else if (v instanceof Boolean b) {
                    g.writeBooleanField(e.getKey(), b);
                  } else {
                    g.writeStringField(e.getKey(), String.valueOf(v));
                  }
                }
                g.writeEndObject();
              }));
    } catch (IOException e) {
      c.exchange().close();
    }
  }
}
