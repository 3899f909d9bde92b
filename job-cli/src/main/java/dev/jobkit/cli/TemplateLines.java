package dev.jobkit.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.jobkit.runtime.TemplateInfo;
import dev.jobkit.runtime.Tenants;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The template lines of an export (issue #12): {@code {"kind":"template","name":...,"job":...,
 * "params":{...},"description":...,"createdAt":...,"createdBy":...,"updatedAt":...}}, written after
 * the header and before the jobs. An export that holds templates has header version {@value
 * JobLines#VERSION_WITH_TEMPLATES}, so that a jobkit that does not know them refuses the file at
 * its header instead of at a line.
 */
final class TemplateLines {
  /** The {@code kind} of a template line. */
  static final String KIND = "template";

  private TemplateLines() {}

  /** Writes one template as one line. */
  static void write(Writer out, TemplateInfo t) {
    Json.write(
        out,
        true,
        g -> {
          g.writeStartObject();
          g.writeStringField("kind", KIND);
          g.writeStringField("name", t.name());
          g.writeStringField("job", t.jobName());
          Json.embedded(g, "params", Optional.of(t.paramsJson()));
          g.writeStringField("description", t.description().orElse(null));
          g.writeStringField("createdAt", t.createdAt().toString());
          g.writeStringField("createdBy", t.createdBy().orElse(null));
          g.writeStringField("updatedAt", t.updatedAt().toString());
          // #14 tenants: only for another tenant's template, so other lines read as before
          if (!t.tenant().equals(Tenants.DEFAULT)) {
            g.writeStringField("tenant", t.tenant());
          }
          g.writeEndObject();
        });
  }

  /**
   * Whether {@code line} is a template line: an object whose top-level {@code kind} is {@code
   * "template"}. Job lines have no top-level {@code kind}; a line that is not JSON is not one.
   */
  static boolean isTemplate(String line) {
    if (!line.contains("\"" + KIND + "\"")) {
      return false; // job lines, quickly
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

  /** One template from its line, fully checked. */
  static TemplateInfo read(String line) throws JobLines.BadLine {
    String name = null;
    String job = null;
    String params = null;
    String description = null;
    String createdBy = null;
    Instant createdAt = null;
    Instant updatedAt = null;
    String tenant = null;
    try (JsonParser p = Json.FACTORY.createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new JobLines.BadLine("a template line must be a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String f = p.currentName();
        JsonToken v = p.nextToken();
        switch (f) {
          case "kind" -> {}
          case "name" -> name = text(p, v, f);
          case "job" -> job = text(p, v, f);
          case "description" -> description = text(p, v, f);
          case "createdBy" -> createdBy = text(p, v, f);
          case "tenant" -> tenant = text(p, v, f);
          case "createdAt" -> createdAt = time(p, v, f);
          case "updatedAt" -> updatedAt = time(p, v, f);
          case "params" -> {
            if (v != JsonToken.START_OBJECT) {
              throw new JobLines.BadLine("template \"params\" must be a JSON object");
            }
            StringWriter w = new StringWriter();
            try (JsonGenerator g = Json.FACTORY.createGenerator(w)) {
              g.copyCurrentStructure(p);
            }
            params = w.toString();
          }
          default -> p.skipChildren(); // fields of later versions
        }
      }
    } catch (JsonProcessingException e) {
      throw new JobLines.BadLine("not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new JobLines.BadLine("cannot read: " + e.getMessage());
    }
    String where = "template " + (name == null ? "(no name)" : name) + ": ";
    if (name == null || name.isBlank()) {
      throw new JobLines.BadLine("a template line needs \"name\"");
    }
    if (job == null || job.isBlank()) {
      throw new JobLines.BadLine(where + "missing \"job\", the job type");
    }
    if (params == null) {
      throw new JobLines.BadLine(where + "missing \"params\", a JSON object");
    }
    if (createdAt == null || updatedAt == null) {
      throw new JobLines.BadLine(where + "missing \"createdAt\" or \"updatedAt\"");
    }
    if (tenant != null) {
      try {
        Tenants.checkName(tenant);
      } catch (IllegalArgumentException e) {
        throw new JobLines.BadLine(where + "\"tenant\": " + e.getMessage());
      }
    }
    return new TemplateInfo(
        name,
        job,
        params,
        Optional.ofNullable(description),
        createdAt,
        Optional.ofNullable(createdBy),
        updatedAt,
        tenant == null ? Tenants.DEFAULT : tenant);
  }

  private static String text(JsonParser p, JsonToken v, String field) throws JobLines.BadLine {
    if (v == JsonToken.VALUE_NULL) {
      return null;
    }
    if (v != JsonToken.VALUE_STRING) {
      throw new JobLines.BadLine("template \"" + field + "\" must be a string");
    }
    try {
      return p.getText();
    } catch (IOException e) {
      throw new JobLines.BadLine("template \"" + field + "\": " + e.getMessage());
    }
  }

  private static Instant time(JsonParser p, JsonToken v, String field) throws JobLines.BadLine {
    String s = text(p, v, field);
    if (s == null) {
      return null;
    }
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      throw new JobLines.BadLine(
          "template \""
              + field
              + "\" '"
              + s
              + "' is not an ISO-8601 time such as 2026-01-02T03:04:05Z");
    }
  }
}
