package dev.jobkit.http.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.jobkit.JobDecodeException;
import dev.jobkit.Priority;
import dev.jobkit.UnknownJobException;
import dev.jobkit.runtime.JobHandle;
import dev.jobkit.runtime.JobInfo;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobType;
import dev.jobkit.runtime.ScheduleFire;
import dev.jobkit.runtime.ScheduleInfo;
import dev.jobkit.runtime.ScheduleSpec;
import dev.jobkit.runtime.Schedules;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The schedule routes (#12): {@code GET /api/v1/schedules}, {@code GET|PUT|DELETE
 * /api/v1/schedules/{name}} and {@code POST /api/v1/schedules/{name}/pause|resume|trigger}. Viewers
 * read; operators change. Durations in and out are ISO-8601 ({@code PT90S}); a number in a request
 * is read as milliseconds, as elsewhere in the API.
 */
final class ScheduleRoutes {
  /** The fields a PUT body may have, in the order the messages list them. */
  static final List<String> FIELDS =
      List.of(
          "cron",
          "every",
          "zone",
          "job",
          "params",
          "queue",
          "priority",
          "tags",
          "maxAttempts",
          "timeout",
          "misfire",
          "misfireCap",
          "misfireGrace",
          "overlap",
          "fallBack",
          "jitter",
          "tenant");

  private static final Set<String> KNOWN = Set.copyOf(FIELDS);

  private static final String ROOT = ApiRoutes.API + "/schedules";

  /** The pattern of one schedule's route. */
  static final String ONE = ROOT + "/{name}";

  /** The JSON schema of a PUT body, for the OpenAPI document. */
  static final String REQUEST_SCHEMA =
      "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"job\"],"
          + "\"oneOf\":[{\"required\":[\"cron\"]},{\"required\":[\"every\"]}],"
          + "\"properties\":{"
          + "\"cron\":{\"type\":\"string\",\"description\":\"5 or 6 fields, or a macro such as"
          + " @hourly\"},"
          + "\"every\":{\"type\":[\"string\",\"integer\"],\"description\":\"ISO-8601 duration"
          + " (PT90S) or milliseconds; at least 1 second\"},"
          + "\"zone\":{\"type\":\"string\",\"description\":\"IANA zone of cron; default UTC\"},"
          + "\"job\":{\"type\":\"string\"},"
          + "\"params\":{\"type\":\"object\"},"
          + "\"queue\":{\"type\":\"string\",\"minLength\":1},"
          + "\"priority\":{\"enum\":[\"LOW\",\"NORMAL\",\"HIGH\",\"CRITICAL\"]},"
          + "\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},"
          + "\"maxAttempts\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":1000},"
          + "\"timeout\":{\"type\":[\"string\",\"integer\"]},"
          + "\"misfire\":{\"enum\":[\"SKIP\",\"FIRE_ONCE\",\"FIRE_ALL\"]},"
          + "\"misfireCap\":{\"type\":\"integer\",\"minimum\":1},"
          + "\"misfireGrace\":{\"type\":[\"string\",\"integer\"]},"
          + "\"overlap\":{\"enum\":[\"SKIP\",\"QUEUE_ONE\",\"ALLOW\"]},"
          + "\"fallBack\":{\"enum\":[\"ONCE\",\"BOTH\"]},"
          + "\"jitter\":{\"type\":[\"string\",\"integer\"]},"
          + "\"tenant\":{\"type\":\"string\",\"description\":\"The tenant of the schedule"
          + " and its jobs; a tenant's key may name its own only\"}}}";

  private final JobManager jobs;

  ScheduleRoutes(JobManager jobs) {
    this.jobs = jobs;
  }

  void register(Router r) {
    r.add("GET", ROOT, Access.READ, "List the schedules", this::list);
    r.add(
        "GET",
        ROOT + "/{name}",
        Access.READ,
        "One schedule, with its next fire times (?next=5) and history (?history=20)",
        this::one);
    r.add("PUT", ONE, Access.OPERATE, "Create or replace a schedule", this::put);
    r.add(
        "DELETE",
        ROOT + "/{name}",
        Access.OPERATE,
        "Delete a schedule and its history",
        this::delete);
    r.add(
        "POST",
        ROOT + "/{name}/pause",
        Access.OPERATE,
        "Pause a schedule (optional body {\"reason\": \"...\"})",
        this::pause);
    r.add("POST", ROOT + "/{name}/resume", Access.OPERATE, "Resume a schedule", this::resume);
    r.add(
        "POST",
        ROOT + "/{name}/trigger",
        Access.OPERATE,
        "Dispatch a schedule's job now",
        this::trigger);
  }

  // ------------------------------------------------------------------ read

  private void list(Call c) throws IOException {
    String tenant = Tenancy.scope(c); // #14: a tenant's key lists its own
    List<ScheduleInfo> all =
        tenant == null ? jobs.schedules().list() : jobs.schedules().list(tenant);
    c.json(
        200,
        g -> {
          g.writeStartObject();
          g.writeArrayFieldStart("schedules");
          for (ScheduleInfo i : all) {
            g.writeStartObject();
            fields(g, i);
            g.writeEndObject();
          }
          g.writeEndArray();
          g.writeEndObject();
        });
  }

  private void one(Call c) throws IOException {
    String name = c.param("name");
    int next = ApiRoutes.intParam(c, "next", 5, 0, Schedules.MAX_PREVIEW);
    int history = ApiRoutes.intParam(c, "history", 20, 0, 1000);
    Schedules s = jobs.schedules();
    ScheduleInfo info = visible(c, name);
    List<Instant> upcoming = s.preview(name, next).orElse(List.of());
    List<ScheduleFire> fires =
        history == 0 ? List.of() : s.history(name, history).orElse(List.of());
    c.json(
        200,
        g -> {
          g.writeStartObject();
          fields(g, info);
          g.writeArrayFieldStart("next");
          for (Instant at : upcoming) {
            g.writeString(at.toString());
          }
          g.writeEndArray();
          g.writeArrayFieldStart("history");
          for (ScheduleFire f : fires) {
            g.writeStartObject();
            JobJson.time(g, "slot", f.slot());
            g.writeStringField("outcome", f.outcome().name());
            JobJson.string(g, "jobId", f.jobId());
            g.writeStringField("reason", f.reason());
            JobJson.time(g, "recordedAt", f.recordedAt());
            g.writeEndObject();
          }
          g.writeEndArray();
          g.writeEndObject();
        });
  }

  /** A schedule's fields, as the list, one schedule and the PUT answer show them. */
  static void fields(JsonGenerator g, ScheduleInfo i) throws IOException {
    g.writeStringField("name", i.name());
    g.writeStringField("tenant", i.tenant()); // #14 tenants
    JobJson.string(g, "cron", i.cron());
    JobJson.duration(g, "every", i.interval());
    JobJson.string(g, "zone", i.cron().map(x -> i.zone().getId()));
    g.writeStringField("when", i.when());
    g.writeStringField("job", i.jobName());
    JobJson.raw(g, "params", i.paramsJson());
    g.writeStringField("queue", i.queue());
    g.writeStringField("priority", i.priority().name());
    g.writeArrayFieldStart("tags");
    for (String t : i.tags()) {
      g.writeString(t);
    }
    g.writeEndArray();
    g.writeNumberField("maxAttempts", i.maxAttempts());
    JobJson.duration(g, "timeout", i.timeout());
    g.writeStringField("misfire", i.misfire().name());
    g.writeNumberField("misfireCap", i.misfireCap());
    JobJson.duration(g, "misfireGrace", Optional.of(i.misfireGrace()));
    g.writeStringField("overlap", i.overlap().name());
    g.writeStringField("fallBack", i.fallBack().name());
    JobJson.duration(g, "jitter", Optional.of(i.jitter()));
    g.writeBooleanField("paused", i.paused());
    JobJson.string(g, "pauseReason", i.pauseReason());
    JobJson.time(g, "nextFire", i.nextFire());
    JobJson.time(g, "pendingSlot", i.pendingSlot());
    JobJson.time(g, "lastFire", i.lastFire());
    JobJson.string(g, "lastJobId", i.lastJobId());
    g.writeBooleanField("declared", i.declared());
    JobJson.time(g, "createdAt", i.createdAt());
    JobJson.string(g, "createdBy", i.createdBy());
    JobJson.time(g, "updatedAt", i.updatedAt());
  }

  // ------------------------------------------------------------------ change

  private void put(Call c) throws IOException {
    String name = c.param("name");
    String body = c.bodyText();
    Json.Node root = Json.read(body);
    Map<String, Json.Node> o = root.object();
    if (o == null) {
      throw root.problem(
          "expected a JSON object {\"every\": \"PT1H\", \"job\": ..., \"params\": {...}}, found "
              + root.typeName());
    }
    Json.Node cron = o.get("cron");
    Json.Node every = o.get("every");
    Json.Node job = o.get("job");
    Json.Node params = o.get("params");
    for (Map.Entry<String, Json.Node> e : o.entrySet()) {
      if (!KNOWN.contains(e.getKey())) {
        throw e.getValue()
            .problem("unknown field '" + e.getKey() + "'; expected " + String.join(", ", FIELDS));
      }
    }
    if ((cron == null || cron.value() == null) == (every == null || every.value() == null)) {
      throw root.problem(
          "give exactly one of 'cron' (such as \"0 3 * * *\") and 'every' (such as \"PT1H\")");
    }
    if (job == null) {
      throw root.problem("missing field 'job': the job type the schedule dispatches");
    }
    String jobName = string(job);
    if (jobs.jobTypes().stream().noneMatch(t -> t.name().equals(jobName))) {
      throw unknownType(jobName, job);
    }
    String paramsJson = "{}";
    if (params != null && params.value() != null) {
      if (params.object() == null) {
        throw params
            .problem("expected an object (the job's parameters), found " + params.typeName())
            .with("jobName", jobName);
      }
      paramsJson = body.substring(params.offset(), params.endOffset());
    }
    ScheduleSpec.Builder b = timing(name, cron, every);
    Json.Node zone = o.get("zone");
    if (zone != null && zone.value() != null) {
      if (cron == null || cron.value() == null) {
        throw zone.problem("'zone' applies to a 'cron' schedule only; an interval has no zone");
      }
      at(zone, () -> b.zone(string(zone)));
    }
    b.job(jobName, paramsJson);
    options(b, o);
    Schedules s = jobs.schedules();
    Optional<ScheduleInfo> before = s.get(name);
    String tenant = tenant(c, o.get("tenant"), before.map(ScheduleInfo::tenant));
    if (tenant != null) {
      b.tenant(tenant);
    }
    ScheduleSpec spec = b.build();
    boolean existed = before.isPresent();
    ScheduleInfo info;
    try {
      info = s.put(spec, c.caller().actor());
    } catch (JobDecodeException e) {
      throw ApiRoutes.shifted(e, jobName, params);
    } catch (UnknownJobException e) {
      throw unknownType(jobName, job);
    } catch (IllegalArgumentException e) {
      throw HttpProblem.badRequest(e.getMessage());
    }
    if (!existed) {
      c.exchange().getResponseHeaders().set("Location", c.base() + ROOT + "/" + info.name());
    }
    c.json(
        existed ? 200 : 201,
        g -> {
          g.writeStartObject();
          fields(g, info);
          g.writeEndObject();
        });
  }

  /** A builder for a cron schedule when {@code cron} is given, else for an interval one. */
  private static ScheduleSpec.Builder timing(String name, Json.Node cron, Json.Node every) {
    List<ScheduleSpec.Builder> out = new ArrayList<>(1);
    if (cron != null && cron.value() != null) {
      at(cron, () -> out.add(ScheduleSpec.cron(name, string(cron))));
    } else {
      Duration d = duration(every);
      at(every, () -> out.add(ScheduleSpec.every(name, d)));
    }
    return out.get(0);
  }

  private static void options(ScheduleSpec.Builder b, Map<String, Json.Node> o) {
    Json.Node misfire = null;
    Json.Node cap = null;
    for (Map.Entry<String, Json.Node> e : o.entrySet()) {
      Json.Node v = e.getValue();
      if (v.value() == null) {
        continue;
      }
      switch (e.getKey()) {
        case "queue" -> {
          String q = string(v);
          if (q.isBlank()) {
            throw v.problem("a queue name must not be blank");
          }
          b.queue(q);
        }
        case "priority" -> b.priority(policy(Priority.class, v));
        case "tags" -> {
          List<Json.Node> l = v.array();
          if (l == null) {
            throw v.problem("expected an array of strings, found " + v.typeName());
          }
          List<String> tags = new ArrayList<>();
          for (Json.Node t : l) {
            tags.add(string(t));
          }
          b.tags(tags);
        }
        case "maxAttempts" -> {
          long n = whole(v);
          if (n < 1 || n > 1000) {
            throw v.problem("maxAttempts must be 1 to 1000, got " + n);
          }
          b.maxAttempts((int) n);
        }
        case "timeout" -> b.timeout(duration(v));
        case "misfire" -> misfire = v;
        case "misfireCap" -> cap = v;
        case "misfireGrace" -> at(v, () -> b.misfireGrace(duration(v)));
        case "overlap" -> b.overlap(policy(ScheduleSpec.Overlap.class, v));
        case "fallBack" -> b.fallBack(policy(ScheduleSpec.FallBack.class, v));
        case "jitter" -> at(v, () -> b.jitter(duration(v)));
        default -> {
          // cron, every, zone, job and params are read by put
        }
      }
    }
    ScheduleSpec.Misfire m =
        misfire == null
            ? ScheduleSpec.Misfire.FIRE_ONCE
            : policy(ScheduleSpec.Misfire.class, misfire);
    if (cap != null) {
      if (m != ScheduleSpec.Misfire.FIRE_ALL) {
        throw cap.problem("misfireCap applies to \"misfire\": \"FIRE_ALL\" only");
      }
      long n = whole(cap);
      at(
          cap,
          () -> b.misfire(m, (int) Math.max(Integer.MIN_VALUE, Math.min(n, Integer.MAX_VALUE))));
    } else {
      b.misfire(m);
    }
  }

  private void pause(Call c) throws IOException {
    String name = c.param("name");
    String body = c.bodyText();
    String reason = null;
    if (!body.isBlank()) {
      Json.Node root = Json.read(body);
      Map<String, Json.Node> o = root.object();
      if (o == null) {
        throw root.problem("expected an object {\"reason\": \"...\"}, found " + root.typeName());
      }
      for (Map.Entry<String, Json.Node> e : o.entrySet()) {
        Json.Node v = e.getValue();
        if (!e.getKey().equals("reason")) {
          throw v.problem("unknown field '" + e.getKey() + "'; expected reason");
        }
        reason = v.value() == null ? null : string(v);
      }
    }
    visible(c, name);
    ScheduleInfo info =
        jobs.schedules()
            .pause(name, reason, c.caller().actor())
            .orElseThrow(() -> unknown(c, name));
    answer(c, info);
  }

  private void resume(Call c) throws IOException {
    String name = c.param("name");
    visible(c, name);
    ScheduleInfo info =
        jobs.schedules().resume(name, c.caller().actor()).orElseThrow(() -> unknown(c, name));
    answer(c, info);
  }

  private void trigger(Call c) throws IOException {
    String name = c.param("name");
    visible(c, name);
    JobHandle<?> h =
        jobs.schedules().trigger(name, c.caller().actor()).orElseThrow(() -> unknown(c, name));
    JobInfo job = jobs.job(h.id()).orElseThrow();
    c.exchange().getResponseHeaders().set("Location", c.base() + ApiRoutes.API + "/jobs/" + h.id());
    c.json(201, g -> JobJson.job(g, job));
  }

  private void delete(Call c) throws IOException {
    String name = c.param("name");
    visible(c, name);
    if (!jobs.schedules().delete(name, c.caller().actor())) {
      throw unknown(c, name);
    }
    c.send(204, null, new byte[0]);
  }

  private static void answer(Call c, ScheduleInfo info) throws IOException {
    c.json(
        200,
        g -> {
          g.writeStartObject();
          fields(g, info);
          g.writeEndObject();
        });
  }

  // ------------------------------------------------------------------ errors and values

  /**
   * The schedule {@code name} if the caller sees it (#14: one of its tenant's), else the 404 of an
   * unknown schedule.
   */
  private ScheduleInfo visible(Call c, String name) {
    return jobs.schedules()
        .get(name)
        .filter(i -> c.caller().sees(i.tenant()))
        .orElseThrow(() -> unknown(c, name));
  }

  /**
   * The tenant of a schedule being saved (#14): the body's {@code tenant} (checked against the
   * caller), else the caller's, else the one of the schedule it replaces; null for the default. A
   * name another tenant's schedule has is a 409 for a caller of one tenant (names are unique across
   * tenants).
   */
  private static String tenant(Call c, Json.Node field, Optional<String> existing) {
    Caller caller = c.caller();
    String asked = field == null || field.value() == null ? null : string(field);
    String tenant = Tenancy.requested(caller, asked, field);
    if (existing.isPresent() && !caller.sees(existing.get())) {
      throw HttpProblem.conflict(
              "the name '"
                  + c.param("name")
                  + "' is taken by a schedule of another tenant (names are unique across"
                  + " tenants); choose another name")
          .with("schedule", c.param("name"));
    }
    return tenant != null ? tenant : existing.orElse(null);
  }

  /** The 404 for a schedule that does not exist, naming the closest names the caller sees. */
  private HttpProblem unknown(Call c, String name) {
    String tenant = c.caller().tenant();
    List<ScheduleInfo> seen =
        tenant == null ? jobs.schedules().list() : jobs.schedules().list(tenant);
    List<String> names = seen.stream().map(ScheduleInfo::name).toList();
    List<String> close = close(name, names);
    return HttpProblem.notFound(
            "no schedule named '"
                + name
                + "'"
                + (close.isEmpty()
                    ? ""
                    : "; did you mean " + String.join(" or ", quoted(close)) + "?")
                + "; list them with GET "
                + ROOT)
        .with("schedule", name);
  }

  private static List<String> quoted(List<String> names) {
    return names.stream().map(n -> "'" + n + "'").toList();
  }

  /** Up to three of {@code names} within a small edit distance of {@code typed}, closest first. */
  static List<String> close(String typed, List<String> names) {
    String t = typed.toLowerCase(Locale.ROOT);
    int max = Math.max(2, typed.length() / 3);
    return names.stream()
        .filter(n -> distance(t, n.toLowerCase(Locale.ROOT)) <= max)
        .sorted(Comparator.comparingInt(n -> distance(t, n.toLowerCase(Locale.ROOT))))
        .limit(3)
        .toList();
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] swap = prev;
      prev = cur;
      cur = swap;
    }
    return prev[b.length()];
  }

  private HttpProblem unknownType(String name, Json.Node at) {
    TreeSet<String> known = new TreeSet<>();
    jobs.jobTypes().stream().map(JobType::name).forEach(known::add);
    return new HttpProblem(
            400,
            "unknown-job",
            "Unknown job type",
            new UnknownJobException(name, known).getMessage())
        .with("jobName", name)
        .with("path", at.path())
        .with("line", at.line())
        .with("column", at.column());
  }

  /**
   * Runs {@code r}; an {@link IllegalArgumentException} from the runtime (a bad cron expression,
   * zone or value) becomes a 400 with the runtime's one-line message and the value's position.
   */
  private static void at(Json.Node v, Runnable r) {
    try {
      r.run();
    } catch (IllegalArgumentException e) {
      throw HttpProblem.badRequest(e.getMessage())
          .with("path", v.path())
          .with("line", v.line())
          .with("column", v.column());
    }
  }

  private static String string(Json.Node v) {
    if (v.value() instanceof String s) {
      return s;
    }
    throw v.problem("expected a string, found " + v.typeName());
  }

  private static long whole(Json.Node v) {
    if (v.value() instanceof Integer || v.value() instanceof Long) {
      return ((Number) v.value()).longValue();
    }
    throw v.problem("expected a whole number, found " + v.typeName());
  }

  /** An ISO-8601 duration such as {@code PT90S}, or a whole number of milliseconds. */
  static Duration duration(Json.Node v) {
    if (v.value() instanceof Integer || v.value() instanceof Long) {
      return Duration.ofMillis(((Number) v.value()).longValue());
    }
    String s = string(v);
    try {
      return Duration.parse(s.strip());
    } catch (DateTimeParseException e) {
      throw v.problem(
          "'"
              + s
              + "' is not an ISO-8601 duration such as PT90S or PT1H (or a number of"
              + " milliseconds)");
    }
  }

  /** A policy or priority by name, in any case, with '-' or '_'. */
  private static <E extends Enum<E>> E policy(Class<E> type, Json.Node v) {
    String s = string(v);
    String n = s.strip().toUpperCase(Locale.ROOT).replace('-', '_');
    for (E e : type.getEnumConstants()) {
      if (e.name().equals(n)) {
        return e;
      }
    }
    List<String> names = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      names.add(e.name());
    }
    throw v.problem("unknown value '" + s + "'; expected " + String.join(", ", names));
  }
}
