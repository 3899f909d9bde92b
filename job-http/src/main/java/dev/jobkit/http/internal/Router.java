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

  /** A route with its pattern split once. */
  private record Compiled(Route route, String[] segments) {}

  /**
   * The result of a lookup: a route and its path parameters, or null route with allowed methods.
   */
  public record Match(Route route, Map<String, String> params, Set<String> allowed) {}

  private final List<Route> routes = new ArrayList<>();
  private volatile List<Compiled> compiled = List.of();

  /** Adds a route. */
  public Router add(String method, String pattern, Access access, String summary, Handler h) {
    Route r = new Route(method, pattern, access, summary, h);
    routes.add(r);
    List<Compiled> c = new ArrayList<>(compiled);
    c.add(new Compiled(r, r.segments().toArray(new String[0])));
    compiled = List.copyOf(c);
    return this;
  }

  /** Every route, in the order added. */
  public List<Route> routes() {
    return List.copyOf(routes);
  }

  /** Finds the route for {@code method} and {@code path} (relative to the API's base). */
  public Match match(String method, String path) {
    List<String> segs = split(path);
    Compiled best = null;
    int bestScore = -1;
    Set<String> allowed = new java.util.TreeSet<>();
    for (Compiled c : compiled) {
      String[] pat = c.segments();
      if (pat.length != segs.size()) {
        continue;
      }
      int score = 0;
      boolean ok = true;
      for (int i = 0; i < pat.length && ok; i++) {
        String p = pat[i];
        if (p.startsWith("{")) {
          continue; // a parameter matches any segment; they are collected for the best route only
        }
        if (p.equals(segs.get(i))) {
          score += 1 << (pat.length - i);
        } else {
          ok = false;
        }
      }
      if (!ok) {
        continue;
      }
      Route r = c.route();
      if (r.method().equals(method) || (method.equals("HEAD") && r.method().equals("GET"))) {
        if (score > bestScore) {
          best = c;
          bestScore = score;
        }
      } else {
        allowed.add(r.method());
      }
    }
    if (best != null) {
      Map<String, String> params = new LinkedHashMap<>();
      String[] pat = best.segments();
      for (int i = 0; i < pat.length; i++) {
        if (pat[i].startsWith("{")) {
          params.put(pat[i].substring(1, pat[i].length() - 1), segs.get(i));
        }
      }
      return new Match(best.route(), params, Set.of());
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
