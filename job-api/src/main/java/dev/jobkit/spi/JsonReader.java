package dev.jobkit.spi;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.jobkit.JobDecodeException;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * The JSON tokens a generated codec reads, with the calls of jackson-core's {@code JsonParser} that
 * codecs use. Two implementations: {@link #of(JsonParser)} over a jackson-core parser, which
 * reports every problem with its path, line and column; and {@link JsonTextReader}, a faster reader
 * over a {@code String} that {@link dev.jobkit.JobRegistry} tries first and that gives up (throws
 * {@link JsonTextReader.Fallback}) on anything it does not handle, including every error, so that
 * the caller reads the input again through jackson-core and reports exactly what it reports.
 */
public abstract class JsonReader {
  JsonReader() {}

  /** A reader over a jackson-core parser. */
  public static JsonReader of(JsonParser parser) {
    return new JacksonJsonReader(parser);
  }

  /** The current token, or null before the first or after the last one. */
  public abstract JsonToken currentToken();

  /** Moves to the next token and returns it, or null at the end of the input. */
  public abstract JsonToken nextToken() throws IOException;

  /**
   * In an object, moves to the next field name and returns it, or returns null at the end of the
   * object (a map's keys).
   */
  public abstract String nextFieldName() throws IOException;

  /** {@link #nextField(Keys)} after the last field of the object. */
  public static final int END_OF_OBJECT = -1;

  /** {@link #nextField(Keys)} for a name that is not one of the keys (see {@link #currentName}). */
  public static final int OTHER_FIELD = -2;

  /**
   * In an object, moves to the next field name and returns where it is in {@code keys} (0 for the
   * first name given to {@link #keys}), {@link #OTHER_FIELD} for any other name (read it with
   * {@link #currentName()}), or {@link #END_OF_OBJECT} at the end of the object: a codec switches
   * on an {@code int}, without making, hashing or comparing a {@code String}.
   */
  public abstract int nextField(Keys keys) throws IOException;

  /**
   * Like {@link #nextFieldName()}, for the keys of a map that the caller puts into a {@code Map}:
   * the reader may leave finding a repeated name to the caller, who calls {@link #repeatedKey()}
   * when a put did not grow the map.
   */
  public abstract String nextMapKey() throws IOException;

  /**
   * Called after a name read by {@link #nextMapKey()} whose value did not grow the map: the name
   * repeats an earlier one, or parses to the same key (such as {@code "1"} and {@code "01"} for
   * integer keys). The jackson-core reader does nothing (its parser has already refused a repeated
   * name if its settings say so) and the later value replaces the earlier one, as before; {@link
   * JsonTextReader} gives up so that jackson-core decides.
   */
  public abstract void repeatedKey();

  /** The name of the current field. */
  public abstract String currentName() throws IOException;

  /** If the current token opens an object or array, moves to the token that closes it. */
  public abstract void skipChildren() throws IOException;

  /** The text of the current string (or other) token. */
  public abstract String getText() throws IOException;

  /** The characters of the current string token, with {@link #getTextOffset()} and length. */
  public abstract char[] getTextCharacters() throws IOException;

  /** See {@link #getTextCharacters()}. */
  public abstract int getTextOffset() throws IOException;

  /** See {@link #getTextCharacters()}. */
  public abstract int getTextLength() throws IOException;

  /**
   * The current integer token as an int; throws jackson-core's {@code InputCoercionException} if it
   * is out of range.
   */
  public abstract int getIntValue() throws IOException;

  /** Like {@link #getIntValue()}, for a long. */
  public abstract long getLongValue() throws IOException;

  /** The current number token as a double. */
  public abstract double getDoubleValue() throws IOException;

  /** The current number token as a decimal, without loss. */
  public abstract BigDecimal getDecimalValue() throws IOException;

  /** The current integer token, without loss. */
  public abstract BigInteger getBigIntegerValue() throws IOException;

  /** The current string token decoded as base64. */
  public abstract byte[] getBinaryValue() throws IOException;

  /** A decode error at the current token, with its path, line and column. */
  public abstract JobDecodeException error(String reason, Throwable cause);

  /** The field names of one object type, for {@link #nextField(Keys)}. */
  public static Keys keys(String... names) {
    return new Keys(names);
  }

  /** Field names, looked up from their characters without making a {@code String}. */
  public static final class Keys {
    private final String[] names;
    private final char[][] chars;
    private final Object[] values;
    private final int[] positions;
    private final int mask;

    private Keys(String[] given) {
      this(given, given);
    }

    /** Names with a value each (an enum's constants). */
    Keys(String[] given, Object[] givenValues) {
      int size = Integer.highestOneBit(Math.max(1, given.length) * 2) * 2;
      names = new String[size];
      chars = new char[size][];
      values = new Object[size];
      positions = new int[size];
      mask = size - 1;
      for (int i = 0; i < given.length; i++) {
        char[] c = given[i].toCharArray();
        int slot = hash(c, 0, c.length) & mask;
        while (chars[slot] != null) {
          slot = (slot + 1) & mask;
        }
        names[slot] = given[i];
        chars[slot] = c;
        values[slot] = givenValues[i];
        positions[slot] = i;
      }
    }

    /** Where the name in {@code slot} was given to {@link #keys}. */
    int position(int slot) {
      return positions[slot];
    }

    /** Where {@code name} was given to {@link #keys}, or {@link #OTHER_FIELD}. */
    int position(String name) {
      int slot = slot(name.toCharArray(), 0, name.length());
      return slot < 0 ? OTHER_FIELD : positions[slot];
    }

    /** The value given with the name in {@code slot}. */
    Object value(int slot) {
      return values[slot];
    }

    /** The slot of the name whose characters are {@code a[off, off + len)}, or -1. */
    int slot(char[] a, int off, int len) {
      int slot = hash(a, off, len) & mask;
      for (char[] k; (k = chars[slot]) != null; slot = (slot + 1) & mask) {
        if (k.length == len && equal(k, a, off, len)) {
          return slot;
        }
      }
      return -1;
    }

    /** The name in {@code slot}. */
    String name(int slot) {
      return names[slot];
    }

    private static boolean equal(char[] k, char[] a, int off, int len) {
      for (int i = 0; i < len; i++) {
        if (k[i] != a[off + i]) {
          return false;
        }
      }
      return true;
    }

    private static int hash(char[] a, int off, int len) {
      int h = len == 0 ? 0 : (len * 31 + a[off]) * 31 + a[off + len - 1];
      return h ^ (h >>> 5);
    }
  }
}
