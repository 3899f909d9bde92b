package dev.jobkit.http.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OpenAPI 3.1 document, derived from the router (so every route is in it and nothing else) and
 * from the registered job types (each type's parameter schema is {@code
 * components.schemas.<name>Params}; the submit body is a {@code oneOf} over them).
 */
public final class OpenApi {
  private final Router router;
  private final JobManager jobs;

  /** The document for {@code router}'s routes over {@code jobs}. */
  public OpenApi(Router router, JobManager jobs) {
    this.router = router;
    this.jobs = jobs;
  }

  /** Adds {@code GET /api/v1/openapi.json}. */
  public void register(Router r) {
    r.add(
        "GET",
        ApiRoutes.API + "/openapi.json",
        Access.PUBLIC,
        "This OpenAPI document",
        this::serve);
  }

  private void serve(Call c) throws IOException {
    c.json(200, g -> write(g, c.base()));
  }

  /** The component name of a type's parameter schema. */
  public static String paramsSchemaName(String type) {
    return type.replaceAll("[^A-Za-z0-9._-]", "_") + "Params";
  }

  void write(JsonGenerator g, String base) throws IOException {
    List<JobType> types = jobs.jobTypes();
    Map<String, List<Router.Route>> byPath = new LinkedHashMap<>();
    for (Router.Route r : router.routes()) {
      byPath.computeIfAbsent(r.pattern(), k -> new ArrayList<>()).add(r);
    }
    g.writeStartObject();
    g.writeStringField("openapi", "3.1.0");
    g.writeObjectFieldStart("info");
    g.writeStringField("title", "jobkit");
    g.writeStringField("version", "1");
    g.writeStringField(
        "description",
        "Submit, watch and control jobkit jobs. Errors are RFC 9457 problem documents; a"
            + " dispatch refused by a tenant's quota is a 429 with Retry-After. A key of one"
            + " tenant sees and changes that tenant's jobs, schedules, templates and batches only.");
    g.writeEndObject();
    g.writeArrayFieldStart("servers");
    g.writeStartObject();
    g.writeStringField("url", base.isEmpty() ? "/" : base);
    g.writeEndObject();
    g.writeEndArray();
    g.writeObjectFieldStart("paths");
    for (Map.Entry<String, List<Router.Route>> e : byPath.entrySet()) {
      g.writeObjectFieldStart(e.getKey());
      for (Router.Route r : e.getValue()) {
        operation(g, r);
      }
      g.writeEndObject();
    }
    g.writeEndObject();
    g.writeObjectFieldStart("components");
    g.writeObjectFieldStart("schemas");
    for (JobType t : types) {
      g.writeFieldName(paramsSchemaName(t.name()));
      g.writeRawValue(t.schema());
    }
    g.writeFieldName("SubmitRequest");
    g.writeStartObject();
    g.writeArrayFieldStart("oneOf");
    for (JobType t : types) {
      g.writeStartObject();
      g.writeStringField("type", "object");
      g.writeArrayFieldStart("required");
      g.writeString("name");
      g.writeEndArray();
      g.writeObjectFieldStart("properties");
      g.writeObjectFieldStart("name");
      g.writeStringField("const", t.name());
      g.writeEndObject();
      g.writeObjectFieldStart("params");
      g.writeStringField("$ref", "#/components/schemas/" + paramsSchemaName(t.name()));
      g.writeEndObject();
      g.writeObjectFieldStart("options");
      g.writeStringField("$ref", "#/components/schemas/DispatchOptions");
      g.writeEndObject();
      g.writeEndObject();
      g.writeEndObject();
    }
    g.writeRawValue(TEMPLATE_SUBMIT); // #12 templates
    g.writeEndArray();
    g.writeEndObject();
    g.writeFieldName("TemplateRequest"); // #12 templates
    g.writeRawValue(TEMPLATE_REQUEST);
    // #12 batches
    g.writeFieldName("BatchRequest");
    g.writeRawValue(BatchRoutes.REQUEST_SCHEMA);
    g.writeFieldName("BatchJob");
    g.writeRawValue(BatchRoutes.JOB_SCHEMA);
    // #12 schedules
    g.writeFieldName("ScheduleRequest");
    g.writeRawValue(ScheduleRoutes.REQUEST_SCHEMA);
    g.writeFieldName("TenantRequest"); // #14 tenants
    g.writeRawValue(TenantRoutes.REQUEST_SCHEMA);
    g.writeFieldName("DispatchOptions");
    g.writeRawValue(DISPATCH_OPTIONS);
    g.writeFieldName("Problem");
    g.writeRawValue(PROBLEM);
    g.writeEndObject();
    g.writeObjectFieldStart("securitySchemes");
    g.writeObjectFieldStart("bearer");
    g.writeStringField("type", "http");
    g.writeStringField("scheme", "bearer");
    g.writeStringField("description", "An API key from `jobkit keys create`.");
    g.writeEndObject();
    g.writeObjectFieldStart("session");
    g.writeStringField("type", "apiKey");
    g.writeStringField("in", "cookie");
    g.writeStringField("name", "jobkit_session");
    g.writeEndObject();
    g.writeEndObject();
    g.writeEndObject();
    g.writeEndObject();
  }

  private static void operation(JsonGenerator g, Router.Route r) throws IOException {
    g.writeObjectFieldStart(r.method().toLowerCase(java.util.Locale.ROOT));
    g.writeStringField("summary", r.summary());
    g.writeStringField("operationId", operationId(r));
    g.writeStringField("x-jobkit-role", role(r.access()));
    if (r.access() == Access.PUBLIC) {
      g.writeArrayFieldStart("security");
      g.writeStartObject();
      g.writeEndObject();
      g.writeEndArray();
    } else {
      g.writeArrayFieldStart("security");
      g.writeStartObject();
      g.writeArrayFieldStart("bearer");
      g.writeEndArray();
      g.writeEndObject();
      g.writeStartObject();
      g.writeArrayFieldStart("session");
      g.writeEndArray();
      g.writeEndObject();
      g.writeEndArray();
    }
    List<String> pathParams = new ArrayList<>();
    for (String s : r.pattern().split("/")) {
      if (s.startsWith("{")) {
        pathParams.add(s.substring(1, s.length() - 1));
      }
    }
    if (!pathParams.isEmpty()) {
      g.writeArrayFieldStart("parameters");
      for (String p : pathParams) {
        g.writeStartObject();
        g.writeStringField("name", p);
        g.writeStringField("in", "path");
        g.writeBooleanField("required", true);
        g.writeObjectFieldStart("schema");
        g.writeStringField("type", "string");
        g.writeEndObject();
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    String body = null;
    if (r.method().equals("POST") && r.pattern().equals(ApiRoutes.API + "/jobs")) {
      body = "SubmitRequest";
    } else if (r.method().equals("PUT")
        && r.pattern().equals(ApiRoutes.API + "/templates/{name}")) {
      body = "TemplateRequest"; // #12 templates
    } else if (r.method().equals("POST") && r.pattern().equals(BatchRoutes.LIST)) {
      body = "BatchRequest"; // #12 batches
    } else if (r.method().equals("PUT") && r.pattern().equals(TenantRoutes.ONE)) {
      body = "TenantRequest"; // #14 tenants
    }
    if (body != null) {
      g.writeObjectFieldStart("requestBody");
      g.writeBooleanField("required", true);
      g.writeObjectFieldStart("content");
      g.writeObjectFieldStart("application/json");
      g.writeObjectFieldStart("schema");
      g.writeStringField("$ref", "#/components/schemas/" + body);
      g.writeEndObject();
      g.writeEndObject();
      g.writeEndObject();
      g.writeEndObject();
    }
    // #12 schedules
    if (r.method().equals("PUT") && r.pattern().equals(ScheduleRoutes.ONE)) {
      g.writeObjectFieldStart("requestBody");
      g.writeBooleanField("required", true);
      g.writeObjectFieldStart("content");
      g.writeObjectFieldStart("application/json");
      g.writeObjectFieldStart("schema");
      g.writeStringField("$ref", "#/components/schemas/ScheduleRequest");
      g.writeEndObject();
      g.writeEndObject();
      g.writeEndObject();
      g.writeEndObject();
    }
    g.writeObjectFieldStart("responses");
    g.writeObjectFieldStart(
        r.method().equals("POST")
                && (r.pattern().endsWith("/jobs") || r.pattern().equals(BatchRoutes.LIST))
            ? "201"
            : "200");
    g.writeStringField("description", "Success");
    g.writeEndObject();
    g.writeObjectFieldStart("default");
    g.writeStringField("description", "A problem (RFC 9457)");
    g.writeObjectFieldStart("content");
    g.writeObjectFieldStart("application/problem+json");
    g.writeObjectFieldStart("schema");
    g.writeStringField("$ref", "#/components/schemas/Problem");
    g.writeEndObject();
    g.writeEndObject();
    g.writeEndObject();
    g.writeEndObject();
    g.writeEndObject();
    g.writeEndObject();
  }

  private static String operationId(Router.Route r) {
    StringBuilder b = new StringBuilder(r.method().toLowerCase(java.util.Locale.ROOT));
    for (String s : r.pattern().substring(ApiRoutes.API.length()).split("[/.{}]")) {
      if (!s.isEmpty()) {
        b.append(Character.toUpperCase(s.charAt(0))).append(s.substring(1));
      }
    }
    return b.toString();
  }

  private static String role(Access a) {
    return switch (a) {
      case PUBLIC -> "none";
      case READ -> "viewer";
      case OPERATE -> "operator";
      case ADMIN -> "admin";
    };
  }

  private static final String DISPATCH_OPTIONS =
      "{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{"
          + "\"priority\":{\"enum\":[\"LOW\",\"NORMAL\",\"HIGH\",\"CRITICAL\"]},"
          + "\"queue\":{\"type\":\"string\",\"minLength\":1},"
          + "\"delay\":{\"type\":[\"string\",\"integer\"],\"description\":\"ISO-8601 duration or"
          + " milliseconds\"},"
          + "\"runAt\":{\"type\":\"string\",\"format\":\"date-time\"},"
          + "\"maxAttempts\":{\"type\":\"integer\",\"minimum\":1},"
          + "\"timeout\":{\"type\":[\"string\",\"integer\"]},"
          + "\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},"
          + "\"idempotencyKey\":{\"type\":\"string\"},"
          + "\"tenant\":{\"type\":\"string\",\"description\":\"The tenant to dispatch"
          + " into (a key without tenant only; a tenant's key dispatches into its own)\"},"
          + "\"dependsOn\":{\"type\":\"array\",\"description\":\"Stored jobs this job waits"
          + " for: ids, or objects with the edge's policy when the parent fails\",\"items\":"
          + "{\"oneOf\":[{\"type\":\"string\"},{\"type\":\"object\",\"required\":[\"id\"],"
          + "\"additionalProperties\":false,\"properties\":{\"id\":{\"type\":\"string\"},"
          + "\"onFailure\":{\"enum\":[\"CANCEL\",\"FAIL\",\"RUN_ANYWAY\"]}}}]}}}}";

  // #12 templates
  private static final String TEMPLATE_SUBMIT =
      "{\"type\":\"object\",\"required\":[\"template\"],\"additionalProperties\":false,"
          + "\"properties\":{\"template\":{\"type\":\"string\"},"
          + "\"set\":{\"type\":\"object\",\"description\":\"Dotted field paths (a.b) of the"
          + " template's parameters to JSON values\"},"
          + "\"options\":{\"$ref\":\"#/components/schemas/DispatchOptions\"}}}";

  private static final String TEMPLATE_REQUEST =
      "{\"type\":\"object\",\"required\":[\"job\"],\"additionalProperties\":false,"
          + "\"properties\":{\"job\":{\"type\":\"string\"},"
          + "\"params\":{\"type\":\"object\",\"description\":\"The job type's parameters;"
          + " checked against its schema\"},"
          + "\"description\":{\"type\":[\"string\",\"null\"]},"
          + "\"tenant\":{\"type\":\"string\",\"description\":\"The template's tenant; a"
          + " tenant's key may name its own only\"}}}";

  private static final String PROBLEM =
      "{\"type\":\"object\",\"properties\":{\"type\":{\"type\":\"string\"},"
          + "\"title\":{\"type\":\"string\"},\"status\":{\"type\":\"integer\"},"
          + "\"detail\":{\"type\":\"string\"},\"instance\":{\"type\":\"string\"},"
          + "\"jobName\":{\"type\":\"string\"},\"path\":{\"type\":\"string\"},"
          + "\"line\":{\"type\":\"integer\"},\"column\":{\"type\":\"integer\"},"
          + "\"field\":{\"type\":\"string\"},"
          + "\"tenant\":{\"type\":\"string\"},\"quota\":{\"enum\":[\"MAX_QUEUED\","
          + "\"SUBMISSION_RATE\",\"MAX_STORED_BYTES\"]},\"limit\":{\"type\":\"integer\"}}}";
}
