package dev.jobkit.http.internal;

/**
 * Who makes a call: a name for the event trail ({@code actor}), the highest {@link Access} it has,
 * whether it came with the session cookie (those need the CSRF check), and the one tenant it acts
 * for (#14 tenants; null for every tenant).
 */
public record Caller(String name, String actor, Access level, boolean viaCookie, String tenant) {
  /** Nobody: only public routes. */
  public static final Caller ANONYMOUS = new Caller("anonymous", null, Access.PUBLIC, false, null);

  /** Whether this caller may call a route that needs {@code required}. */
  public boolean allows(Access required) {
    return level.ordinal() >= required.ordinal();
  }

  /** Whether this caller acts for every tenant (an administrator's or a legacy key). */
  public boolean allTenants() {
    return tenant == null;
  }

  /** Whether this caller may see an object of {@code objectTenant}. */
  public boolean sees(String objectTenant) {
    return tenant == null || tenant.equals(objectTenant);
  }

  /** How messages name this caller: {@code API key 'ci'} for a key, else the quoted name. */
  public String label() {
    return name.startsWith("key:") ? "API key '" + name.substring(4) + "'" : "'" + name + "'";
  }
}
