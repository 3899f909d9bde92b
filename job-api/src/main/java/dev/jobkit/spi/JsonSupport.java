package dev.jobkit.spi;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.jobkit.JobDecodeException;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.UUID;

/**
 * JSON helpers called by generated codecs: scalar reads that check the current token, fast instant
 * writes, and errors that carry the path (from the parser's context) and the line and column of the
 * current token.
 */
public final class JsonSupport {
  private JsonSupport() {}

  /** The path of the current token, such as {@code $.sources[2]}. */
  public static String path(JsonParser in) {
    JsonStreamContext ctx = in.getParsingContext();
    JsonToken t = in.currentToken();
    if (ctx != null && (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY)) {
      ctx = ctx.getParent();
    }
    ArrayDeque<String> parts = new ArrayDeque<>();
    for (; ctx != null && !ctx.inRoot(); ctx = ctx.getParent()) {
      if (ctx.inArray()) {
        parts.push("[" + ctx.getCurrentIndex() + "]");
      } else if (ctx.getCurrentName() != null) {
        parts.push("." + ctx.getCurrentName());
      }
    }
    StringBuilder path = new StringBuilder("$");
    parts.forEach(path::append);
    return path.toString();
  }

  /** A decode error at the current token. */
  public static JobDecodeException error(JsonReader in, String reason) {
    return error(in, reason, null);
  }

  /** A decode error at the current token, caused by {@code cause}. */
  public static JobDecodeException error(JsonReader in, String reason, Throwable cause) {
    return in.error(reason, cause);
  }

  /** An error saying that the current token is not {@code expected} (such as "a string"). */
  public static JobDecodeException mismatch(JsonReader in, String expected) {
    return error(in, "expected " + expected + " but found " + describe(in.currentToken()));
  }

  /** An error for a field the type does not have, in strict mode. */
  public static JobDecodeException unknownField(JsonReader in, String known) {
    return error(in, "unknown field (known: " + known + ")");
  }

  /**
   * An error for a {@link dev.jobkit.State @State} field given in strict mode (dispatch input):
   * state is written by the job, never given. The parser is on the field's name.
   *
   * @param parameters the names of the fields that may be given, comma-separated
   */
  public static JobDecodeException stateField(JsonReader in, String parameters) throws IOException {
    return error(
        in,
        "'"
            + in.currentName()
            + "' is state of the job, written by the job while it runs; it cannot be given at"
            + " dispatch (parameters: "
            + parameters
            + ")");
  }

  /**
   * Malformed JSON reported by the parser, as a decode error with its location. A duplicate field
   * (the parser rejects them when {@code STRICT_DUPLICATE_DETECTION} is on, as in {@link
   * dev.jobkit.JobRegistry}) is reported like an unknown field, at the field's path.
   */
  public static JobDecodeException malformed(JsonProcessingException e) {
    return malformed(e, null);
  }

  /**
   * Like {@link #malformed(JsonProcessingException)}, with the parser that read the input, for
   * errors such as exceeded limits that jackson reports without a location.
   */
  public static JobDecodeException malformed(JsonProcessingException e, JsonParser parser) {
    JsonParser p = e.getProcessor() instanceof JsonParser q ? q : parser;
    JsonLocation loc = e.getLocation();
    if (loc == null && p != null) {
      loc = p.currentLocation();
    }
    String path = p != null ? path(p) : "$";
    String message = String.valueOf(e.getOriginalMessage());
    String reason;
    if (e instanceof StreamConstraintsException && message.startsWith("Document nesting depth")) {
      reason =
          "objects and arrays nested more than "
              + MsgpackSupport.MAX_DEPTH
              + " deep; no job's parameters nest that deep";
    } else if (e instanceof StreamConstraintsException) {
      reason = "the JSON exceeds a limit: " + message;
    } else if (message.startsWith(DUPLICATE) && p != null) {
      // Jackson has no exception type of its own for this; its message is stable since 2.3.
      reason = "duplicate field (each field may be given once)";
      path = fieldPath(p);
    } else {
      reason = "malformed JSON: " + message;
    }
    return new JobDecodeException(
        "",
        path,
        reason,
        loc == null ? 0 : loc.getLineNr(),
        loc == null ? 0 : loc.getColumnNr(),
        e);
  }

  private static final String DUPLICATE = "Duplicate field '";

  /**
   * The path of the field name the parser has just read, which {@link #path} misses when the
   * previous token opened or closed an object or array.
   */
  private static String fieldPath(JsonParser in) {
    JsonStreamContext ctx = in.getParsingContext();
    StringBuilder path = new StringBuilder();
    for (; ctx != null && !ctx.inRoot(); ctx = ctx.getParent()) {
      if (ctx.inArray()) {
        path.insert(0, "[" + ctx.getCurrentIndex() + "]");
      } else if (ctx.getCurrentName() != null) {
        path.insert(0, "." + ctx.getCurrentName());
      }
    }
    return path.insert(0, "$").toString();
  }

  /** Fails unless the current token starts an object. */
  public static void expectObject(JsonReader in) {
    if (in.currentToken() != JsonToken.START_OBJECT) {
      throw mismatch(in, "an object");
    }
  }

  /** Fails unless the current token starts an array. */
  public static void expectArray(JsonReader in) {
    if (in.currentToken() != JsonToken.START_ARRAY) {
      throw mismatch(in, "an array");
    }
  }

  /** Returns {@code element}, or fails at the current token if it is null (sorted sets). */
  public static <T> T notNull(JsonReader in, T element) {
    if (element == null) {
      throw error(in, "expected a value but found null (a sorted set cannot hold null)");
    }
    return element;
  }

  /** Reads a boolean. */
  public static boolean readBoolean(JsonReader in) {
    JsonToken t = in.currentToken();
    if (t == JsonToken.VALUE_TRUE) {
      return true;
    }
    if (t == JsonToken.VALUE_FALSE) {
      return false;
    }
    throw mismatch(in, "a boolean");
  }

  /** Reads an integer that fits in a byte. */
  public static byte readByte(JsonReader in) throws IOException {
    long v = readLong(in);
    if (v < Byte.MIN_VALUE || v > Byte.MAX_VALUE) {
      throw error(in, "integer out of range for a byte: " + v);
    }
    return (byte) v;
  }

  /** Reads an integer that fits in a short. */
  public static short readShort(JsonReader in) throws IOException {
    long v = readLong(in);
    if (v < Short.MIN_VALUE || v > Short.MAX_VALUE) {
      throw error(in, "integer out of range for a short: " + v);
    }
    return (short) v;
  }

  /** Reads an integer that fits in an int. */
  public static int readInt(JsonReader in) throws IOException {
    if (in.currentToken() != JsonToken.VALUE_NUMBER_INT) {
      throw mismatch(in, "an integer");
    }
    try {
      return in.getIntValue();
    } catch (InputCoercionException e) {
      throw error(in, "integer out of range for an int: " + in.getText(), e);
    }
  }

  /** Reads an integer that fits in a long. */
  public static long readLong(JsonReader in) throws IOException {
    if (in.currentToken() != JsonToken.VALUE_NUMBER_INT) {
      throw mismatch(in, "an integer");
    }
    try {
      return in.getLongValue();
    } catch (InputCoercionException e) {
      throw error(in, "integer out of range for a long: " + in.getText(), e);
    }
  }

  /** Reads a float. */
  public static float readFloat(JsonReader in) throws IOException {
    return (float) readDouble(in);
  }

  /**
   * Reads a double; also accepts the strings {@code NaN}, {@code Infinity} and {@code -Infinity}.
   */
  public static double readDouble(JsonReader in) throws IOException {
    JsonToken t = in.currentToken();
    if (t == JsonToken.VALUE_NUMBER_FLOAT || t == JsonToken.VALUE_NUMBER_INT) {
      return in.getDoubleValue();
    }
    if (t == JsonToken.VALUE_STRING) {
      switch (in.getText()) {
        case "NaN":
          return Double.NaN;
        case "Infinity":
          return Double.POSITIVE_INFINITY;
        case "-Infinity":
          return Double.NEGATIVE_INFINITY;
        default:
          break;
      }
    }
    throw mismatch(in, "a number");
  }

  /** Reads a string. */
  public static String readString(JsonReader in) throws IOException {
    if (in.currentToken() != JsonToken.VALUE_STRING) {
      throw mismatch(in, "a string");
    }
    return in.getText();
  }

  /** Reads a one-character string. */
  public static char readChar(JsonReader in) throws IOException {
    String s = readString(in);
    if (s.length() != 1) {
      throw error(in, "expected a single character but found '" + s + "'");
    }
    return s.charAt(0);
  }

  /** Reads base64 binary data. */
  public static byte[] readBinary(JsonReader in) throws IOException {
    if (in.currentToken() != JsonToken.VALUE_STRING) {
      throw mismatch(in, "a base64 string");
    }
    try {
      return in.getBinaryValue();
    } catch (JsonProcessingException e) {
      throw error(in, "expected a base64 string: " + e.getOriginalMessage(), e);
    }
  }

  /** Reads an enum constant by name. */
  public static <E extends Enum<E>> E readEnum(JsonReader in, Class<E> type) throws IOException {
    if (in instanceof JsonTextReader fast) {
      E known = fast.enumConstant(type);
      if (known != null) {
        return known;
      }
    }
    String name = readString(in);
    E value = Enums.valueOf(type, name);
    if (value == null) {
      throw error(in, Enums.unknown(type, name));
    }
    return value;
  }

  /** Reads a decimal number, or a string holding one, without loss. */
  public static BigDecimal readBigDecimal(JsonReader in) throws IOException {
    JsonToken t = in.currentToken();
    if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
      try {
        return in.getDecimalValue();
      } catch (NumberFormatException e) {
        // jackson's own, for an exponent beyond BigDecimal's range such as 1e9999999999
        throw error(in, "decimal number out of range: " + in.getText(), e);
      }
    }
    if (t == JsonToken.VALUE_STRING) {
      try {
        return new BigDecimal(in.getText());
      } catch (NumberFormatException e) {
        throw error(in, "expected a decimal number but found '" + in.getText() + "'", e);
      }
    }
    throw mismatch(in, "a number");
  }

  /** Reads an integer number, or a string holding one, without loss. */
  public static BigInteger readBigInteger(JsonReader in) throws IOException {
    JsonToken t = in.currentToken();
    if (t == JsonToken.VALUE_NUMBER_INT) {
      return in.getBigIntegerValue();
    }
    if (t == JsonToken.VALUE_STRING) {
      try {
        return new BigInteger(in.getText());
      } catch (NumberFormatException e) {
        throw error(in, "expected an integer number but found '" + in.getText() + "'", e);
      }
    }
    throw mismatch(in, "an integer");
  }

  /** Reads a UUID string. */
  public static UUID readUuid(JsonReader in) throws IOException {
    String s = readString(in);
    try {
      return UUID.fromString(s);
    } catch (IllegalArgumentException e) {
      throw error(in, "expected a UUID but found '" + s + "'", e);
    }
  }

  /** Reads a URI string. */
  public static URI readUri(JsonReader in) throws IOException {
    String s = readString(in);
    try {
      return new URI(s);
    } catch (URISyntaxException e) {
      throw error(in, "expected a URI but found '" + s + "'", e);
    }
  }

  /** Reads a file system path string. */
  public static Path readPath(JsonReader in) throws IOException {
    String s = readString(in);
    try {
      return Path.of(s);
    } catch (InvalidPathException e) {
      throw error(in, "expected a file path but found '" + s + "'", e);
    }
  }

  /** Reads an ISO-8601 instant string. */
  public static Instant readInstant(JsonReader in) throws IOException {
    if (in.currentToken() == JsonToken.VALUE_STRING) {
      // The form Instant.toString writes, without a String or DateTimeFormatter.
      Instant fast =
          Temporals.parseInstant(in.getTextCharacters(), in.getTextOffset(), in.getTextLength());
      if (fast != null) {
        return fast;
      }
    }
    String s = readString(in);
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      throw error(in, Temporals.INSTANT + s + "'", e);
    }
  }

  /** Writes an instant as {@link Instant#toString()} does, an ISO-8601 string in UTC. */
  public static void writeInstant(JsonWriter out, Instant value) {
    char[] text = new char[Temporals.MAX_INSTANT_CHARS];
    int length = Temporals.formatInstant(value, text);
    if (length < 0) {
      out.writeString(value.toString());
    } else {
      out.writeString(text, 0, length);
    }
  }

  /** Reads an ISO-8601 duration string. */
  public static Duration readDuration(JsonReader in) throws IOException {
    String s = readString(in);
    try {
      return Duration.parse(s);
    } catch (DateTimeParseException e) {
      throw error(in, Temporals.DURATION + s + "'", e);
    }
  }

  /** Reads an ISO-8601 date string. */
  public static LocalDate readLocalDate(JsonReader in) throws IOException {
    String s = readString(in);
    try {
      return LocalDate.parse(s);
    } catch (DateTimeParseException e) {
      throw error(in, Temporals.LOCAL_DATE + s + "'", e);
    }
  }

  /** Reads an ISO-8601 local date-time string. */
  public static LocalDateTime readLocalDateTime(JsonReader in) throws IOException {
    String s = readString(in);
    try {
      return LocalDateTime.parse(s);
    } catch (DateTimeParseException e) {
      throw error(in, Temporals.LOCAL_DATE_TIME + s + "'", e);
    }
  }

  /** Reads an ISO-8601 date-time string with offset. */
  public static OffsetDateTime readOffsetDateTime(JsonReader in) throws IOException {
    String s = readString(in);
    try {
      return OffsetDateTime.parse(s);
    } catch (DateTimeParseException e) {
      throw error(in, Temporals.OFFSET_DATE_TIME + s + "'", e);
    }
  }

  /** Parses an integer map key (a JSON field name); the parser is on the field name. */
  public static long parseLongKey(JsonReader in, String key) {
    try {
      return Long.parseLong(key);
    } catch (NumberFormatException e) {
      throw error(in, "expected an integer key but found '" + key + "'", e);
    }
  }

  /** Parses an enum map key (a JSON field name); the parser is on the field name. */
  public static <E extends Enum<E>> E parseEnumKey(JsonReader in, String key, Class<E> type) {
    E value = Enums.valueOf(type, key);
    if (value == null) {
      throw error(in, Enums.unknown(type, key));
    }
    return value;
  }

  /** Parses an integer map key (a MessagePack/JSON string) into the key's range, or fails. */
  public static int parseIntKey(JsonReader in, String key) {
    long v = parseLongKey(in, key);
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw error(in, "integer key out of range: " + key);
    }
    return (int) v;
  }

  /** A token as the user wrote it, for messages: "null", "a number", "an array", and so on. */
  public static String describe(JsonToken t) {
    if (t == null) {
      return "the end of input";
    }
    switch (t) {
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return "a number";
      case VALUE_STRING:
        return "a string";
      case VALUE_TRUE:
      case VALUE_FALSE:
        return "a boolean";
      case VALUE_NULL:
        return "null";
      case START_OBJECT:
        return "an object";
      case START_ARRAY:
        return "an array";
      default:
        return t.asString() == null ? t.name() : "'" + t.asString() + "'";
    }
  }
}
