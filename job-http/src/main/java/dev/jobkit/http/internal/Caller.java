package dev.jobkit.http.internal;

/**
 * Who makes a call: a name for the event trail ({@code actor}), the highest {@link Access} it has,
 * and whether it came with the session cookie (those need the CSRF check).
 */
public record Caller(String name, String actor, Access level, boolean viaCookie) {
  /** Nobody: only public routes. */
  public static final Caller ANONYMOUS = new Caller("anonymous", null, Access.PUBLIC, false);

  /** Whether this caller may call a route that needs {@code required}. */
  public boolean allows(Access required) {
    return level.ordinal() >= required.ordinal();
  }
}
