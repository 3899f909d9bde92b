package dev.jobkit.http.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.jobkit.JobDecodeException;
import dev.jobkit.UnknownJobException;
import dev.jobkit.runtime.BatchHandle;
import dev.jobkit.runtime.BatchInfo;
import dev.jobkit.runtime.Batches;
import dev.jobkit.runtime.DispatchOptions;
import dev.jobkit.runtime.JobBatch;
import dev.jobkit.runtime.JobInfo;
import dev.jobkit.runtime.JobManager;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Batches of jobs (issue #12): {@code GET /api/v1/batches} (newest first), {@code GET
 * /api/v1/batches/{id}} (counts, progress, ETA, callbacks and members) and {@code POST
 * /api/v1/batches} (dispatch one).
 */
final class BatchRoutes {
  static final String LIST = ApiRoutes.API + "/batches";
  static final String ONE = ApiRoutes.API + "/batches/{id}";

  /** The request body of {@code POST /api/v1/batches}, for the OpenAPI document. */
  static final String REQUEST_SCHEMA =
      "{\"type\":\"object\",\"required\":[\"jobs\"],\"additionalProperties\":false,"
          + "\"properties\":{\"name\":{\"type\":\"string\"},"
          + "\"description\":{\"type\":\"string\"},"
          + "\"jobs\":{\"type\":\"array\",\"minItems\":1,\"items\":{\"$ref\":"
          + "\"#/components/schemas/BatchJob\"}},"
          + "\"onSuccess\":{\"$ref\":\"#/components/schemas/BatchJob\"},"
          + "\"onFailure\":{\"$ref\":\"#/components/schemas/BatchJob\"},"
          + "\"onComplete\":{\"$ref\":\"#/components/schemas/BatchJob\"}}}";

  /** One job of a batch request. */
  static final String JOB_SCHEMA =
      "{\"type\":\"object\",\"required\":[\"name\"],\"additionalProperties\":false,"
          + "\"properties\":{\"name\":{\"type\":\"string\"},\"params\":{\"type\":\"object\"},"
          + "\"options\":{\"$ref\":\"#/components/schemas/DispatchOptions\"}}}";

  private final JobManager jobs;

  BatchRoutes(JobManager jobs) {
    this.jobs = jobs;
  }

  void register(Router r) {
    r.add("GET", LIST, Access.READ, "List batches, newest first", this::list);
    r.add("GET", ONE, Access.READ, "One batch with its counts and members", this::get);
    r.add("POST", LIST, Access.OPERATE, "Dispatch a batch of jobs with callbacks", this::create);
  }

  private void list(Call c) throws IOException {
    int limit = limit(c, "limit", 50);
    String tenant = Tenancy.scope(c); // #14: a tenant's key lists its own
    List<BatchInfo> all =
        tenant == null ? jobs.batches().list(limit) : jobs.batches().list(tenant, limit);
    c.json(
        200,
        g -> {
          g.writeStartObject();
          g.writeArrayFieldStart("batches");
          for (BatchInfo b : all) {
            write(g, b);
          }
          g.writeEndArray();
          g.writeEndObject();
        });
  }

  private void get(Call c) throws IOException {
    String id = c.param("id");
    BatchInfo b =
        jobs.batches()
            .get(id)
            .filter(x -> c.caller().sees(x.tenant())) // #14: another tenant's is unknown
            .orElseThrow(
                () ->
                    HttpProblem.notFound(
                        "no batch with id " + id + "; list them with GET " + LIST));
    int limit = limit(c, "members", 100);
    List<JobInfo> members = jobs.batches().members(id, limit);
    c.json(
        200,
        g -> {
          g.writeStartObject();
          fields(g, b);
          g.writeArrayFieldStart("members");
          for (JobInfo j : members) {
            JobJson.job(g, j);
          }
          g.writeEndArray();
          g.writeEndObject();
        });
  }

  private static int limit(Call c, String name, int dflt) {
    String v = c.query(name);
    if (v == null) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(v.strip());
      if (n >= 1 && n <= Batches.MAX_LIMIT) {
        return n;
      }
    } catch (NumberFormatException e) {
      // the problem below
    }
    throw HttpProblem.badRequest(
        "query parameter '"
            + name
            + "' must be a whole number from 1 to "
            + Batches.MAX_LIMIT
            + ", got '"
            + v
            + "'");
  }

  /**
   * {@code {"name": ..., "description": ..., "jobs": [{"name", "params", "options"}...],
   * "onSuccess": {...}, "onFailure": {...}, "onComplete": {...}}}.
   */
  private void create(Call c) throws IOException {
    String body = c.bodyText();
    Json.Node root = Json.read(body);
    Map<String, Json.Node> o = root.object();
    if (o == null) {
      throw root.problem(
          "expected a JSON object {\"jobs\": [{\"name\": ..., \"params\": {...}}]}, found "
              + root.typeName());
    }
    Caller caller = c.caller();
    JobBatch b = jobs.batch().createdBy(caller.actor());
    Json.Node members = null;
    for (Map.Entry<String, Json.Node> e : o.entrySet()) {
      Json.Node v = e.getValue();
      switch (e.getKey()) {
        case "name" -> b.name(string(v));
        case "description" -> b.description(string(v));
        case "jobs" -> members = v;
        case "onSuccess" -> job(body, v, caller, "onSuccess", b);
        case "onFailure" -> job(body, v, caller, "onFailure", b);
        case "onComplete" -> job(body, v, caller, "onComplete", b);
        default ->
            throw v.problem(
                "unknown field '"
                    + e.getKey()
                    + "'; expected name, description, jobs, onSuccess, onFailure, onComplete");
      }
    }
    if (members == null || members.array() == null || members.array().isEmpty()) {
      throw (members == null ? root : members)
          .problem("expected 'jobs': a non-empty array of {\"name\": ..., \"params\": {...}}");
    }
    for (Json.Node m : members.array()) {
      job(body, m, caller, null, b);
    }
    BatchHandle h;
    try {
      h = b.dispatch();
    } catch (IllegalArgumentException e) {
      throw HttpProblem.badRequest("batch: " + e.getMessage());
    }
    BatchInfo info = h.info();
    c.exchange().getResponseHeaders().set("Location", c.base() + LIST + "/" + info.id());
    c.json(201, g -> write(g, info));
  }

  private static String string(Json.Node v) {
    if (v.value() != null && !(v.value() instanceof String)) {
      throw v.problem("expected a string, found " + v.typeName());
    }
    return (String) v.value();
  }

  /** Adds one job of the request: a member ({@code callback} null) or a callback. */
  private void job(String body, Json.Node node, Caller caller, String callback, JobBatch b) {
    Map<String, Json.Node> o = node.object();
    if (o == null) {
      throw node.problem(
          "expected a job {\"name\": ..., \"params\": {...}}, found " + node.typeName());
    }
    Json.Node nameNode = null;
    Json.Node params = null;
    Json.Node options = null;
    for (Map.Entry<String, Json.Node> e : o.entrySet()) {
      switch (e.getKey()) {
        case "name" -> nameNode = e.getValue();
        case "params" -> params = e.getValue();
        case "options" -> options = e.getValue();
        default ->
            throw e.getValue()
                .problem("unknown field '" + e.getKey() + "'; expected name, params, options");
      }
    }
    if (nameNode == null || !(nameNode.value() instanceof String name)) {
      throw (nameNode == null ? node : nameNode)
          .problem("expected 'name': the job type to run, a string");
    }
    String paramsJson = "{}";
    if (params != null) {
      if (params.object() == null) {
        throw params
            .problem("expected an object (the job's parameters), found " + params.typeName())
            .with("jobName", name);
      }
      paramsJson = body.substring(params.offset(), params.endOffset());
    }
    DispatchOptions opts = ApiRoutes.options(options, caller, jobs);
    try {
      if (callback == null) {
        b.add(name, paramsJson, opts);
      } else {
        switch (callback) {
          case "onSuccess" -> b.onSuccess(name, paramsJson, opts);
          case "onFailure" -> b.onFailure(name, paramsJson, opts);
          default -> b.onComplete(name, paramsJson, opts);
        }
      }
    } catch (UnknownJobException e) {
      throw nameNode.problem(e.getMessage()).with("jobName", name);
    } catch (JobDecodeException e) {
      throw ApiRoutes.shifted(e, name, params);
    } catch (IllegalArgumentException e) {
      throw HttpProblem.badRequest(name + ": " + e.getMessage()).with("jobName", name);
    }
  }

  /** A batch as a JSON object, as {@code jobkit batches show --json} writes it. */
  static void write(JsonGenerator g, BatchInfo b) throws IOException {
    g.writeStartObject();
    fields(g, b);
    g.writeEndObject();
  }

  private static void fields(JsonGenerator g, BatchInfo b) throws IOException {
    g.writeStringField("id", b.id());
    g.writeStringField("tenant", b.tenant()); // #14 tenants
    JobJson.string(g, "name", b.name());
    JobJson.string(g, "description", b.description());
    g.writeStringField("state", b.state().name());
    g.writeNumberField("total", b.total());
    g.writeNumberField("completed", b.completed());
    g.writeNumberField("failed", b.failed());
    g.writeNumberField("cancelled", b.cancelled());
    g.writeNumberField("running", b.running());
    g.writeNumberField("pending", b.pending());
    g.writeNumberField("progress", b.progress());
    JobJson.time(g, "eta", b.eta());
    JobJson.time(g, "createdAt", b.createdAt());
    JobJson.time(g, "finishedAt", b.finishedAt());
    JobJson.string(g, "createdBy", b.createdBy());
    JobJson.string(g, "onSuccess", b.onSuccessJobId());
    JobJson.string(g, "onFailure", b.onFailureJobId());
    JobJson.string(g, "onComplete", b.onCompleteJobId());
  }
}
