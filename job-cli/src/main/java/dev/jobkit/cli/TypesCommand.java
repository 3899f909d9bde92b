package dev.jobkit.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.jobkit.JobRegistry;
import dev.jobkit.spi.JobRegistration;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jobkit types [NAME]}: the registered job types, with their parameters. */
@Command(
    name = "types",
    description = {
      "List the job types on the class path with their parameters.",
      "With NAME, show one type with its parameter and output JSON schemas."
    })
final class TypesCommand extends JobkitCommand {
  @Parameters(arity = "0..1", paramLabel = "NAME", description = "A job type to show in detail.")
  String name;

  @Option(names = "--json", description = "Print a JSON array of types with their schemas.")
  boolean json;

  @Override
  public Integer call() {
    jobkit.noTenant("types", "lists the job types on the class path"); // #14 tenants
    JobRegistry registry = jobkit.registry();
    Collection<JobRegistration<?, ?>> types =
        name == null ? registry.registrations() : List.of(registry.registration(name));
    PrintWriter out = out();
    if (json) {
      Json.write(
          out,
          false,
          g -> {
            g.writeStartArray();
            for (JobRegistration<?, ?> r : types) {
              g.writeStartObject();
              g.writeStringField("name", r.name());
              g.writeStringField("description", r.description());
              g.writeStringField("queue", r.queue());
              g.writeStringField("priority", r.priority().name());
              g.writeFieldName("maxAttempts");
              if (r.maxAttempts() > 0) {
                g.writeNumber(r.maxAttempts());
              } else {
                g.writeNull();
              }
              g.writeStringField("timeout", r.timeout().map(Object::toString).orElse(null));
              g.writeBooleanField("resumable", r.resumable());
              g.writeNumberField("version", r.version());
              g.writeStringField("outputType", r.outputType());
              Json.embedded(g, "schema", Optional.of(r.schema()));
              Json.embedded(g, "outputSchema", Optional.of(r.outputSchema()));
              g.writeEndObject();
            }
            g.writeEndArray();
          });
      return ExitCodes.OK;
    }
    if (types.isEmpty()) {
      out.println(
          "no job types on the class path (add jars of jobs with --classpath or "
              + "JOBKIT_CLASSPATH)");
      return ExitCodes.OK;
    }
    if (name == null) {
      Table t = new Table("NAME", "DESCRIPTION", "PARAMETERS");
      for (JobRegistration<?, ?> r : types) {
        t.row(
            new Table.Cell(r.name(), style()::bold),
            r.description(),
            String.join(", ", parameters(r.schema())));
      }
      t.print(out, style());
      return ExitCodes.OK;
    }
    JobRegistration<?, ?> r = types.iterator().next();
    out.println(
        style().bold(r.name()) + (r.description().isEmpty() ? "" : " - " + r.description()));
    out.println("  queue        " + r.queue());
    out.println("  priority     " + r.priority());
    out.println(
        "  attempts     " + (r.maxAttempts() > 0 ? r.maxAttempts() : "the runtime's default"));
    out.println("  timeout      " + r.timeout().map(Durations::format).orElse("none"));
    out.println(
        "  resumable    "
            + (r.resumable() ? "yes" : "no")
            + " (state version "
            + r.version()
            + ")");
    out.println("  output       " + r.outputType());
    out.println("  parameters   " + String.join(", ", parameters(r.schema())));
    out.println("parameter schema:");
    out.println(Json.pretty(r.schema()));
    out.println("output schema:");
    out.println(Json.pretty(r.outputSchema()));
    return ExitCodes.OK;
  }

  /** {@code name: type} for each top-level property of a JSON schema. */
  static List<String> parameters(String schema) {
    List<String> out = new ArrayList<>();
    try (JsonParser p = Json.FACTORY.createParser(schema)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return out;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        if (!field.equals("properties") || !p.isExpectedStartObjectToken()) {
          p.skipChildren();
          continue;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String property = p.currentName();
          p.nextToken();
          out.add(property + ": " + typeOf(p));
        }
      }
    } catch (IOException e) {
      out.add("(unreadable schema: " + e.getMessage() + ")");
    }
    return out;
  }

  /** A short type for the schema object at the parser (consumed up to its end). */
  private static String typeOf(JsonParser p) throws IOException {
    if (!p.isExpectedStartObjectToken()) {
      p.skipChildren();
      return "any";
    }
    String type = null;
    String items = null;
    String ref = null;
    List<String> values = new ArrayList<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String f = p.currentName();
      JsonToken t = p.nextToken();
      switch (f) {
        case "type" -> {
          if (t == JsonToken.START_ARRAY) {
            List<String> ts = new ArrayList<>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
              ts.add(p.getText());
            }
            type = String.join("|", ts);
          } else {
            type = p.getText();
          }
        }
        case "items" -> items = typeOf(p);
        case "$ref" -> ref = p.getText().substring(p.getText().lastIndexOf('/') + 1);
        case "enum" -> {
          while (p.nextToken() != JsonToken.END_ARRAY) {
            values.add(p.getText());
          }
        }
        default -> p.skipChildren();
      }
    }
    if (!values.isEmpty()) {
      return String.join("|", values);
    }
    if (ref != null) {
      return ref;
    }
    if (type == null) {
      return "any";
    }
    return items != null && type.startsWith("array") ? items + "[]" + type.substring(5) : type;
  }
}
