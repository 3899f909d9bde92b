package dev.jobkit.http.internal;

import dev.jobkit.runtime.Tenants;

/**
 * The tenant rules of the API (#14 tenants). A caller with a tenant (a tenant's API key, or a
 * principal of the application's authenticator with one) sees and changes only that tenant's jobs,
 * schedules, templates, batches and audit entries: another tenant's object answers 404, as an
 * unknown one does, and naming another tenant in a request answers 403. A caller without a tenant
 * (an administrator's or a legacy key, the local admin) sees everything and may name any tenant.
 */
final class Tenancy {
  /** The query parameter and body field that names a tenant. */
  static final String FIELD = "tenant";

  private Tenancy() {}

  /**
   * The tenant a read is limited to: the caller's own, or the {@code ?tenant=} parameter of a
   * caller without one; null for every tenant.
   */
  static String scope(Call c) {
    return requested(c.caller(), c.query(FIELD), null);
  }

  /**
   * The tenant a request acts in: {@code asked} (a tenant named in the request, or null) checked
   * against the caller. Null when neither names one (the runtime's default tenant).
   *
   * @param at the JSON value that named it, for the problem's position; null for a query parameter
   * @throws HttpProblem 400 for an invalid name, 403 when the caller acts for another tenant only
   */
  static String requested(Caller caller, String asked, Json.Node at) {
    if (asked == null) {
      return caller.tenant();
    }
    try {
      Tenants.checkName(asked);
    } catch (IllegalArgumentException e) {
      throw at == null
          ? HttpProblem.badRequest("query parameter 'tenant': " + e.getMessage())
              .with("field", FIELD)
          : at.problem(e.getMessage());
    }
    if (!caller.sees(asked)) {
      HttpProblem p = otherTenant(caller, asked);
      if (at != null) {
        p.with("path", at.path()).with("line", at.line()).with("column", at.column());
      }
      throw p;
    }
    return asked;
  }

  /** The 403 for a caller of one tenant that names {@code asked}. */
  static HttpProblem otherTenant(Caller caller, String asked) {
    return HttpProblem.forbidden(
            caller.label()
                + " acts for tenant '"
                + caller.tenant()
                + "' only and may not use tenant '"
                + asked
                + "'; leave the tenant out, or use a key without a tenant")
        .with(FIELD, caller.tenant());
  }

  /** 403 unless the caller acts for every tenant (the tenant and cleanup routes). */
  static void requireAllTenants(Call c) {
    Caller caller = c.caller();
    if (!caller.allTenants()) {
      throw HttpProblem.forbidden(
              caller.label()
                  + " acts for tenant '"
                  + caller.tenant()
                  + "' only and may not call "
                  + c.method()
                  + " "
                  + c.fullPath()
                  + "; that needs an admin key without a tenant")
          .with(FIELD, caller.tenant());
    }
  }
}
