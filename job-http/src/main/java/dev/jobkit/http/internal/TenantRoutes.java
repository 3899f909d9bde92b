package dev.jobkit.http.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.jobkit.runtime.AuditEntry;
import dev.jobkit.runtime.AuditPage;
import dev.jobkit.runtime.AuditQuery;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.TenantInfo;
import dev.jobkit.runtime.TenantSpec;
import dev.jobkit.runtime.Tenants;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Tenants and the audit trail (#14 tenants): {@code GET /api/v1/audit} (newest first, keyset pages;
 * a tenant's key sees its tenant's entries only), and {@code GET /api/v1/tenants}, {@code
 * GET|PUT|DELETE /api/v1/tenants/{name}} (an admin key without a tenant only).
 */
final class TenantRoutes {
  static final String TENANTS = ApiRoutes.API + "/tenants";
  static final String ONE = TENANTS + "/{name}";
  static final String AUDIT = ApiRoutes.API + "/audit";

  /** The fields of a PUT body, in the order the messages list them. */
  static final List<String> FIELDS =
      List.of(
          "weight",
          "maxQueued",
          "maxRunning",
          "submissions",
          "submissionPeriod",
          "burst",
          "maxStoredBytes",
          "description");

  /** The JSON schema of a PUT body, for the OpenAPI document. */
  static final String REQUEST_SCHEMA =
      "{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{"
          + "\"weight\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":1000,\"description\":"
          + "\"Share in fair claiming; default 1\"},"
          + "\"maxQueued\":{\"type\":\"integer\",\"minimum\":0,\"description\":\"0 for none\"},"
          + "\"maxRunning\":{\"type\":\"integer\",\"minimum\":0,\"description\":\"0 for none\"},"
          + "\"submissions\":{\"type\":\"integer\",\"minimum\":0,\"description\":\"Jobs per"
          + " submissionPeriod; 0 for none\"},"
          + "\"submissionPeriod\":{\"type\":[\"string\",\"integer\"],\"description\":\"ISO-8601"
          + " duration (PT1M) or milliseconds\"},"
          + "\"burst\":{\"type\":\"integer\",\"minimum\":0},"
          + "\"maxStoredBytes\":{\"type\":\"integer\",\"minimum\":0},"
          + "\"description\":{\"type\":[\"string\",\"null\"]}}}";

  private final JobManager jobs;

  TenantRoutes(JobManager jobs) {
    this.jobs = jobs;
  }

  void register(Router r) {
    r.add(
        "GET",
        AUDIT,
        Access.READ,
        "The audit trail, newest first (filters tenant, actor, action, since; cursor after)",
        this::audit);
    r.add(
        "GET",
        TENANTS,
        Access.ADMIN,
        "List tenants with settings or jobs, with their queued and running counts",
        this::list);
    r.add("GET", ONE, Access.ADMIN, "One tenant: its weight, quotas and counts", this::get);
    r.add("PUT", ONE, Access.ADMIN, "Store a tenant's weight and quotas", this::put);
    r.add(
        "DELETE",
        ONE,
        Access.ADMIN,
        "Delete a tenant's settings (its jobs stay; weight 1, no quotas)",
        this::delete);
  }

  // ------------------------------------------------------------------ audit

  private void audit(Call c) throws IOException {
    AuditQuery.Builder b = AuditQuery.builder();
    String tenant = Tenancy.scope(c); // a tenant's key: its own entries only
    if (tenant != null) {
      b.tenant(tenant);
    }
    b.actor(c.query("actor"));
    b.action(c.query("action"));
    String since = c.query("since");
    if (since != null) {
      b.since(since(since));
    }
    String after = c.query("after") != null ? c.query("after") : c.query("cursor");
    b.cursor(after);
    b.limit(ApiRoutes.intParam(c, "limit", AuditQuery.DEFAULT_LIMIT, 1, AuditQuery.MAX_LIMIT));
    AuditPage page;
    try {
      page = jobs.audit().list(b.build());
    } catch (IllegalArgumentException e) {
      throw HttpProblem.badRequest("query parameter 'after': " + e.getMessage())
          .with("field", "after");
    }
    c.json(
        200,
        g -> {
          g.writeStartObject();
          g.writeArrayFieldStart("entries");
          for (AuditEntry e : page.entries()) {
            entry(g, e);
          }
          g.writeEndArray();
          JobJson.string(g, "next", page.nextCursor());
          g.writeEndObject();
        });
  }

  /** {@code since}: an ISO-8601 instant, or a duration back from now ({@code PT1H}). */
  static Instant since(String v) {
    String s = v.strip();
    try {
      if (s.startsWith("P") || s.startsWith("p")) {
        return Instant.now().minus(Duration.parse(s));
      }
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      throw HttpProblem.badRequest(
              "query parameter 'since': '"
                  + v
                  + "' is neither an ISO-8601 UTC time such as 2026-12-07T10:00:00Z nor a"
                  + " duration back from now such as PT1H")
          .with("field", "since");
    }
  }

  private static void entry(JsonGenerator g, AuditEntry e) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", e.id());
    JobJson.time(g, "at", e.at());
    JobJson.string(g, "tenant", e.tenant());
    g.writeStringField("actor", e.actor());
    g.writeStringField("action", e.action());
    JobJson.string(g, "target", e.target());
    JobJson.string(g, "detail", e.detail());
    g.writeEndObject();
  }

  // ------------------------------------------------------------------ tenants

  private void list(Call c) throws IOException {
    Tenancy.requireAllTenants(c);
    List<TenantInfo> all = jobs.tenants().list();
    c.json(
        200,
        g -> {
          g.writeStartObject();
          g.writeArrayFieldStart("tenants");
          for (TenantInfo t : all) {
            tenant(g, t);
          }
          g.writeEndArray();
          g.writeEndObject();
        });
  }

  private void get(Call c) throws IOException {
    Tenancy.requireAllTenants(c);
    String name = name(c);
    TenantInfo t = jobs.tenants().get(name).orElseThrow(() -> unknown(name));
    c.json(200, g -> tenant(g, t));
  }

  private void delete(Call c) throws IOException {
    Tenancy.requireAllTenants(c);
    String name = name(c);
    if (!jobs.tenants().delete(name, c.caller().actor())) {
      throw HttpProblem.notFound(
              "tenant '" + name + "' has no stored settings; list tenants with GET " + TENANTS)
          .with("tenant", name);
    }
    c.send(204, null, new byte[0]);
  }

  /**
   * {@code {"weight": 2, "maxQueued": 1000, "maxRunning": 8, "submissions": 100,
   * "submissionPeriod": "PT1M", "burst": 20, "maxStoredBytes": 0, "description": "..."}}: every
   * field is optional; a missing one is the default (weight 1, no quota), so a PUT replaces all.
   */
  private void put(Call c) throws IOException {
    Tenancy.requireAllTenants(c);
    String name = name(c);
    Json.Node root = c.bodyJson();
    Map<String, Json.Node> o = root.object();
    if (o == null) {
      throw root.problem(
          "expected an object such as {\"weight\": 2, \"maxQueued\": 1000}, found "
              + root.typeName());
    }
    TenantSpec.Builder b = TenantSpec.builder(name);
    int submissions = 0;
    Duration period = Duration.ZERO;
    Json.Node submissionsNode = null;
    for (Map.Entry<String, Json.Node> e : o.entrySet()) {
      Json.Node v = e.getValue();
      if (v.value() == null) {
        continue;
      }
      switch (e.getKey()) {
        case "weight" -> b.weight(intValue(v));
        case "maxQueued" -> b.maxQueued(whole(v));
        case "maxRunning" -> b.maxRunning(intValue(v));
        case "submissions" -> {
          submissions = intValue(v);
          submissionsNode = v;
        }
        case "submissionPeriod" -> period = ScheduleRoutes.duration(v);
        case "burst" -> b.burst(intValue(v));
        case "maxStoredBytes" -> b.maxStoredBytes(whole(v));
        case "description" -> {
          if (!(v.value() instanceof String s)) {
            throw v.problem("expected a string, found " + v.typeName());
          }
          b.description(s);
        }
        default ->
            throw v.problem(
                "unknown field '" + e.getKey() + "'; expected " + String.join(", ", FIELDS));
      }
    }
    if (submissions > 0 && period.isZero()) {
      throw submissionsNode.problem(
          "a submission quota needs 'submissionPeriod', such as \"PT1M\" (100 per minute)");
    }
    TenantSpec spec;
    try {
      spec = b.submissions(submissions, period).build();
    } catch (IllegalArgumentException e) {
      throw HttpProblem.badRequest(e.getMessage()).with("tenant", name);
    }
    boolean existed = jobs.tenants().get(name).map(TenantInfo::configured).orElse(false);
    TenantInfo info = jobs.tenants().put(spec, c.caller().actor());
    if (!existed) {
      c.exchange().getResponseHeaders().set("Location", c.base() + TENANTS + "/" + name);
    }
    c.json(existed ? 200 : 201, g -> tenant(g, info));
  }

  private static String name(Call c) {
    String name = c.param("name");
    try {
      return Tenants.checkName(name);
    } catch (IllegalArgumentException e) {
      throw HttpProblem.badRequest(e.getMessage()).with("tenant", name);
    }
  }

  private static HttpProblem unknown(String name) {
    return HttpProblem.notFound(
            "no tenant '"
                + name
                + "': it has neither settings nor waiting or running jobs; list tenants with GET "
                + TENANTS)
        .with("tenant", name);
  }

  private static long whole(Json.Node v) {
    if (v.value() instanceof Integer || v.value() instanceof Long) {
      long n = ((Number) v.value()).longValue();
      if (n < 0) {
        throw v.problem("expected 0 (none) or a positive number, got " + n);
      }
      return n;
    }
    throw v.problem("expected a whole number, found " + v.typeName());
  }

  private static int intValue(Json.Node v) {
    long n = whole(v);
    if (n > Integer.MAX_VALUE) {
      throw v.problem("expected at most " + Integer.MAX_VALUE + ", got " + n);
    }
    return (int) n;
  }

  /** A tenant as a JSON object, as {@code jobkit tenants show --json} writes it. */
  static void tenant(JsonGenerator g, TenantInfo t) throws IOException {
    TenantSpec s = t.spec();
    g.writeStartObject();
    g.writeStringField("name", s.name());
    g.writeNumberField("weight", s.weight());
    g.writeNumberField("maxQueued", s.maxQueued());
    g.writeNumberField("maxRunning", s.maxRunning());
    g.writeNumberField("submissions", s.submissions());
    JobJson.duration(
        g,
        "submissionPeriod",
        s.submissions() == 0 ? Optional.empty() : Optional.of(s.submissionPeriod()));
    g.writeNumberField("burst", s.burst());
    g.writeNumberField("maxStoredBytes", s.maxStoredBytes());
    JobJson.string(g, "description", s.description());
    g.writeNumberField("queued", t.queued());
    g.writeNumberField("running", t.running());
    g.writeBooleanField("configured", t.configured());
    JobJson.time(g, "createdAt", t.createdAt());
    JobJson.time(g, "updatedAt", t.updatedAt());
    g.writeEndObject();
  }
}
