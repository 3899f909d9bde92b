package dev.jobkit.runtime.internal.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The stored form of a job's trace context (#13): a small map of strings (W3C {@code traceparent},
 * {@code tracestate}, ...) as one JSON object in {@code jobkit_jobs.trace_context}. An empty map is
 * stored as null.
 */
public final class TraceContexts {
  private static final JsonFactory JSON = new JsonFactory();

  /** The most characters a stored context may take; a larger one is a caller's mistake. */
  public static final int MAX_CHARS = 4096;

  private TraceContexts() {}

  /**
   * The JSON of {@code context}, keys sorted, or null when it is null or empty.
   *
   * @throws IllegalArgumentException if a key or value is null, or the result exceeds {@link
   *     #MAX_CHARS}
   */
  public static String encode(Map<String, String> context) {
    if (context == null || context.isEmpty()) {
      return null;
    }
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      for (Map.Entry<String, String> e : new TreeMap<>(context).entrySet()) {
        if (e.getValue() == null) {
          throw new IllegalArgumentException(
              "trace context entry '" + e.getKey() + "' has a null value; leave the entry out");
        }
        g.writeStringField(e.getKey(), e.getValue());
      }
      g.writeEndObject();
    } catch (NullPointerException e) {
      throw new IllegalArgumentException("trace context has a null key; leave the entry out", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String s = out.toString();
    if (s.length() > MAX_CHARS) {
      throw new IllegalArgumentException(
          "trace context takes "
              + s.length()
              + " characters, more than the limit of "
              + MAX_CHARS
              + "; store only the propagation headers (traceparent, tracestate)");
    }
    return s;
  }

  /** The map stored as {@code json}: empty when null; an unreadable value also reads as empty. */
  public static Map<String, String> decode(String json) {
    if (json == null || json.isEmpty()) {
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    try (JsonParser p = JSON.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return Map.of();
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        if (p.nextToken() != JsonToken.VALUE_STRING) {
          return Map.of();
        }
        out.put(key, p.getText());
      }
    } catch (IOException e) {
      // Written by this class only; a damaged value must not stop the job from running.
      return Map.of();
    }
    return Map.copyOf(out);
  }
}
