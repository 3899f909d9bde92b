package dev.jobkit.runtime;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON trees of templates: parsing to maps and lists (numbers kept as their text, so nothing is
 * rounded), writing back, and the {@code field=value} sets applied at use (issue #12).
 */
final class TemplateJson {
  private static final JsonFactory JSON = new JsonFactory();

  private TemplateJson() {}

  /** A JSON number, as written. */
  record Num(String text) {}

  /** A JSON value that could not be read. */
  static final class Malformed extends Exception {
    private static final long serialVersionUID = 1L;

    Malformed(String message) {
      super(message);
    }
  }

  /** The one JSON value of {@code text}: maps, lists, strings, {@link Num}, booleans or null. */
  static Object parse(String text) throws Malformed {
    try (JsonParser p = JSON.createParser(text)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        throw new Malformed("no JSON value");
      }
      Object v = read(p);
      if (p.nextToken() != null) {
        throw new Malformed("more than one JSON value");
      }
      return v;
    } catch (IOException e) {
      throw new Malformed(String.valueOf(e.getMessage()));
    }
  }

  private static Object read(JsonParser p) throws IOException {
    switch (p.currentToken()) {
      case START_OBJECT -> {
        Map<String, Object> m = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String k = p.currentName();
          p.nextToken();
          m.put(k, read(p));
        }
        return m;
      }
      case START_ARRAY -> {
        List<Object> l = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          l.add(read(p));
        }
        return l;
      }
      case VALUE_STRING -> {
        return p.getText();
      }
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
        return new Num(p.getText());
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
      default -> throw new IOException("unexpected " + p.currentToken());
    }
  }

  /** {@code tree} as compact JSON, or indented with {@code pretty}. */
  static String write(Object tree, boolean pretty) {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(w)) {
      if (pretty) {
        g.useDefaultPrettyPrinter();
      }
      write(g, tree);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }

  private static void write(JsonGenerator g, Object v) throws IOException {
    if (v instanceof Map<?, ?> m) {
      g.writeStartObject();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        g.writeFieldName((String) e.getKey());
        write(g, e.getValue());
      }
      g.writeEndObject();
    } else if (v instanceof List<?> l) {
      g.writeStartArray();
      for (Object x : l) {
        write(g, x);
      }
      g.writeEndArray();
    } else if (v instanceof Num n) {
      g.writeNumber(n.text());
    } else if (v instanceof String s) {
      g.writeString(s);
    } else if (v instanceof Boolean b) {
      g.writeBoolean(b);
    } else {
      g.writeNull();
    }
  }

  /**
   * The value of a set: {@code text} parsed as JSON when it is one valid JSON value ({@code 3},
   * {@code true}, {@code null}, {@code "x"}, {@code [1]}, <code>{...}</code>), else {@code text}
   * itself as a string.
   */
  static Object valueOf(String text) {
    try {
      return parse(text);
    } catch (Malformed e) {
      return text;
    }
  }

  /**
   * Sets the field at the dotted {@code path} ({@code a.b}) of {@code root} to {@code value},
   * creating the objects on the way that are missing (or JSON null).
   *
   * @throws IllegalArgumentException saying what is wrong (without the template's name): an empty
   *     segment, or a segment on the way that holds something other than an object
   */
  @SuppressWarnings("unchecked")
  static void set(Map<String, Object> root, String path, Object value) {
    String[] segs = path.split("\\.", -1);
    for (String s : segs) {
      if (s.isEmpty()) {
        throw new IllegalArgumentException(
            "cannot set '"
                + path
                + "': the field path has an empty segment; write it as names joined by dots,"
                + " such as a.b");
      }
    }
    Map<String, Object> cur = root;
    StringBuilder at = new StringBuilder("$");
    for (int i = 0; i < segs.length - 1; i++) {
      at.append('.').append(segs[i]);
      Object next = cur.get(segs[i]);
      if (next == null) {
        Map<String, Object> m = new LinkedHashMap<>();
        cur.put(segs[i], m);
        cur = m;
      } else if (next instanceof Map<?, ?> m) {
        cur = (Map<String, Object>) m;
      } else {
        throw new IllegalArgumentException(
            "cannot set '"
                + path
                + "': "
                + at
                + " is "
                + typeName(next)
                + ", not an object; set '"
                + String.join(".", java.util.Arrays.copyOf(segs, i + 1))
                + "' as a whole instead");
      }
    }
    cur.put(segs[segs.length - 1], value);
  }

  private static String typeName(Object v) {
    if (v instanceof List<?>) {
      return "an array";
    } else if (v instanceof Num) {
      return "a number";
    } else if (v instanceof String) {
      return "a string";
    } else if (v instanceof Boolean) {
      return "a boolean";
    }
    return "null";
  }
}
