package dev.jobkit.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.jobkit.runtime.BatchState;
import dev.jobkit.runtime.JobTransfer.BatchRecord;
import dev.jobkit.runtime.Tenants;
import java.io.IOException;
import java.io.Writer;
import java.util.Map;
import java.util.Optional;

/**
 * The batch lines of an export (issue #12 batches): {@code {"kind":"batch","id":...,"name":...,
 * "description":...,"state":...,"total":...,"completed":...,"failed":...,"cancelled":...,
 * "onSuccess":...,"onFailure":...,"onComplete":...,"createdAt":...,"createdBy":...,
 * "finishedAt":...}}, written after the schedules and before the jobs. An export that holds batches
 * has header version {@value JobLines#VERSION_WITH_BATCHES}, so that a jobkit that does not know
 * them refuses the file at its header instead of importing members without their batch.
 */
final class BatchLines {
  /** The {@code kind} of a batch line. */
  static final String KIND = "batch";

  private BatchLines() {}

  /** Writes one batch as one line. */
  static void write(Writer out, BatchRecord b) {
    Json.write(
        out,
        true,
        g -> {
          g.writeStartObject();
          g.writeStringField("kind", KIND);
          g.writeStringField("id", b.id());
          g.writeStringField("name", b.name().orElse(null));
          g.writeStringField("description", b.description().orElse(null));
          g.writeStringField("state", b.state().name());
          g.writeNumberField("total", b.total());
          g.writeNumberField("completed", b.completed());
          g.writeNumberField("failed", b.failed());
          g.writeNumberField("cancelled", b.cancelled());
          g.writeStringField("onSuccess", b.onSuccess().orElse(null));
          g.writeStringField("onFailure", b.onFailure().orElse(null));
          g.writeStringField("onComplete", b.onComplete().orElse(null));
          g.writeStringField("createdAt", b.createdAt().toString());
          g.writeStringField("createdBy", b.createdBy().orElse(null));
          g.writeStringField("finishedAt", b.finishedAt().map(Object::toString).orElse(null));
          // #14 tenants: only for another tenant's batch, as on the other lines
          if (!b.tenant().equals(Tenants.DEFAULT)) {
            g.writeStringField("tenant", b.tenant());
          }
          g.writeEndObject();
        });
  }

  /**
   * Whether {@code line} is a batch line: an object whose top-level {@code kind} is {@code
   * "batch"}. Job lines have no top-level {@code kind}.
   */
  static boolean isBatch(String line) {
    if (!line.contains("\"" + KIND + "\"")) {
      return false; // most job lines, quickly
    }
    try (JsonParser p = Json.FACTORY.createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return false;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String f = p.currentName();
        JsonToken v = p.nextToken();
        if (f.equals("kind")) {
          return v == JsonToken.VALUE_STRING && KIND.equals(p.getText());
        }
        p.skipChildren();
      }
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  /** One batch from its line, fully checked. */
  static BatchRecord read(String line) throws JobLines.BadLine {
    Map<String, Object> o = JobLines.object(line);
    String id = JobLines.string(o, "id", true);
    String where = "batch " + id + ": ";
    try {
      String state = JobLines.string(o, "state", true);
      BatchState s;
      try {
        s = BatchState.valueOf(state);
      } catch (IllegalArgumentException e) {
        throw new JobLines.BadLine(
            "\"state\" is '" + state + "', not one of RUNNING, SUCCEEDED, FAILED");
      }
      String tenant = JobLines.string(o, "tenant", false);
      try {
        return new BatchRecord(
            id,
            Optional.ofNullable(JobLines.string(o, "name", false)),
            Optional.ofNullable(JobLines.string(o, "description", false)),
            s,
            (int) JobLines.number(o, "total"),
            (int) JobLines.number(o, "completed"),
            (int) JobLines.number(o, "failed"),
            (int) JobLines.number(o, "cancelled"),
            Optional.ofNullable(JobLines.string(o, "onSuccess", false)),
            Optional.ofNullable(JobLines.string(o, "onFailure", false)),
            Optional.ofNullable(JobLines.string(o, "onComplete", false)),
            JobLines.time(o, "createdAt"),
            Optional.ofNullable(JobLines.string(o, "createdBy", false)),
            JobLines.optionalTime(o, "finishedAt"),
            tenant);
      } catch (IllegalArgumentException e) {
        throw new JobLines.BadLine(e.getMessage());
      }
    } catch (JobLines.BadLine e) {
      throw new JobLines.BadLine(where + e.getMessage());
    }
  }
}
