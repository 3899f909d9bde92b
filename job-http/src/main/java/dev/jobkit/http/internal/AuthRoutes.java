package dev.jobkit.http.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.jobkit.runtime.ApiKeys;
import dev.jobkit.runtime.JobManager;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The browser session ({@code /api/v1/session}) and API key management ({@code /api/v1/keys}). */
final class AuthRoutes {
  private final JobManager jobs;
  private final Security security;
  private final boolean readOnly;

  AuthRoutes(JobManager jobs, Security security, boolean readOnly) {
    this.jobs = jobs;
    this.security = security;
    this.readOnly = readOnly;
  }

  void register(Router r) {
    String api = ApiRoutes.API;
    r.add("GET", api + "/session", Access.PUBLIC, "Who is logged in (401 if nobody)", this::who);
    r.add(
        "POST",
        api + "/session",
        Access.PUBLIC,
        "Log in with an API key (sets a cookie)",
        this::login);
    r.add("DELETE", api + "/session", Access.PUBLIC, "Log out (clears the cookie)", this::logout);
    r.add("GET", api + "/keys", Access.ADMIN, "List API keys (never their secrets)", this::list);
    r.add(
        "POST",
        api + "/keys",
        Access.ADMIN,
        "Create an API key (its secret is shown once)",
        this::create);
    r.add("DELETE", api + "/keys/{name}", Access.ADMIN, "Revoke an API key", this::revoke);
  }

  private void who(Call c) throws IOException {
    Caller caller = security.identify(c);
    if (caller == null) {
      throw new HttpProblem(
          401, "unauthorized", "Unauthorized", "not logged in; log in with an API key");
    }
    c.json(200, g -> whoBody(g, caller));
  }

  private void whoBody(JsonGenerator g, Caller caller) throws IOException {
    g.writeStartObject();
    g.writeStringField("name", caller.name());
    g.writeStringField("role", Security.roleName(caller.level()));
    if (caller.tenant() == null) {
      g.writeNullField("tenant");
    } else {
      g.writeStringField("tenant", caller.tenant()); // #14: the one tenant it acts for
    }
    g.writeBooleanField("readOnly", readOnly);
    g.writeEndObject();
  }

  private void login(Call c) throws IOException {
    String remote = Security.remote(c);
    security.limit(remote);
    String site = c.header("Sec-Fetch-Site");
    if (site != null && site.equalsIgnoreCase("cross-site")) {
      Security.csrf(c);
    }
    Json.Node root = c.bodyJson();
    Map<String, Json.Node> o = root.object();
    Json.Node keyNode = o == null ? null : o.get("key");
    if (keyNode == null || !(keyNode.value() instanceof String secret)) {
      throw root.problem("expected {\"key\": \"jk_...\"}, an API key from jobkit keys create");
    }
    Optional<ApiKeys.ApiKey> key = security.verify(secret.trim());
    if (key.isEmpty()) {
      security.fail(remote);
      throw new HttpProblem(
          401, "unauthorized", "Unauthorized", "the API key is not valid or was revoked");
    }
    long expires = System.currentTimeMillis() / 1000 + Security.SESSION.toSeconds();
    String value = security.sessionValue(key.get(), expires);
    c.exchange()
        .getResponseHeaders()
        .add("Set-Cookie", security.setCookie(c, value, Security.SESSION.toSeconds()));
    Caller caller = Security.forKey(key.get(), true);
    c.json(200, g -> whoBody(g, caller));
  }

  /** Whether {@code caller} may see {@code k}: every key, or its own tenant's (#14). */
  private static boolean visible(Caller caller, ApiKeys.ApiKey k) {
    return caller.allTenants() || k.tenant().filter(caller.tenant()::equals).isPresent();
  }

  private void logout(Call c) throws IOException {
    c.exchange().getResponseHeaders().add("Set-Cookie", security.setCookie(c, "", 0));
    c.send(204, null, new byte[0]);
  }

  private void list(Call c) throws IOException {
    Caller caller = c.caller();
    // #14: a tenant's admin key sees the keys of its tenant only
    List<ApiKeys.ApiKey> keys =
        jobs.apiKeys().list().stream().filter(k -> visible(caller, k)).toList();
    c.json(
        200,
        g -> {
          g.writeStartObject();
          g.writeArrayFieldStart("keys");
          for (ApiKeys.ApiKey k : keys) {
            key(g, k, null);
          }
          g.writeEndArray();
          g.writeEndObject();
        });
  }

  private static void key(JsonGenerator g, ApiKeys.ApiKey k, String secret) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", k.id());
    g.writeStringField("name", k.name());
    g.writeStringField("role", k.role().name().toLowerCase(java.util.Locale.ROOT));
    JobJson.string(g, "tenant", k.tenant());
    JobJson.time(g, "createdAt", k.createdAt());
    JobJson.string(g, "createdBy", k.createdBy());
    JobJson.time(g, "lastUsedAt", k.lastUsedAt());
    JobJson.time(g, "revokedAt", k.revokedAt());
    g.writeBooleanField("active", k.active());
    if (secret != null) {
      g.writeStringField("secret", secret);
    }
    g.writeEndObject();
  }

  private void create(Call c) throws IOException {
    Json.Node root = c.bodyJson();
    Map<String, Json.Node> o = root.object();
    if (o == null) {
      throw root.problem("expected {\"name\": \"ci\", \"role\": \"operator\"}");
    }
    Json.Node name = o.get("name");
    Json.Node role = o.get("role");
    Json.Node tenantNode = o.get(Tenancy.FIELD);
    for (Map.Entry<String, Json.Node> e : o.entrySet()) {
      if (!List.of("name", "role", Tenancy.FIELD).contains(e.getKey())) {
        throw e.getValue()
            .problem("unknown field '" + e.getKey() + "'; expected name, role, tenant");
      }
    }
    String asked = null;
    if (tenantNode != null && tenantNode.value() != null) {
      if (!(tenantNode.value() instanceof String t)) {
        throw tenantNode.problem("expected a tenant's name, found " + tenantNode.typeName());
      }
      asked = t;
    }
    // #14: a key of one tenant creates keys of that tenant only
    String tenant = Tenancy.requested(c.caller(), asked, tenantNode);
    if (name == null || !(name.value() instanceof String n)) {
      throw root.problem("missing 'name': 1 to 64 of a-z 0-9 . _ -");
    }
    if (role == null || !(role.value() instanceof String r)) {
      throw root.problem("missing 'role': viewer, operator or admin");
    }
    ApiKeys.Role parsed;
    try {
      parsed = ApiKeys.Role.parse(r);
    } catch (IllegalArgumentException e) {
      throw role.problem(e.getMessage());
    }
    ApiKeys.CreatedKey created;
    try {
      created = jobs.apiKeys().create(n, parsed, tenant, c.caller().actor());
    } catch (IllegalArgumentException e) {
      throw name.problem(e.getMessage());
    } catch (IllegalStateException e) {
      throw HttpProblem.conflict(e.getMessage());
    }
    security.invalidate();
    c.exchange().getResponseHeaders().set("Cache-Control", "no-store");
    c.json(201, g -> key(g, created.key(), created.secret()));
  }

  private void revoke(Call c) throws IOException {
    String name = c.param("name");
    Caller caller = c.caller();
    boolean mine =
        caller.allTenants()
            || jobs.apiKeys().list().stream()
                .anyMatch(k -> k.name().equals(name) && visible(caller, k));
    if (!mine || !jobs.apiKeys().revoke(name, caller.actor())) {
      throw HttpProblem.notFound(
          "no active API key named '" + name + "'; list them with GET " + ApiRoutes.API + "/keys");
    }
    security.invalidate();
    c.send(204, null, new byte[0]);
  }
}
