package dev.jobkit.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamWriteFeature;
import dev.jobkit.runtime.JobInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Instant;
import java.util.Optional;

/**
 * Machine-readable output of the {@code --json} switches, written with jackson-core's streaming
 * API.
 */
final class Json {
  static final JsonFactory FACTORY =
      JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();

  private Json() {}

  /**
   * Writes one JSON value to {@code out}: pretty-printed unless {@code compact}, then a newline.
   */
  static void write(Writer out, boolean compact, IoConsumer<JsonGenerator> body) {
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      if (!compact) {
        g.useDefaultPrettyPrinter();
      }
      body.accept(g);
      g.flush();
      out.write(System.lineSeparator());
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A body that writes with a generator. */
  @FunctionalInterface
  interface IoConsumer<T> {
    void accept(T t) throws IOException;
  }

  /** Writes a job as an object. */
  static void job(JsonGenerator g, JobInfo j) throws IOException {
    job(g, j, g2 -> {});
  }

  /** Writes a job as an object, with {@code more} fields before it ends. */
  static void job(JsonGenerator g, JobInfo j, IoConsumer<JsonGenerator> more) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", j.id());
    g.writeStringField("name", j.name());
    g.writeStringField("state", j.state().name());
    g.writeBooleanField("terminal", j.state().isTerminal());
    g.writeStringField("priority", j.priority() == null ? null : j.priority().name());
    g.writeStringField("queue", j.queue());
    g.writeStringField("tenant", j.tenant()); // #14 tenants: always, "default" included
    g.writeNumberField("attempts", j.attempts());
    g.writeNumberField("maxAttempts", j.maxAttempts());
    g.writeArrayFieldStart("tags");
    for (String t : j.tags()) {
      g.writeString(t);
    }
    g.writeEndArray();
    instant(g, "createdAt", Optional.ofNullable(j.createdAt()));
    instant(g, "startedAt", j.startedAt());
    instant(g, "finishedAt", j.finishedAt());
    embedded(g, "progress", j.progressJson());
    embedded(g, "output", j.outputJson());
    g.writeStringField("error", j.error().orElse(null));
    more.accept(g);
    g.writeEndObject();
  }

  /** Writes an instant as an ISO-8601 string field, or null. */
  static void instant(JsonGenerator g, String field, Optional<Instant> at) throws IOException {
    g.writeStringField(field, at.map(Instant::toString).orElse(null));
  }

  /** Copies stored JSON text as a nested value of {@code field} (null when absent). */
  static void embedded(JsonGenerator g, String field, Optional<String> json) throws IOException {
    g.writeFieldName(field);
    embedded(g, json);
  }

  /** Copies stored JSON text as the next value (null when absent). */
  static void embedded(JsonGenerator g, Optional<String> json) throws IOException {
    if (json.isEmpty()) {
      g.writeNull();
      return;
    }
    try (JsonParser p = FACTORY.createParser(json.get())) {
      p.nextToken();
      g.copyCurrentStructure(p);
    }
  }

  /** Re-indents stored JSON text for people. */
  static String pretty(String json) {
    java.io.StringWriter s = new java.io.StringWriter();
    write(s, false, g -> embedded(g, Optional.of(json)));
    return s.toString().stripTrailing();
  }
}
