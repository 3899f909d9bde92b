package dev.jobkit.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.jobkit.JobDecodeException;
import dev.jobkit.JobException;
import dev.jobkit.JobHandler;
import dev.jobkit.JobRegistry;
import dev.jobkit.LogLevel;
import dev.jobkit.Priority;
import dev.jobkit.runtime.JobEventInfo;
import dev.jobkit.runtime.JobLogLine;
import dev.jobkit.runtime.JobRecord;
import dev.jobkit.runtime.JobState;
import dev.jobkit.runtime.OnParentFailure;
import dev.jobkit.runtime.Tenants;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The export format of {@code jobkit export} and {@code jobkit import}: JSON Lines, a header line
 * ({@code {"format":"jobkit-jobs","version":1,...}}) and then one {@link JobRecord} per line. See
 * {@code docs/cli.md} for the fields. Parameters and checkpoint are written twice: as the JSON the
 * registry decodes them to (for people and tools) and as the stored MessagePack in base64 (what
 * import uses), so a job whose type is not on the class path still round-trips exactly.
 */
final class JobLines {
  /** The {@code format} of the header line. */
  static final String FORMAT = "jobkit-jobs";

  /** The {@code version} of the header line that this jobkit writes and reads. */
  static final int VERSION = 1;

  /** The {@code version} of an export that holds template lines ({@link TemplateLines}; #12). */
  static final int VERSION_WITH_TEMPLATES = 2;

  /** The {@code version} of an export that holds schedule lines ({@link ScheduleLines}; #16). */
  static final int VERSION_WITH_SCHEDULES = 3;

  /** The {@code version} of an export that holds batch lines ({@link BatchLines}; #12). */
  static final int VERSION_WITH_BATCHES = 4;

  private final JobRegistry registry;

  JobLines(JobRegistry registry) {
    this.registry = registry;
  }

  /** A line that is not a valid job or header, with what is wrong. */
  static final class BadLine extends Exception {
    private static final long serialVersionUID = 1L;

    BadLine(String message) {
      super(message);
    }
  }

  // ---------------------------------------------------------------- writing

  /** Writes the header line. */
  void writeHeader(Writer out, String database, Instant now) {
    writeHeader(out, database, now, VERSION);
  }

  /** Writes the header line with this format version (#12 templates). */
  void writeHeader(Writer out, String database, Instant now, int version) {
    Json.write(
        out,
        true,
        g -> {
          g.writeStartObject();
          g.writeStringField("format", FORMAT);
          g.writeNumberField("version", version);
          g.writeStringField("exportedAt", now.toString());
          g.writeStringField("database", database);
          g.writeEndObject();
        });
  }

  /** Writes one job as one line. */
  void write(Writer out, JobRecord r) {
    Json.write(
        out,
        true,
        g -> {
          g.writeStartObject();
          g.writeStringField("id", r.id());
          g.writeStringField("name", r.name());
          g.writeStringField("state", r.state().name());
          g.writeFieldName("params");
          decoded(g, r.name(), r.params());
          g.writeStringField("paramsMsgpack", base64(r.params()));
          g.writeFieldName("checkpoint");
          if (r.checkpoint().isPresent()) {
            decoded(g, r.name(), r.checkpoint().get());
          } else {
            g.writeNull();
          }
          g.writeStringField(
              "checkpointMsgpack", r.checkpoint().map(JobLines::base64).orElse(null));
          g.writeNumberField("checkpointVersion", r.checkpointVersion());
          g.writeStringField("priority", r.priority().name());
          g.writeStringField("queue", r.queue());
          g.writeNumberField("attempts", r.attempts());
          g.writeNumberField("maxAttempts", r.maxAttempts());
          g.writeStringField("runAt", r.runAt().toString());
          g.writeNumberField("timeoutMs", r.timeout().toMillis());
          g.writeNumberField("backoffMs", r.backoff().toMillis());
          g.writeArrayFieldStart("tags");
          for (String t : r.tags()) {
            g.writeString(t);
          }
          g.writeEndArray();
          g.writeStringField("idempotencyKey", r.idempotencyKey().orElse(null));
          g.writeStringField("createdBy", r.createdBy().orElse(null));
          g.writeStringField("leaseOwner", r.leaseOwner().orElse(null));
          Json.instant(g, "leaseExpiresAt", r.leaseExpiresAt());
          g.writeNumberField("leaseEpoch", r.leaseEpoch());
          g.writeBooleanField("cancelRequested", r.cancelRequested());
          g.writeBooleanField("pauseRequested", r.pauseRequested());
          g.writeBooleanField("resumed", r.resumed());
          // Stored JSON text, as text: a nested copy could change how numbers are written.
          g.writeStringField("progressJson", r.progressJson().orElse(null));
          g.writeStringField("outputJson", r.outputJson().orElse(null));
          g.writeStringField("error", r.error().orElse(null));
          g.writeStringField("createdAt", r.createdAt().toString());
          Json.instant(g, "startedAt", r.startedAt());
          Json.instant(g, "finishedAt", r.finishedAt());
          g.writeStringField("updatedAt", r.updatedAt().toString());
          g.writeArrayFieldStart("events");
          for (JobEventInfo e : r.events()) {
            g.writeStartObject();
            g.writeNumberField("id", e.id());
            g.writeStringField("at", e.at().toString());
            g.writeStringField("kind", e.kind().name());
            g.writeStringField("from", e.from().map(Enum::name).orElse(null));
            g.writeStringField("to", e.to().map(Enum::name).orElse(null));
            g.writeStringField("detail", e.detail().orElse(null));
            g.writeStringField("actor", e.actor().orElse(null));
            g.writeEndObject();
          }
          g.writeEndArray();
          g.writeArrayFieldStart("logs");
          for (JobLogLine l : r.logs()) {
            g.writeStartObject();
            g.writeNumberField("id", l.id());
            g.writeStringField("at", l.at().toString());
            g.writeStringField("level", l.level().name());
            g.writeStringField("message", l.message());
            g.writeNumberField("attempt", l.attempt());
            g.writeEndObject();
          }
          g.writeEndArray();
          // #14 tenants: only for a job of another tenant, so other lines read as before
          if (!r.tenant().equals(Tenants.DEFAULT)) {
            g.writeStringField("tenant", r.tenant());
          }
          // #12 batches: only for a member, so other lines read as before
          if (r.batchId().isPresent()) {
            g.writeStringField("batch", r.batchId().get());
          }
          // #12 dependencies: only for a job with parents, so other lines read as before
          if (!r.parents().isEmpty()) {
            g.writeArrayFieldStart("parents");
            for (JobRecord.ParentEdge p : r.parents()) {
              g.writeStartObject();
              g.writeStringField("id", p.parentId());
              g.writeNumberField("position", p.position());
              g.writeStringField("onFailure", p.onFailure().name());
              g.writeStringField("state", p.state().name());
              g.writeEndObject();
            }
            g.writeEndArray();
          }
          g.writeEndObject();
        });
  }

  /** The JSON the registry decodes {@code msgpack} to, or null when it cannot. */
  private void decoded(JsonGenerator g, String name, byte[] msgpack) throws IOException {
    Optional<String> json = Optional.empty();
    if (registry.contains(name)) {
      try {
        JobHandler<?> job = registry.fromMsgpack(name, msgpack);
        json = Optional.of(registry.toJson(job));
      } catch (JobException e) {
        // The MessagePack field is what import reads; the JSON is a convenience.
      }
    }
    Json.embedded(g, json);
  }

  static String base64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  // ---------------------------------------------------------------- reading

  /** Checks the header line. */
  static void readHeader(String line) throws BadLine {
    Map<String, Object> o = object(line);
    if (!FORMAT.equals(o.get("format"))) {
      throw new BadLine(
          "not the header of a jobkit export (expected {\"format\":\""
              + FORMAT
              + "\",\"version\":"
              + VERSION
              + ",...}); write the file with 'jobkit export'");
    }
    Object v = o.get("version");
    if (!(v instanceof BigInteger n)
        || n.intValue() < VERSION
        || n.intValue() > VERSION_WITH_BATCHES) {
      throw new BadLine(
          "format version "
              + v
              + " is not supported; this jobkit reads versions "
              + VERSION
              + " to "
              + VERSION_WITH_BATCHES
              + " (write the file with this jobkit's 'jobkit export', or import it with a newer"
              + " jobkit)");
    }
  }

  /** One job from its line, fully checked. */
  JobRecord read(String line) throws BadLine {
    Map<String, Object> o = object(line);
    String id = string(o, "id", true);
    if (id.isBlank()) {
      throw new BadLine("\"id\" is empty");
    }
    String where = "job " + id + ": ";
    try {
      String name = string(o, "name", true);
      byte[] params = bytes(o, "paramsMsgpack");
      if (params == null) {
        params = encode(name, o.get("params"), "params");
      }
      byte[] checkpoint = bytes(o, "checkpointMsgpack");
      if (checkpoint == null && o.get("checkpoint") != null) {
        checkpoint = encode(name, o.get("checkpoint"), "checkpoint");
      }
      List<JobEventInfo> events = new ArrayList<>();
      for (Map<String, Object> e : objects(o, "events")) {
        events.add(
            new JobEventInfo(
                number(e, "id"),
                id,
                name,
                time(e, "at"),
                enumValue(JobEventInfo.Kind.class, string(e, "kind", true), "events[].kind"),
                optionalState(e, "from"),
                optionalState(e, "to"),
                Optional.ofNullable(string(e, "detail", false)),
                Optional.ofNullable(string(e, "actor", false))));
      }
      List<JobLogLine> logs = new ArrayList<>();
      for (Map<String, Object> l : objects(o, "logs")) {
        logs.add(
            new JobLogLine(
                number(l, "id"),
                id,
                time(l, "at"),
                enumValue(LogLevel.class, string(l, "level", true), "logs[].level"),
                string(l, "message", true),
                (int) number(l, "attempt")));
      }
      // #12 dependencies: absent (older exports, jobs without parents) means none
      List<JobRecord.ParentEdge> parents = new ArrayList<>();
      if (o.get("parents") != null) {
        for (Map<String, Object> d : objects(o, "parents")) {
          parents.add(
              new JobRecord.ParentEdge(
                  string(d, "id", true),
                  (int) number(d, "position"),
                  enumValue(
                      OnParentFailure.class, string(d, "onFailure", true), "parents[].onFailure"),
                  enumValue(
                      JobRecord.EdgeState.class, string(d, "state", true), "parents[].state")));
        }
      }
      return new JobRecord(
          id,
          name,
          params,
          Optional.ofNullable(checkpoint),
          number(o, "checkpointVersion"),
          enumValue(JobState.class, string(o, "state", true), "state"),
          enumValue(Priority.class, string(o, "priority", true), "priority"),
          string(o, "queue", true),
          (int) number(o, "attempts"),
          (int) number(o, "maxAttempts"),
          time(o, "runAt"),
          Optional.ofNullable(string(o, "leaseOwner", false)),
          optionalTime(o, "leaseExpiresAt"),
          number(o, "leaseEpoch"),
          flag(o, "cancelRequested"),
          flag(o, "pauseRequested"),
          flag(o, "resumed"),
          Optional.ofNullable(jsonText(o, "progressJson")),
          Optional.ofNullable(jsonText(o, "outputJson")),
          Optional.ofNullable(string(o, "error", false)),
          strings(o, "tags"),
          Optional.ofNullable(string(o, "idempotencyKey", false)),
          Duration.ofMillis(number(o, "timeoutMs")),
          Duration.ofMillis(number(o, "backoffMs")),
          Optional.ofNullable(string(o, "createdBy", false)),
          time(o, "createdAt"),
          optionalTime(o, "startedAt"),
          optionalTime(o, "finishedAt"),
          time(o, "updatedAt"),
          events,
          logs,
          parents,
          tenant(o),
          Optional.ofNullable(string(o, "batch", false))); // #12 batches; absent: in none
    } catch (BadLine e) {
      throw new BadLine(where + e.getMessage());
    }
  }

  /** #14 tenants: the line's tenant; absent (older exports, the default tenant) means default. */
  private static String tenant(Map<String, Object> o) throws BadLine {
    String t = string(o, "tenant", false);
    if (t == null) {
      return Tenants.DEFAULT;
    }
    try {
      return Tenants.checkName(t);
    } catch (IllegalArgumentException e) {
      throw new BadLine("\"tenant\": " + e.getMessage());
    }
  }

  /** MessagePack from JSON, through the job's class: only when the line has no MessagePack. */
  private byte[] encode(String name, Object json, String field) throws BadLine {
    if (json == null) {
      throw new BadLine("\"" + field + "Msgpack\" is missing, and so is \"" + field + "\"");
    }
    if (!registry.contains(name)) {
      throw new BadLine(
          "\""
              + field
              + "Msgpack\" is missing, and job type '"
              + name
              + "' is not on the class path to encode \""
              + field
              + "\" (add its jar with --classpath)");
    }
    try {
      JobHandler<?> job = registry.fromJson(name, toJson(json));
      return registry.toMsgpack(job);
    } catch (JobDecodeException e) {
      throw new BadLine("\"" + field + "\": " + e.getMessage());
    }
  }

  // ---------------------------------------------------------------- a small JSON tree

  static Map<String, Object> object(String line) throws BadLine {
    try (JsonParser p = Json.FACTORY.createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new BadLine("not a JSON object");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> o = (Map<String, Object>) value(p);
      if (p.nextToken() != null) {
        throw new BadLine("more than one JSON value on the line");
      }
      return o;
    } catch (JsonProcessingException e) {
      throw new BadLine("malformed JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Object value(JsonParser p) throws IOException, BadLine {
    switch (p.currentToken()) {
      case START_OBJECT -> {
        Map<String, Object> m = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          p.nextToken();
          if (m.put(key, value(p)) != null) {
            throw new BadLine("field \"" + key + "\" is given twice");
          }
        }
        return m;
      }
      case START_ARRAY -> {
        List<Object> l = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          l.add(value(p));
        }
        return l;
      }
      case VALUE_STRING -> {
        return p.getText();
      }
      case VALUE_NUMBER_INT -> {
        return p.getBigIntegerValue();
      }
      case VALUE_NUMBER_FLOAT -> {
        return p.getDecimalValue();
      }
      case VALUE_TRUE -> {
        return Boolean.TRUE;
      }
      case VALUE_FALSE -> {
        return Boolean.FALSE;
      }
      case VALUE_NULL -> {
        return null;
      }
      default -> throw new BadLine("unexpected " + p.currentToken());
    }
  }

  private static String toJson(Object tree) {
    StringWriter s = new StringWriter();
    try (JsonGenerator g = Json.FACTORY.createGenerator(s)) {
      writeTree(g, tree);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return s.toString();
  }

  private static void writeTree(JsonGenerator g, Object v) throws IOException {
    if (v instanceof Map<?, ?> m) {
      g.writeStartObject();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        g.writeFieldName((String) e.getKey());
        writeTree(g, e.getValue());
      }
      g.writeEndObject();
    } else if (v instanceof List<?> l) {
      g.writeStartArray();
      for (Object x : l) {
        writeTree(g, x);
      }
      g.writeEndArray();
    } else if (v instanceof String s) {
      g.writeString(s);
    } else if (v instanceof BigInteger n) {
      g.writeNumber(n);
    } else if (v instanceof BigDecimal n) {
      g.writeNumber(n);
    } else if (v instanceof Boolean b) {
      g.writeBoolean(b);
    } else {
      g.writeNull();
    }
  }

  static String string(Map<String, Object> o, String field, boolean required) throws BadLine {
    Object v = o.get(field);
    if (v == null) {
      if (required) {
        throw new BadLine("\"" + field + "\" is missing");
      }
      return null;
    }
    if (!(v instanceof String s)) {
      throw new BadLine("\"" + field + "\" must be a string");
    }
    return s;
  }

  static long number(Map<String, Object> o, String field) throws BadLine {
    Object v = o.get(field);
    if (!(v instanceof BigInteger n)) {
      throw new BadLine("\"" + field + "\" must be a whole number");
    }
    try {
      return n.longValueExact();
    } catch (ArithmeticException e) {
      throw new BadLine("\"" + field + "\" is out of range");
    }
  }

  static boolean flag(Map<String, Object> o, String field) throws BadLine {
    Object v = o.get(field);
    if (!(v instanceof Boolean b)) {
      throw new BadLine("\"" + field + "\" must be true or false");
    }
    return b;
  }

  static Instant time(Map<String, Object> o, String field) throws BadLine {
    String s = string(o, field, true);
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      throw new BadLine(
          "\"" + field + "\" is not an ISO-8601 instant such as 2026-01-05T09:00:00Z");
    }
  }

  static Optional<Instant> optionalTime(Map<String, Object> o, String field) throws BadLine {
    return o.get(field) == null ? Optional.empty() : Optional.of(time(o, field));
  }

  static byte[] bytes(Map<String, Object> o, String field) throws BadLine {
    String s = string(o, field, false);
    if (s == null) {
      return null;
    }
    try {
      return Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      throw new BadLine("\"" + field + "\" is not base64: " + e.getMessage());
    }
  }

  /** Stored JSON text: checked to be one JSON value. */
  private static String jsonText(Map<String, Object> o, String field) throws BadLine {
    String s = string(o, field, false);
    if (s == null) {
      return null;
    }
    try (JsonParser p = Json.FACTORY.createParser(s)) {
      p.nextToken();
      p.skipChildren();
      if (p.nextToken() != null) {
        throw new BadLine("\"" + field + "\" holds more than one JSON value");
      }
    } catch (JsonProcessingException e) {
      throw new BadLine("\"" + field + "\" is not JSON text: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return s;
  }

  static List<String> strings(Map<String, Object> o, String field) throws BadLine {
    Object v = o.get(field);
    if (!(v instanceof List<?> l)) {
      throw new BadLine("\"" + field + "\" must be an array of strings");
    }
    List<String> out = new ArrayList<>();
    for (Object x : l) {
      if (!(x instanceof String s) || s.isEmpty() || s.contains(",")) {
        throw new BadLine("\"" + field + "\" must hold non-empty strings without ','");
      }
      out.add(s);
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> objects(Map<String, Object> o, String field) throws BadLine {
    Object v = o.get(field);
    if (!(v instanceof List<?> l)) {
      throw new BadLine("\"" + field + "\" must be an array of objects");
    }
    for (Object x : l) {
      if (!(x instanceof Map)) {
        throw new BadLine("\"" + field + "\" must be an array of objects");
      }
    }
    return (List<Map<String, Object>>) v;
  }

  private static Optional<JobState> optionalState(Map<String, Object> o, String field)
      throws BadLine {
    String s = string(o, field, false);
    return s == null
        ? Optional.empty()
        : Optional.of(enumValue(JobState.class, s, "events[]." + field));
  }

  static <E extends Enum<E>> E enumValue(Class<E> type, String s, String field) throws BadLine {
    try {
      return Enum.valueOf(type, s);
    } catch (IllegalArgumentException e) {
      List<String> names = new ArrayList<>();
      for (E c : type.getEnumConstants()) {
        names.add(c.name());
      }
      throw new BadLine("\"" + field + "\" is '" + s + "', not one of " + String.join(", ", names));
    }
  }
}
