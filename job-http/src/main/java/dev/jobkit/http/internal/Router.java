package dev.jobkit.http.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Routes by method and path pattern ({@code /api/v1/jobs/{id}/logs}): literal segments win over
 * parameters; a path that matches with another method is a 405 with {@code Allow}, one that matches
 * nothing a 404.
 */
public final class Router {
  /** Handles one matched call. */
  @FunctionalInterface
  public interface Handler {
    /** Answers the call (or throws an {@link HttpProblem}). */
    void handle(Call call) throws Exception;
  }

  /**
   * One route: method, pattern, who may call it, a summary for the OpenAPI document, and its
   * handler.
   */
  public record Route(
      String method, String pattern, Access access, String summary, Handler handler) {
    List<String> segments() {
      return split(pattern);
    }
  }

  /**
   * The result of a lookup: a route and its path parameters, or null route with allowed methods.
   */
  public record Match(Route route, Map<String, String> params, Set<String> allowed) {}

  private final List<Route> routes = new ArrayList<>();

  /** Adds a route. */
  public Router add(String method, String pattern, Access access, String summary, Handler h) {
    routes.add(new Route(method, pattern, access, summary, h));
    return this;
  }

  /** Every route, in the order added. */
  public List<Route> routes() {
    return List.copyOf(routes);
  }

  /** Finds the route for {@code method} and {@code path} (relative to the API's base). */
  public Match match(String method, String path) {
    List<String> segs = split(path);
    Route best = null;
    Map<String, String> bestParams = null;
    int bestScore = -1;
    Set<String> allowed = new java.util.TreeSet<>();
    for (Route r : routes) {
      List<String> pat = r.segments();
      if (pat.size() != segs.size()) {
        continue;
      }
      Map<String, String> params = new LinkedHashMap<>();
      int score = 0;
      boolean ok = true;
      for (int i = 0; i < pat.size() && ok; i++) {
        String p = pat.get(i);
        if (p.startsWith("{")) {
          params.put(p.substring(1, p.length() - 1), segs.get(i));
        } else if (p.equals(segs.get(i))) {
          score += 1 << (pat.size() - i);
        } else {
          ok = false;
        }
      }
      if (!ok) {
        continue;
      }
      if (r.method().equals(method) || (method.equals("HEAD") && r.method().equals("GET"))) {
        if (score > bestScore) {
          best = r;
          bestParams = params;
          bestScore = score;
        }
      } else {
        allowed.add(r.method());
      }
    }
    if (best != null) {
      return new Match(best, bestParams, Set.of());
    }
    return new Match(null, Map.of(), allowed);
  }

  private static List<String> split(String path) {
    List<String> out = new ArrayList<>();
    for (String s : path.split("/", -1)) {
      if (!s.isEmpty()) {
        out.add(s);
      }
    }
    return out;
  }
}
