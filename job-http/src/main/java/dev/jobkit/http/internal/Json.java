package dev.jobkit.http.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON in and out with jackson-core only (no data binding): a generator into a byte array, and a
 * reader into plain maps, lists and scalars where every value remembers where it started.
 */
public final class Json {
  /** The one factory; thread-safe. */
  public static final JsonFactory FACTORY =
      JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).build())
          .build();

  private Json() {}

  /** Writes a JSON document with {@code body} and returns its UTF-8 bytes. */
  public static byte[] write(Body body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      body.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Writes a JSON string value (quoted and escaped). */
  public static String quote(String s) {
    return new String(write(g -> g.writeString(s)), java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Code that writes one JSON value. */
  @FunctionalInterface
  public interface Body {
    /** Writes the value. */
    void write(JsonGenerator g) throws IOException;
  }

  /**
   * A value read from JSON with where it starts: {@code value} is a {@code Map<String, Node>}, a
   * {@code List<Node>}, a String, a Number, a Boolean or null; {@code offset} is the character
   * offset of its first character, {@code endOffset} that after its last.
   */
  public record Node(Object value, String path, int line, int column, int offset, int endOffset) {
    /** The value if it is an object, else null. */
    @SuppressWarnings("unchecked")
    public Map<String, Node> object() {
      return value instanceof Map<?, ?> m ? (Map<String, Node>) m : null;
    }

    /** The value if it is an array, else null. */
    @SuppressWarnings("unchecked")
    public List<Node> array() {
      return value instanceof List<?> l ? (List<Node>) l : null;
    }

    /** A 400 problem about this value: the message, with its path, line and column. */
    public HttpProblem problem(String what) {
      return HttpProblem.badRequest(
              path + ": " + what + " (line " + line + ", column " + column + ")")
          .with("path", path)
          .with("line", line)
          .with("column", column);
    }

    /** The JSON type's name, for messages. */
    public String typeName() {
      if (value == null) {
        return "null";
      } else if (value instanceof Map) {
        return "an object";
      } else if (value instanceof List) {
        return "an array";
      } else if (value instanceof String) {
        return "a string";
      } else if (value instanceof Boolean) {
        return "a boolean";
      }
      return "a number";
    }
  }

  /**
   * Reads one JSON document from {@code text}: malformed JSON and trailing content are a 400
   * problem with line and column.
   */
  public static Node read(String text) {
    try (JsonParser p = FACTORY.createParser(text)) {
      if (p.nextToken() == null) {
        throw HttpProblem.badRequest("the request body is empty; send a JSON object")
            .with("line", 1)
            .with("column", 1);
      }
      Node n = read(p, "$");
      if (p.nextToken() != null) {
        JsonLocation l = p.currentTokenLocation();
        throw HttpProblem.badRequest(
                "unexpected content after the JSON value (line "
                    + l.getLineNr()
                    + ", column "
                    + l.getColumnNr()
                    + ")")
            .with("line", l.getLineNr())
            .with("column", l.getColumnNr());
      }
      return n;
    } catch (JsonProcessingException e) {
      JsonLocation l = e.getLocation();
      int line = l == null ? 0 : l.getLineNr();
      int col = l == null ? 0 : l.getColumnNr();
      String msg = e.getOriginalMessage().replaceAll("[\\r\\n]+", " ");
      int cut = msg.indexOf(" at [Source");
      if (cut > 0) {
        msg = msg.substring(0, cut);
      }
      throw HttpProblem.badRequest(
              "malformed JSON: " + msg + " (line " + line + ", column " + col + ")")
          .with("line", line)
          .with("column", col);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Node read(JsonParser p, String path) throws IOException {
    JsonLocation start = p.currentTokenLocation();
    int line = start.getLineNr();
    int column = start.getColumnNr();
    int offset = (int) start.getCharOffset();
    Object value;
    switch (p.currentToken()) {
      case START_OBJECT -> {
        Map<String, Node> m = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          p.nextToken();
          Node child = read(p, path + "." + name);
          if (m.put(name, child) != null) {
            throw child.problem("duplicate field '" + name + "'");
          }
        }
        value = m;
      }
      case START_ARRAY -> {
        List<Node> l = new ArrayList<>();
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
          l.add(read(p, path + "[" + i++ + "]"));
        }
        value = l;
      }
      case VALUE_STRING -> value = p.getText();
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> value = p.getNumberValue();
      case VALUE_TRUE -> value = Boolean.TRUE;
      case VALUE_FALSE -> value = Boolean.FALSE;
      default -> value = null;
    }
    int end = (int) p.currentLocation().getCharOffset();
    return new Node(value, path, line, column, offset, end);
  }
}
