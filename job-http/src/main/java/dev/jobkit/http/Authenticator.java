package dev.jobkit.http;

import com.sun.net.httpserver.HttpExchange;
import java.util.Optional;

/**
 * An application's own authentication, for a server embedded behind the application's security: it
 * sees each request (headers, remote address; it must not read the body) and returns who makes it.
 * When it returns a principal, the API key and session checks are skipped; when it returns empty,
 * they apply as usual.
 */
@FunctionalInterface
public interface Authenticator {
  /** The caller of {@code exchange}, or empty to fall back to API keys and sessions. */
  Optional<Principal> authenticate(HttpExchange exchange);
}
