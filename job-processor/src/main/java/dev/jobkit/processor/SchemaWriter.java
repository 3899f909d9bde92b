package dev.jobkit.processor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds JSON Schema (draft 2020-12) text for a job's parameters and output. The parameter schema
 * leaves out a job's {@code @State} fields and gives each property its {@code description} and
 * {@code default} when known, and each object its {@code required} properties; the output schema
 * has types only.
 */
final class SchemaWriter {
  private final Map<String, ObjectModel> objects;
  private final boolean parameters;
  private final Map<String, String> defs = new TreeMap<>();

  private SchemaWriter(Map<String, ObjectModel> objects, boolean parameters) {
    this.objects = objects;
    this.parameters = parameters;
  }

  static String parameters(JobModel job, Map<String, ObjectModel> objects) {
    SchemaWriter w = new SchemaWriter(objects, true);
    String body = w.object(job.object());
    return w.root(job.name(), body);
  }

  static String output(JobModel job, Map<String, ObjectModel> objects) {
    SchemaWriter w = new SchemaWriter(objects, false);
    String body = w.schema(job.output());
    return w.root(job.name() + " output", body);
  }

  private String root(String title, String body) {
    StringBuilder s = new StringBuilder();
    s.append("{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"title\":")
        .append(quote(title))
        .append(',')
        .append(body, 1, body.length() - 1);
    if (!defs.isEmpty()) {
      s.append(",\"$defs\":{");
      String sep = "";
      for (Map.Entry<String, String> d : defs.entrySet()) {
        s.append(sep).append(quote(d.getKey())).append(':').append(d.getValue());
        sep = ",";
      }
      s.append('}');
    }
    return s.append('}').toString();
  }

  private String object(ObjectModel model) {
    StringBuilder s = new StringBuilder("{\"type\":\"object\",\"properties\":{");
    List<String> required = new ArrayList<>();
    String sep = "";
    for (FieldModel f : parameters ? CodecWriter.parameters(model) : model.fields()) {
      String schema = schema(f.type());
      if (parameters) {
        schema = documented(schema, f.doc());
        if (f.doc().required()) {
          required.add(quote(f.wireName()));
        }
      }
      s.append(sep).append(quote(f.wireName())).append(':').append(schema);
      sep = ",";
    }
    s.append('}');
    if (!required.isEmpty()) {
      s.append(",\"required\":[").append(String.join(",", required)).append(']');
    }
    return s.append(",\"additionalProperties\":false}").toString();
  }

  /** {@code schema}, an object, with the field's description and default added. */
  private static String documented(String schema, FieldModel.Doc doc) {
    StringBuilder extra = new StringBuilder();
    if (!doc.description().isEmpty()) {
      extra.append(",\"description\":").append(quote(doc.description()));
    }
    doc.defaultJson().ifPresent(d -> extra.append(",\"default\":").append(d));
    if (extra.length() == 0) {
      return schema;
    }
    String body = schema.substring(0, schema.length() - 1);
    return body + (body.equals("{") ? extra.substring(1) : extra) + "}";
  }

  private String schema(TypeRef t) {
    if (t instanceof TypeRef.Scalar s) {
      return s.kind().schema;
    }
    if (t instanceof TypeRef.EnumRef e) {
      StringBuilder s = new StringBuilder("{\"enum\":[");
      String sep = "";
      for (String c : e.constants()) {
        s.append(sep).append(quote(c));
        sep = ",";
      }
      return s.append("]}").toString();
    }
    if (t instanceof TypeRef.ArrayRef a) {
      return "{\"type\":\"array\",\"items\":" + schema(a.component()) + "}";
    }
    if (t instanceof TypeRef.CollectionRef c) {
      return "{\"type\":\"array\",\"items\":"
          + schema(c.element())
          + (c.set() ? ",\"uniqueItems\":true}" : "}");
    }
    if (t instanceof TypeRef.MapRef m) {
      String names =
          m.key() instanceof TypeRef.Scalar s && s.kind().integral()
              ? ",\"propertyNames\":{\"pattern\":\"^-?[0-9]+$\"}"
              : "";
      return "{\"type\":\"object\",\"additionalProperties\":" + schema(m.value()) + names + "}";
    }
    if (t instanceof TypeRef.OptionalRef o) {
      return schema(o.value());
    }
    if (t instanceof TypeRef.OptionalPrimitive p) {
      return p.kind().schema;
    }
    if (t instanceof TypeRef.ObjectRef o) {
      ObjectModel model = objects.get(o.qualifiedName());
      if (model == null) {
        return "{\"type\":\"object\"}";
      }
      if (!defs.containsKey(o.qualifiedName())) {
        defs.put(o.qualifiedName(), "{}");
        defs.put(o.qualifiedName(), object(model));
      }
      return "{\"$ref\":\"#/$defs/" + o.qualifiedName() + "\"}";
    }
    return "{\"type\":\"null\"}";
  }

  /** {@code s} as a JSON string. */
  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
