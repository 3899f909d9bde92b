package dev.jobkit.http.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.jobkit.JobDecodeException;
import dev.jobkit.LogLevel;
import dev.jobkit.Priority;
import dev.jobkit.UnknownJobException;
import dev.jobkit.runtime.AmbiguousJobPrefixException;
import dev.jobkit.runtime.DispatchOptions;
import dev.jobkit.runtime.Health;
import dev.jobkit.runtime.JobDetail;
import dev.jobkit.runtime.JobEventInfo;
import dev.jobkit.runtime.JobHandle;
import dev.jobkit.runtime.JobInfo;
import dev.jobkit.runtime.JobLogLine;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobPage;
import dev.jobkit.runtime.JobParent;
import dev.jobkit.runtime.JobQuery;
import dev.jobkit.runtime.JobState;
import dev.jobkit.runtime.JobStats;
import dev.jobkit.runtime.JobType;
import dev.jobkit.runtime.LogQuery;
import dev.jobkit.runtime.NodeInfo;
import dev.jobkit.runtime.OnParentFailure;
import dev.jobkit.runtime.ThroughputBucket;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The REST routes under {@code /api/v1} over one {@link JobManager}. */
public final class ApiRoutes {
  /** The prefix of every API route. */
  public static final String API = "/api/v1";

  private final JobManager jobs;
  private final TemplateRoutes templates; // #12 templates
  private final BatchRoutes batches; // #12 batches

  /**
   * The names of the registered types, read once: a manager's registry does not change, and {@link
   * JobManager#jobTypes()} builds every type with its schema.
   */
  private volatile Set<String> typeNames;

  /** Routes over {@code jobs}. */
  public ApiRoutes(JobManager jobs) {
    this.jobs = jobs;
    this.templates = new TemplateRoutes(jobs); // #12 templates
    this.batches = new BatchRoutes(jobs); // #12 batches
  }

  /** Adds the routes to {@code r}. */
  public void register(Router r) {
    r.add("GET", API + "/types", Access.READ, "List the job types", this::types);
    r.add("GET", API + "/types/{name}", Access.READ, "One job type", this::type);
    r.add("POST", API + "/jobs", Access.OPERATE, "Submit a job", this::submit);
    r.add("GET", API + "/jobs", Access.READ, "List jobs (keyset pages)", this::list);
    r.add(
        "GET",
        API + "/jobs/{id}",
        Access.READ,
        "One job, in detail; waitingFor says why a due job waits for a concurrency or rate limit",
        this::job);
    r.add("GET", API + "/jobs/{id}/logs", Access.READ, "A job's log lines", this::logs);
    r.add("GET", API + "/jobs/{id}/events", Access.READ, "A job's event trail", this::events);
    r.add("GET", API + "/jobs/{id}/output", Access.READ, "A job's output", this::output);
    for (String action : List.of("cancel", "pause", "resume", "retry")) {
      r.add(
          "POST",
          API + "/jobs/{id}/" + action,
          Access.OPERATE,
          "Ask a job to " + action,
          c -> control(c, action));
    }
    r.add(
        "POST", API + "/jobs/{id}/clone", Access.OPERATE, "Submit a copy of a job", this::cloneJob);
    r.add("GET", API + "/nodes", Access.READ, "Worker nodes (PostgreSQL)", this::nodes);
    r.add(
        "GET",
        API + "/stats",
        Access.READ,
        "Counts, queue depths, throughput (of the caller's tenant, or ?tenant=)",
        this::stats);
    r.add("GET", API + "/health", Access.PUBLIC, "Liveness and readiness", this::health);
    templates.register(r); // #12 templates
    batches.register(r); // #12 batches
    r.add(
        "POST",
        API + "/cleanup",
        Access.ADMIN,
        "Delete finished jobs older than a duration",
        this::cleanup);
  }

  // ------------------------------------------------------------------ cleanup

  /**
   * {@code {"olderThan": "P7D", "dryRun": true}}: deletes (or counts) the jobs that finished more
   * than that long ago, as {@code jobkit cleanup} does; their logs and events go with them.
   */
  private void cleanup(Call c) throws IOException {
    Tenancy.requireAllTenants(c); // #14: it deletes every tenant's finished jobs
    Json.Node root = c.bodyJson();
    Map<String, Json.Node> o = root.object();
    if (o == null) {
      throw root.problem("expected an object {\"olderThan\": \"P7D\", \"dryRun\": false}");
    }
    Duration olderThan = null;
    boolean dryRun = false;
    for (Map.Entry<String, Json.Node> e : o.entrySet()) {
      Json.Node v = e.getValue();
      switch (e.getKey()) {
        case "olderThan" -> {
          olderThan = duration(v);
          if (olderThan.isNegative()) {
            throw v.problem("olderThan must not be negative, got " + olderThan);
          }
        }
        case "dryRun" -> {
          if (!(v.value() instanceof Boolean b)) {
            throw v.problem("expected true or false, found " + v.typeName());
          }
          dryRun = b;
        }
        default ->
            throw v.problem("unknown field '" + e.getKey() + "'; expected olderThan, dryRun");
      }
    }
    if (olderThan == null) {
      throw root.problem("missing 'olderThan', such as \"P7D\" (an ISO-8601 duration)");
    }
    long n = jobs.cleanup(olderThan, dryRun);
    if (!dryRun && c.caller().actor() != null) {
      // #14: the runtime's cleanup takes no actor, so the surface records it
      jobs.audit()
          .record(c.caller().actor(), null, "job.cleanup", n + " jobs", "older than " + olderThan);
    }
    boolean dry = dryRun;
    c.json(
        200,
        g -> {
          g.writeStartObject();
          g.writeNumberField(dry ? "wouldDelete" : "deleted", n);
          g.writeBooleanField("dryRun", dry);
          g.writeEndObject();
        });
  }

  // ------------------------------------------------------------------ types

  private void types(Call c) throws IOException {
    List<JobType> all = jobs.jobTypes();
    c.json(
        200,
        g -> {
          g.writeStartObject();
          g.writeArrayFieldStart("types");
          for (JobType t : all) {
            JobJson.type(g, t);
          }
          g.writeEndArray();
          g.writeEndObject();
        });
  }

  private void type(Call c) throws IOException {
    String name = c.param("name");
    JobType t =
        jobs.jobTypes().stream()
            .filter(x -> x.name().equals(name))
            .findFirst()
            .orElseThrow(() -> unknownType(name, null));
    c.json(200, g -> JobJson.type(g, t));
  }

  private Set<String> typeNames() {
    Set<String> names = typeNames;
    if (names == null) {
      names = Set.copyOf(jobs.jobTypes().stream().map(JobType::name).toList());
      typeNames = names;
    }
    return names;
  }

  private HttpProblem unknownType(String name, Json.Node at) {
    Set<String> known = new java.util.TreeSet<>();
    jobs.jobTypes().forEach(t -> known.add(t.name()));
    String msg = new UnknownJobException(name, known).getMessage();
    HttpProblem p =
        new HttpProblem(at == null ? 404 : 400, "unknown-job", "Unknown job type", msg)
            .with("jobName", name);
    if (at != null) {
      p.with("path", at.path()).with("line", at.line()).with("column", at.column());
    }
    return p;
  }

  // ------------------------------------------------------------------ submit

  private void submit(Call c) throws IOException {
    String body = c.bodyText();
    Json.Node root = Json.read(body);
    Map<String, Json.Node> o = root.object();
    if (o == null) {
      throw root.problem(
          "expected a JSON object {\"name\": ..., \"params\": {...}}, found " + root.typeName());
    }
    if (o.containsKey("template")) { // #12 templates
      templates.submit(c, body, root, o);
      return;
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
    if (nameNode == null) {
      throw root.problem("missing field 'name': the job type to run");
    }
    if (!(nameNode.value() instanceof String name)) {
      throw nameNode.problem("expected a string (a job type's name), found " + nameNode.typeName());
    }
    if (!typeNames().contains(name)) {
      throw unknownType(name, nameNode);
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
    DispatchOptions opts =
        options(
            options,
            c.caller(),
            jobs,
            Observability.traceHeaders(c.exchange().getRequestHeaders())); // #13
    JobHandle<?> h;
    try {
      h = jobs.dispatchByName(name, paramsJson, opts);
    } catch (JobDecodeException e) {
      throw shifted(e, name, params);
    } catch (IllegalArgumentException e) {
      throw HttpProblem.badRequest(name + ": " + e.getMessage()).with("jobName", name);
    }
    JobInfo info = jobs.job(h.id()).orElseThrow();
    c.exchange().getResponseHeaders().set("Location", c.base() + API + "/jobs/" + info.id());
    c.json(h.created() ? 201 : 200, g -> JobJson.job(g, info));
  }

  /** The decode problem with its path and position moved from the params text to the body. */
  static HttpProblem shifted(JobDecodeException e, String name, Json.Node params) {
    String path = e.path();
    int line = e.line();
    int column = e.column();
    if (params != null) {
      path = path.startsWith("$") ? "$.params" + path.substring(1) : "$.params." + path;
      if (line == 1) {
        column += params.column() - 1;
      }
      if (line > 0) {
        line += params.line() - 1;
      }
    }
    String msg = new JobDecodeException(name, path, e.reason(), line, column, null).getMessage();
    HttpProblem p =
        new HttpProblem(400, "invalid-parameters", "Invalid job parameters", msg)
            .with("jobName", name)
            .with("path", path);
    if (line > 0) {
      p.with("line", line).with("column", column);
    }
    String field = path.startsWith("$.params.") ? path.substring(9) : null;
    return p.with("field", field);
  }

  static DispatchOptions options(Json.Node options, Caller caller, JobManager jobs) {
    return options(options, caller, jobs, Map.of());
  }

  /**
   * The options, with the request's W3C trace context ({@link Observability#traceHeaders}), the
   * caller as the actor, and the tenant (#14): the caller's own, or the {@code tenant} option of a
   * caller without one (another tenant's name is a 403, see {@link Tenancy}). A parent in {@code
   * dependsOn} that the caller may not see is reported as the runtime reports an unknown one.
   */
  static DispatchOptions options(
      Json.Node options, Caller caller, JobManager jobs, Map<String, String> trace) {
    DispatchOptions.Builder b = DispatchOptions.builder();
    trace.forEach(b::traceContext); // #13 tracing
    if (caller.actor() != null) {
      b.createdBy(caller.actor());
    }
    Json.Node tenantNode = null;
    if (options != null && options.object() != null) {
      tenantNode = options.object().get(Tenancy.FIELD);
    }
    String asked = null;
    if (tenantNode != null && tenantNode.value() != null) {
      asked = string(tenantNode);
    }
    String tenant = Tenancy.requested(caller, asked, tenantNode);
    if (tenant != null) {
      b.tenant(tenant);
    }
    if (options == null || options.value() == null) {
      return b.build();
    }
    Map<String, Json.Node> o = options.object();
    if (o == null) {
      throw options.problem("expected an object of dispatch options, found " + options.typeName());
    }
    try {
      for (Map.Entry<String, Json.Node> e : o.entrySet()) {
        Json.Node v = e.getValue();
        if (v.value() == null) {
          continue;
        }
        switch (e.getKey()) {
          case "priority" -> {
            String s = string(v);
            try {
              b.priority(Priority.valueOf(s.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException x) {
              throw v.problem(
                  "unknown priority '" + s + "'; expected LOW, NORMAL, HIGH or CRITICAL");
            }
          }
          case "queue" -> {
            String s = string(v);
            if (s.isBlank()) {
              throw v.problem("a queue name must not be blank");
            }
            b.queue(s);
          }
          case "delay" -> b.delay(duration(v));
          case "timeout" -> b.timeout(duration(v));
          case "runAt" -> {
            String s = string(v);
            try {
              b.runAt(Instant.parse(s));
            } catch (DateTimeParseException x) {
              throw v.problem(
                  "'" + s + "' is not an ISO-8601 UTC time such as 2026-11-23T10:00:00Z");
            }
          }
          case "maxAttempts" -> {
            if (!(v.value() instanceof Integer || v.value() instanceof Long)) {
              throw v.problem("expected a whole number of attempts, found " + v.typeName());
            }
            long n = ((Number) v.value()).longValue();
            if (n < 1 || n > 1000) {
              throw v.problem("maxAttempts must be 1 to 1000, got " + n);
            }
            b.maxAttempts((int) n);
          }
          case "tags" -> {
            List<Json.Node> l = v.array();
            if (l == null) {
              throw v.problem("expected an array of strings, found " + v.typeName());
            }
            List<String> tags = new ArrayList<>();
            for (Json.Node t : l) {
              tags.add(string(t));
            }
            b.tags(tags.toArray(String[]::new));
          }
          case "idempotencyKey" -> b.idempotencyKey(string(v));
          case "dependsOn" -> dependsOn(b, v, caller, jobs);
          case "tenant" -> {
            // read above
          }
          default ->
              throw v.problem(
                  "unknown option '"
                      + e.getKey()
                      + "'; expected priority, queue, delay, runAt, maxAttempts, timeout, tags,"
                      + " idempotencyKey, dependsOn, tenant");
        }
      }
      return b.build();
    } catch (IllegalArgumentException e) {
      throw options.problem(e.getMessage());
    }
  }

  /**
   * {@code "dependsOn"}: stored jobs the new job waits for, each an id (policy CANCEL) or {@code
   * {"id": ..., "onFailure": "CANCEL" | "FAIL" | "RUN_ANYWAY"}}.
   */
  private static void dependsOn(
      DispatchOptions.Builder b, Json.Node v, Caller caller, JobManager jobs) {
    List<Json.Node> l = v.array();
    if (l == null) {
      throw v.problem(
          "expected an array of parent job ids (or {\"id\", \"onFailure\"} objects), found "
              + v.typeName());
    }
    for (Json.Node p : l) {
      if (p.value() instanceof String id) {
        visibleParent(p, id, caller, jobs);
        b.dependsOn(id);
        continue;
      }
      Map<String, Json.Node> o = p.object();
      if (o == null) {
        throw p.problem(
            "expected a parent job id or an object {\"id\", \"onFailure\"}, found " + p.typeName());
      }
      String id = null;
      OnParentFailure policy = OnParentFailure.CANCEL;
      for (Map.Entry<String, Json.Node> f : o.entrySet()) {
        switch (f.getKey()) {
          case "id" -> id = string(f.getValue());
          case "onFailure" -> {
            String s = string(f.getValue());
            try {
              policy = OnParentFailure.valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException x) {
              throw f.getValue()
                  .problem(
                      "unknown onFailure policy '" + s + "'; expected CANCEL, FAIL or RUN_ANYWAY");
            }
          }
          default ->
              throw f.getValue()
                  .problem("unknown field '" + f.getKey() + "'; expected id, onFailure");
        }
      }
      if (id == null) {
        throw p.problem("missing field 'id': the parent job's id");
      }
      visibleParent(p, id, caller, jobs);
      b.dependsOn(id, policy);
    }
  }

  /** A parent of another tenant than the caller's is reported as a parent that does not exist. */
  private static void visibleParent(Json.Node at, String id, Caller caller, JobManager jobs) {
    if (caller.allTenants()) {
      return;
    }
    Optional<JobInfo> parent = jobs.job(id);
    if (parent.isPresent() && !caller.sees(parent.get().tenant())) {
      throw at.problem(
          "parent job "
              + id
              + " does not exist; check the id (GET "
              + API
              + "/jobs lists stored jobs)");
    }
  }

  private static String string(Json.Node v) {
    if (v.value() instanceof String s) {
      return s;
    }
    throw v.problem("expected a string, found " + v.typeName());
  }

  private static Duration duration(Json.Node v) {
    if (v.value() instanceof Integer || v.value() instanceof Long) {
      return Duration.ofMillis(((Number) v.value()).longValue());
    }
    String s = string(v);
    try {
      return Duration.parse(s);
    } catch (DateTimeParseException e) {
      throw v.problem(
          "'" + s + "' is not an ISO-8601 duration such as PT5M (or a number of milliseconds)");
    }
  }

  // ------------------------------------------------------------------ list and job

  private void list(Call c) throws IOException {
    JobQuery q = query(c, JobQuery.DEFAULT_LIMIT).build();
    JobPage page;
    try {
      page = jobs.list(q);
    } catch (IllegalArgumentException e) {
      throw HttpProblem.badRequest("query parameter 'after': " + e.getMessage())
          .with("field", "after");
    }
    c.json(
        200,
        g -> {
          g.writeStartObject();
          g.writeArrayFieldStart("jobs");
          for (JobInfo j : page.jobs()) {
            JobJson.job(g, j);
          }
          g.writeEndArray();
          JobJson.string(g, "next", page.nextCursor());
          g.writeEndObject();
        });
  }

  /**
   * A query from the list's query parameters (state, name, tag, queue, q, tenant, after, limit),
   * limited to the caller's tenant (#14).
   */
  static JobQuery.Builder query(Call c, int defaultLimit) {
    JobQuery.Builder b = JobQuery.builder();
    String tenant = Tenancy.scope(c);
    if (tenant != null) {
      b.tenant(tenant);
    }
    String state = c.query("state");
    if (state != null) {
      b.states(states(state).toArray(JobState[]::new));
    }
    if (c.query("name") != null) {
      b.name(c.query("name"));
    }
    if (c.query("tag") != null) {
      b.tag(c.query("tag"));
    }
    if (c.query("queue") != null) {
      b.queue(c.query("queue"));
    }
    TextSearch.apply(b, c.query("q"));
    if (c.query("after") != null) {
      b.cursor(c.query("after"));
    }
    b.limit(intParam(c, "limit", defaultLimit, 1, JobQuery.MAX_LIMIT));
    return b;
  }

  static Set<JobState> states(String csv) {
    Set<JobState> out = EnumSet.noneOf(JobState.class);
    for (String s : csv.split(",")) {
      String t = s.trim().toUpperCase(Locale.ROOT);
      if (t.isEmpty()) {
        continue;
      }
      try {
        out.add(JobState.valueOf(t));
      } catch (IllegalArgumentException e) {
        throw HttpProblem.badRequest(
                "query parameter 'state': unknown state '"
                    + s.trim()
                    + "'; expected some of "
                    + EnumSet.allOf(JobState.class))
            .with("field", "state");
      }
    }
    return out;
  }

  static int intParam(Call c, String name, int dflt, int min, int max) {
    String v = c.query(name);
    if (v == null) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n < min || n > max) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw HttpProblem.badRequest(
              "query parameter '"
                  + name
                  + "': expected a number from "
                  + min
                  + " to "
                  + max
                  + ", got '"
                  + v
                  + "'")
          .with("field", name);
    }
  }

  /**
   * The job named by the path parameter {@code id}: an id or a unique prefix of one. A job of
   * another tenant than the caller's (#14) is not found, exactly as an unknown id.
   */
  JobInfo resolve(Call c) {
    return resolve(jobs, c.caller(), c.param("id"));
  }

  /** The job {@code id} (or id prefix) as {@code caller} sees it; 404 or 409 otherwise. */
  static JobInfo resolve(JobManager jobs, Caller caller, String id) {
    Optional<JobInfo> exact = jobs.job(id);
    if (exact.isPresent() && caller.sees(exact.get().tenant())) {
      return exact.get();
    }
    Optional<JobInfo> found;
    try {
      found = jobs.findByPrefix(id);
    } catch (AmbiguousJobPrefixException e) {
      if (caller.allTenants()) {
        throw HttpProblem.conflict(e.getMessage()).with("candidates", e.candidates().size());
      }
      List<String> visible =
          e.candidates().stream()
              .filter(x -> jobs.job(x).map(j -> caller.sees(j.tenant())).orElse(false))
              .toList();
      if (visible.size() == 1) {
        return jobs.job(visible.get(0)).orElseThrow(() -> noJob(id));
      }
      if (visible.isEmpty()) {
        throw noJob(id);
      }
      throw HttpProblem.conflict(
              "job id prefix '"
                  + id
                  + "' matches several jobs ("
                  + String.join(", ", visible)
                  + "); type more of the id")
          .with("candidates", visible.size());
    }
    return found.filter(j -> caller.sees(j.tenant())).orElseThrow(() -> noJob(id));
  }

  private static HttpProblem noJob(String id) {
    return HttpProblem.notFound(
        "no job with id or id prefix '" + id + "'; list jobs with GET " + API + "/jobs");
  }

  private void job(Call c) throws IOException {
    JobInfo j = resolve(c);
    c.json(
        200,
        g -> {
          g.writeStartObject();
          JobJson.jobFields(g, j);
          detail(g, j);
          g.writeEndObject();
        });
  }

  private void detail(JsonGenerator g, JobInfo j) throws IOException {
    Optional<JobDetail> d = jobs.detail(j.id());
    JobJson.raw(g, "params", d.flatMap(JobDetail::paramsJson));
    JobJson.raw(g, "checkpoint", d.flatMap(JobDetail::stateJson));
    JobJson.time(g, "runAt", d.map(JobDetail::runAt));
    JobJson.duration(g, "timeout", d.flatMap(JobDetail::timeout));
    JobJson.string(g, "idempotencyKey", d.flatMap(JobDetail::idempotencyKey));
    JobJson.string(g, "decodeError", d.flatMap(JobDetail::decodeError));
    JobJson.string(g, "batch", jobs.batches().batchOf(j.id())); // #12 batches
    // #12 limits: why a due job does not start
    JobJson.string(g, "waitingFor", jobs.waitingReason(j.id()));
    // #12 dependencies: the jobs this one waits for (or waited for), in order
    List<JobParent> parents = jobs.parents(j.id());
    if (!parents.isEmpty()) {
      g.writeArrayFieldStart("parents");
      for (JobParent p : parents) {
        g.writeStartObject();
        g.writeStringField("id", p.id());
        JobJson.string(g, "name", p.name());
        JobJson.string(g, "state", p.state().map(Enum::name));
        g.writeStringField("onFailure", p.onFailure().name());
        g.writeBooleanField("satisfied", p.satisfied());
        g.writeEndObject();
      }
      g.writeEndArray();
    }
  }

  private void logs(Call c) throws IOException {
    JobInfo j = resolve(c);
    LogQuery q = LogQuery.all();
    String level = c.query("level");
    if (level != null) {
      try {
        q = q.minLevel(LogLevel.valueOf(level.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw HttpProblem.badRequest(
                "query parameter 'level': unknown level '"
                    + level
                    + "'; expected DEBUG, INFO, WARN or ERROR")
            .with("field", "level");
      }
    }
    String after = c.query("after");
    if (after != null) {
      try {
        q = q.after(Long.parseLong(after.trim()));
      } catch (IllegalArgumentException e) {
        throw HttpProblem.badRequest(
                "query parameter 'after': expected a log line id (a number of 0 or more), got '"
                    + after
                    + "'")
            .with("field", "after");
      }
    }
    int limit = intParam(c, "limit", LogQuery.DEFAULT_LIMIT, 1, LogQuery.MAX_LIMIT);
    List<JobLogLine> lines = jobs.logs(j.id(), q.limit(limit));
    c.json(
        200,
        g -> {
          g.writeStartObject();
          g.writeArrayFieldStart("lines");
          for (JobLogLine l : lines) {
            JobJson.log(g, l);
          }
          g.writeEndArray();
          if (lines.size() == limit) {
            g.writeStringField("next", Long.toString(lines.get(lines.size() - 1).id()));
          } else {
            g.writeNullField("next");
          }
          g.writeEndObject();
        });
  }

  private void events(Call c) throws IOException {
    JobInfo j = resolve(c);
    List<JobEventInfo> events = jobs.events(j.id());
    c.json(
        200,
        g -> {
          g.writeStartObject();
          g.writeArrayFieldStart("events");
          for (JobEventInfo e : events) {
            JobJson.event(g, e);
          }
          g.writeEndArray();
          g.writeEndObject();
        });
  }

  private void output(Call c) throws IOException {
    JobInfo j = resolve(c);
    if (j.outputJson().isEmpty()) {
      throw HttpProblem.notFound(
          "job "
              + j.id()
              + " has no output yet: it is "
              + j.state()
              + "; output is stored when it"
              + " completes");
    }
    c.send(
        200,
        "application/json",
        j.outputJson().get().getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  // ------------------------------------------------------------------ control

  private void control(Call c, String action) throws IOException {
    JobInfo j = resolve(c);
    Actions.apply(jobs, action, j.id(), c.caller().actor());
    JobInfo after = jobs.job(j.id()).orElse(j);
    c.json(200, g -> JobJson.job(g, after));
  }

  private void cloneJob(Call c) throws IOException {
    JobInfo j = resolve(c);
    JobHandle<?> h =
        jobs.clone(j.id(), c.caller().actor()) // the copy keeps the job's tenant
            .orElseThrow(() -> HttpProblem.notFound("job " + j.id() + " no longer exists"));
    JobInfo copy = jobs.job(h.id()).orElseThrow();
    c.exchange().getResponseHeaders().set("Location", c.base() + API + "/jobs/" + copy.id());
    c.json(201, g -> JobJson.job(g, copy));
  }

  private void nodes(Call c) throws IOException {
    List<NodeInfo> nodes = jobs.nodes();
    c.json(
        200,
        g -> {
          g.writeStartObject();
          g.writeArrayFieldStart("nodes");
          for (NodeInfo n : nodes) {
            g.writeStartObject();
            g.writeStringField("id", n.id());
            g.writeStringField("host", n.host());
            g.writeArrayFieldStart("queues");
            for (String q : n.queues()) {
              g.writeString(q);
            }
            g.writeEndArray();
            JobJson.time(g, "startedAt", n.startedAt());
            JobJson.time(g, "heartbeatAt", n.heartbeatAt());
            g.writeBooleanField("alive", n.alive());
            g.writeEndObject();
          }
          g.writeEndArray();
          g.writeEndObject();
        });
  }

  // ------------------------------------------------------------------ stats and health

  private void stats(Call c) throws IOException {
    // #14: a tenant's key sees its tenant's figures; a key without one all, or ?tenant='s
    String tenant = Tenancy.scope(c);
    JobStats s = tenant == null ? jobs.stats() : jobs.stats(tenant);
    Map<String, Long> depths = tenant == null ? jobs.queueDepths() : jobs.queueDepths(tenant);
    Duration hour = Duration.ofHours(1);
    Duration minute = Duration.ofMinutes(1);
    List<ThroughputBucket> buckets =
        tenant == null ? jobs.throughput(hour, minute) : jobs.throughput(hour, minute, tenant);
    c.json(
        200,
        g -> {
          g.writeStartObject();
          g.writeObjectFieldStart("byState");
          for (JobState st : JobState.values()) {
            g.writeNumberField(st.name(), s.count(st));
          }
          g.writeEndObject();
          g.writeObjectFieldStart("queues");
          for (Map.Entry<String, Long> e : new java.util.TreeMap<>(depths).entrySet()) {
            g.writeNumberField(e.getKey(), e.getValue());
          }
          g.writeEndObject();
          g.writeArrayFieldStart("throughput");
          for (ThroughputBucket b : buckets) {
            g.writeStartObject();
            JobJson.time(g, "start", b.start());
            g.writeNumberField("completed", b.completed());
            g.writeNumberField("failed", b.failed());
            g.writeEndObject();
          }
          g.writeEndArray();
          g.writeNumberField("running", s.count(JobState.RUNNING));
          g.writeEndObject();
        });
  }

  private void health(Call c) throws IOException {
    Health h = jobs.health();
    boolean ready = h.databaseReachable();
    c.json(
        ready ? 200 : 503,
        g -> {
          g.writeStartObject();
          g.writeBooleanField("live", true);
          g.writeBooleanField("ready", ready);
          g.writeStringField("database", h.databaseError().orElse(ready ? "ok" : "unreachable"));
          g.writeBooleanField("workersAlive", h.workersAlive());
          g.writeNumberField("runningJobs", h.runningJobs());
          g.writeEndObject();
        });
  }
}
