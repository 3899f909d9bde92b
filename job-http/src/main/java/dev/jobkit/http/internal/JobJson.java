package dev.jobkit.http.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.jobkit.runtime.JobEventInfo;
import dev.jobkit.runtime.JobInfo;
import dev.jobkit.runtime.JobLogLine;
import dev.jobkit.runtime.JobType;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Writes jobs, types, events and log lines as the API's JSON (camelCase, ISO-8601 times). */
public final class JobJson {
  private JobJson() {}

  /** Writes a time as an ISO-8601 UTC string, or null. */
  public static void time(JsonGenerator g, String field, Instant t) throws IOException {
    if (t == null) {
      g.writeNullField(field);
    } else {
      g.writeStringField(field, t.toString());
    }
  }

  /** Writes an optional time. */
  public static void time(JsonGenerator g, String field, Optional<Instant> t) throws IOException {
    time(g, field, t.orElse(null));
  }

  /** Writes stored JSON text as a value, or null. */
  public static void raw(JsonGenerator g, String field, Optional<String> json) throws IOException {
    g.writeFieldName(field);
    if (json.isPresent() && !json.get().isBlank()) {
      g.writeRawValue(json.get());
    } else {
      g.writeNull();
    }
  }

  /** Writes an optional string, or null. */
  public static void string(JsonGenerator g, String field, Optional<String> s) throws IOException {
    if (s.isPresent()) {
      g.writeStringField(field, s.get());
    } else {
      g.writeNullField(field);
    }
  }

  /** Writes an optional duration as ISO-8601, or null. */
  public static void duration(JsonGenerator g, String field, Optional<Duration> d)
      throws IOException {
    string(g, field, d.map(Duration::toString));
  }

  /** Writes the members of a job object (without the braces). */
  public static void jobFields(JsonGenerator g, JobInfo j) throws IOException {
    g.writeStringField("id", j.id());
    g.writeStringField("name", j.name());
    g.writeStringField("state", j.state().name());
    g.writeStringField("priority", j.priority().name());
    g.writeStringField("queue", j.queue());
    g.writeStringField("tenant", j.tenant()); // #14 tenants
    g.writeNumberField("attempts", j.attempts());
    g.writeNumberField("maxAttempts", j.maxAttempts());
    raw(g, "progress", j.progressJson());
    raw(g, "output", j.outputJson());
    string(g, "error", j.error());
    g.writeArrayFieldStart("tags");
    for (String t : j.tags()) {
      g.writeString(t);
    }
    g.writeEndArray();
    time(g, "createdAt", j.createdAt());
    time(g, "startedAt", j.startedAt());
    time(g, "finishedAt", j.finishedAt());
    createdBy(g, j);
  }

  private static void createdBy(JsonGenerator g, JobInfo j) throws IOException {
    string(g, "createdBy", j.createdBy());
  }

  /** Writes a job object. */
  public static void job(JsonGenerator g, JobInfo j) throws IOException {
    g.writeStartObject();
    jobFields(g, j);
    g.writeEndObject();
  }

  /** Writes a job type object. */
  public static void type(JsonGenerator g, JobType t) throws IOException {
    g.writeStartObject();
    g.writeStringField("name", t.name());
    g.writeStringField("description", t.description());
    g.writeStringField("queue", t.queue());
    g.writeStringField("priority", t.priority().name());
    g.writeNumberField("maxAttempts", t.maxAttempts());
    duration(g, "timeout", t.timeout());
    g.writeBooleanField("resumable", t.resumable());
    g.writeNumberField("version", t.version());
    g.writeStringField("outputType", t.outputType());
    raw(g, "parameters", Optional.of(t.schema()));
    raw(g, "output", Optional.of(t.outputSchema()));
    g.writeEndObject();
  }

  /** Writes an event of a job's trail. */
  public static void event(JsonGenerator g, JobEventInfo e) throws IOException {
    g.writeStartObject();
    g.writeNumberField("id", e.id());
    time(g, "at", e.at());
    g.writeStringField("kind", e.kind().name());
    string(g, "from", e.from().map(Enum::name));
    string(g, "to", e.to().map(Enum::name));
    string(g, "detail", e.detail());
    string(g, "actor", e.actor());
    g.writeEndObject();
  }

  /** Writes a log line. */
  public static void log(JsonGenerator g, JobLogLine l) throws IOException {
    g.writeStartObject();
    g.writeNumberField("id", l.id());
    time(g, "at", l.at());
    g.writeStringField("level", l.level().name());
    g.writeStringField("message", l.message());
    g.writeNumberField("attempt", l.attempt());
    if (l.traceId() != null) {
      g.writeStringField("traceId", l.traceId()); // #13: the attempt's trace, when traced
    }
    g.writeEndObject();
  }
}
