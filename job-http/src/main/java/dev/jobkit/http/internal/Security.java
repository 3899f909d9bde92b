package dev.jobkit.http.internal;

import dev.jobkit.http.Authenticator;
import dev.jobkit.http.Principal;
import dev.jobkit.runtime.ApiKeys;
import dev.jobkit.runtime.JobManager;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Authentication and authorization of calls: the application's {@link Authenticator}, then {@code
 * Authorization: Bearer KEY}, then the session cookie; with no active key on a loopback server,
 * every call is the local admin. Checks roles, the CSRF rule for cookie calls, and rate-limits
 * failed attempts per remote address. Never logs or echoes a secret.
 */
public final class Security implements Dispatcher.Guard {
  /** The session cookie's name. */
  public static final String COOKIE = "jobkit_session";

  /** How long a session lasts. */
  static final Duration SESSION = Duration.ofHours(12);

  /** How long a key lookup or "any key active" is trusted. */
  private static final long CACHE_NANOS = Duration.ofSeconds(5).toNanos();

  /** Failed attempts per remote address per window before 429. */
  static final int MAX_FAILURES = 10;

  static final long WINDOW_MS = 60_000;

  private final JobManager jobs;
  private final Authenticator authenticator;
  private final boolean loopback;
  private final Map<String, Cached<Optional<ApiKeys.ApiKey>>> bearerCache =
      new ConcurrentHashMap<>();
  private volatile Cached<List<ApiKeys.ApiKey>> keys;
  private final Map<String, Deque<Long>> failures = new ConcurrentHashMap<>();

  private record Cached<T>(T value, long at) {
    boolean fresh() {
      return System.nanoTime() - at < CACHE_NANOS;
    }
  }

  /**
   * Security over {@code jobs}' API keys; {@code loopback} says whether the server listens on a
   * loopback address only (then, with no active key, calls need no credentials).
   */
  public Security(JobManager jobs, Authenticator authenticator, boolean loopback) {
    this.jobs = jobs;
    this.authenticator = authenticator;
    this.loopback = loopback;
  }

  @Override
  public Caller check(Call c, Access required) {
    if (required == Access.PUBLIC) {
      return Caller.ANONYMOUS;
    }
    Caller caller = identify(c);
    if (caller == null) {
      throw new HttpProblem(
              401,
              "unauthorized",
              "Unauthorized",
              "this server needs an API key: send 'Authorization: Bearer KEY' or log in at "
                  + c.base()
                  + "/login (create a key with: jobkit keys create --name NAME --role viewer)")
          .header("WWW-Authenticate", "Bearer realm=\"jobkit\"");
    }
    if (!caller.allows(required)) {
      throw HttpProblem.forbidden(
          caller.name()
              + " is a "
              + roleName(caller.level())
              + " and may not call "
              + c.method()
              + " "
              + c.fullPath()
              + "; that needs the role "
              + roleName(required));
    }
    if (caller.viaCookie() && isUnsafe(c.method())) {
      csrf(c);
    }
    return caller;
  }

  /** The caller, or null when the call has no (valid) credentials and credentials are needed. */
  public Caller identify(Call c) {
    if (authenticator != null) {
      Optional<Principal> p = authenticator.authenticate(c.exchange());
      if (p.isPresent()) {
        Principal pr = p.get();
        return new Caller(pr.name(), pr.name(), level(pr.role()), false, pr.tenant().orElse(null));
      }
    }
    String auth = c.header("Authorization");
    if (auth != null) {
      String remote = remote(c);
      limit(remote);
      if (!auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
        fail(remote);
        throw new HttpProblem(
                401,
                "unauthorized",
                "Unauthorized",
                "the Authorization header must be 'Bearer KEY' with an API key")
            .header("WWW-Authenticate", "Bearer realm=\"jobkit\"");
      }
      Optional<ApiKeys.ApiKey> key = verify(auth.substring(7).trim());
      if (key.isEmpty()) {
        fail(remote);
        throw new HttpProblem(
                401,
                "unauthorized",
                "Unauthorized",
                "the API key is not valid or was revoked; create one with: jobkit keys create")
            .header("WWW-Authenticate", "Bearer realm=\"jobkit\", error=\"invalid_token\"");
      }
      return forKey(key.get(), false);
    }
    String session = cookie(c, COOKIE);
    if (session != null) {
      Optional<ApiKeys.ApiKey> key = session(session);
      if (key.isPresent()) {
        return forKey(key.get(), true);
      }
    }
    if (loopback && !anyActive()) {
      return new Caller("local", "local", Access.ADMIN, false, null);
    }
    return null;
  }

  /** The caller of a key: its name as the actor, its role, and its tenant (#14), if any. */
  static Caller forKey(ApiKeys.ApiKey k, boolean cookie) {
    return new Caller(
        "key:" + k.name(), "key:" + k.name(), level(k.role()), cookie, k.tenant().orElse(null));
  }

  /** The access level of a role. */
  public static Access level(ApiKeys.Role role) {
    return switch (role) {
      case VIEWER -> Access.READ;
      case OPERATOR -> Access.OPERATE;
      case ADMIN -> Access.ADMIN;
    };
  }

  /** The role's name for an access level, as in {@code jobkit keys create --role}. */
  public static String roleName(Access a) {
    return switch (a) {
      case PUBLIC -> "anonymous";
      case READ -> "viewer";
      case OPERATE -> "operator";
      case ADMIN -> "admin";
    };
  }

  /** Whether any key is active (cached for a few seconds). */
  boolean anyActive() {
    return keys().stream().anyMatch(ApiKeys.ApiKey::active);
  }

  private List<ApiKeys.ApiKey> keys() {
    Cached<List<ApiKeys.ApiKey>> k = keys;
    if (k == null || !k.fresh()) {
      k = new Cached<>(jobs.apiKeys().list(), System.nanoTime());
      keys = k;
    }
    return k.value();
  }

  /** Forgets cached keys (after a key was created or revoked through this server). */
  void invalidate() {
    keys = null;
    bearerCache.clear();
  }

  /** The active key of a bearer secret, verified at most every few seconds per secret. */
  Optional<ApiKeys.ApiKey> verify(String secret) {
    String h = sha256(secret);
    Cached<Optional<ApiKeys.ApiKey>> cached = bearerCache.get(h);
    if (cached != null && cached.fresh()) {
      return cached.value();
    }
    Optional<ApiKeys.ApiKey> key = jobs.apiKeys().verify(secret);
    if (bearerCache.size() > 10_000) {
      bearerCache.clear();
    }
    bearerCache.put(h, new Cached<>(key, System.nanoTime()));
    return key;
  }

  // ------------------------------------------------------------------ sessions

  /** A session cookie's value for {@code key}, valid until {@code expiresEpochSec}. */
  String sessionValue(ApiKeys.ApiKey key, long expiresEpochSec) {
    String hash = jobs.apiKeys().secretHash(key.id()).orElseThrow();
    return key.id() + "." + expiresEpochSec + "." + mac(hash, key.id() + "|" + expiresEpochSec);
  }

  private Optional<ApiKeys.ApiKey> session(String value) {
    String[] parts = value.split("\\.");
    if (parts.length != 3) {
      return Optional.empty();
    }
    long expires;
    try {
      expires = Long.parseLong(parts[1]);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    if (expires < System.currentTimeMillis() / 1000) {
      return Optional.empty();
    }
    Optional<ApiKeys.ApiKey> key =
        keys().stream().filter(k -> k.id().equals(parts[0]) && k.active()).findFirst();
    if (key.isEmpty()) {
      return Optional.empty();
    }
    Optional<String> hash = jobs.apiKeys().secretHash(parts[0]);
    if (hash.isEmpty()) {
      return Optional.empty();
    }
    String expected = mac(hash.get(), parts[0] + "|" + expires);
    boolean ok =
        MessageDigest.isEqual(
            expected.getBytes(StandardCharsets.US_ASCII),
            parts[2].getBytes(StandardCharsets.US_ASCII));
    return ok ? key : Optional.empty();
  }

  /** The {@code Set-Cookie} value that starts a session. */
  String setCookie(Call c, String value, long maxAgeSeconds) {
    String path = c.base().isEmpty() ? "/" : c.base();
    boolean https =
        c.exchange() instanceof com.sun.net.httpserver.HttpsExchange
            || "https".equalsIgnoreCase(c.header("X-Forwarded-Proto"));
    return COOKIE
        + "="
        + value
        + "; Path="
        + path
        + "; Max-Age="
        + maxAgeSeconds
        + "; HttpOnly; SameSite=Strict"
        + (https ? "; Secure" : "");
  }

  private static String mac(String keyHex, String msg) {
    try {
      Mac m = Mac.getInstance("HmacSHA256");
      m.init(new SecretKeySpec(keyHex.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(m.doFinal(msg.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String cookie(Call c, String name) {
    List<String> headers = c.exchange().getRequestHeaders().get("Cookie");
    if (headers == null) {
      return null;
    }
    for (String h : headers) {
      for (String part : h.split(";")) {
        String p = part.trim();
        if (p.startsWith(name + "=")) {
          return p.substring(name.length() + 1);
        }
      }
    }
    return null;
  }

  // ------------------------------------------------------------------ CSRF and rate limit

  private static boolean isUnsafe(String method) {
    return !(method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS"));
  }

  /**
   * Refuses a cookie-authenticated state change that a browser did not send from this site: {@code
   * Sec-Fetch-Site} must be same-origin or none, else the {@code Origin} must be this host.
   */
  static void csrf(Call c) {
    String site = c.header("Sec-Fetch-Site");
    if (site != null) {
      String s = site.trim().toLowerCase(Locale.ROOT);
      if (s.equals("same-origin") || s.equals("none")) {
        return;
      }
      throw csrfProblem();
    }
    String origin = c.header("Origin");
    String host = c.header("Host");
    if (origin != null && host != null) {
      int scheme = origin.indexOf("://");
      String o = scheme < 0 ? origin : origin.substring(scheme + 3);
      if (o.equalsIgnoreCase(host.trim())) {
        return;
      }
    }
    throw csrfProblem();
  }

  private static HttpProblem csrfProblem() {
    return HttpProblem.forbidden(
        "cross-site request refused: a state change with the session cookie must come from the"
            + " dashboard's own pages (Sec-Fetch-Site same-origin, or an Origin equal to Host);"
            + " scripts should send 'Authorization: Bearer KEY' instead");
  }

  static String remote(Call c) {
    var a = c.exchange().getRemoteAddress();
    return a == null || a.getAddress() == null ? "?" : a.getAddress().getHostAddress();
  }

  /** 429 when {@code remote} failed too often in the last minute. */
  void limit(String remote) {
    Deque<Long> d = failures.get(remote);
    if (d == null) {
      return;
    }
    long now = System.currentTimeMillis();
    synchronized (d) {
      while (!d.isEmpty() && d.peekFirst() < now - WINDOW_MS) {
        d.pollFirst();
      }
      if (d.size() >= MAX_FAILURES) {
        long retry = Math.max(1, (d.peekFirst() + WINDOW_MS - now + 999) / 1000);
        throw new HttpProblem(
                429,
                "too-many-attempts",
                "Too many failed attempts",
                "too many failed logins from this address; try again in " + retry + " s")
            .header("Retry-After", Long.toString(retry));
      }
    }
  }

  /** Counts a failed login or key from {@code remote}. */
  void fail(String remote) {
    if (failures.size() > 100_000) {
      failures.clear();
    }
    Deque<Long> d = failures.computeIfAbsent(remote, r -> new ArrayDeque<>());
    synchronized (d) {
      d.addLast(System.currentTimeMillis());
      while (d.size() > MAX_FAILURES) {
        d.pollFirst();
      }
    }
  }
}
