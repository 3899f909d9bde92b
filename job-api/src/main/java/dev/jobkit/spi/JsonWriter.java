package dev.jobkit.spi;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Base64;

/**
 * Writes compact JSON into a {@code char[]} that can be reused, for generated codecs. The text is
 * exactly what jackson-core's {@code JsonGenerator} writes to a {@code Writer} with its default
 * settings (the registry's wire form): no spaces; strings escaped as Jackson escapes them (a quote,
 * a backslash, and the control characters backspace, tab, newline, form feed and carriage return
 * with a backslash and a letter, other characters below U+0020 as a backslash, "u00" and two
 * upper-case hex digits, everything else as is); NaN and infinities as strings; binary as padded
 * base64.
 *
 * <p>Commas are written from one flag, so the caller must call the methods in a valid order, as
 * generated code does: a field name before each value in an object, one value at the top level.
 */
public final class JsonWriter {
  /** Which characters below '\\' + 1 a string or name must escape. */
  private static final boolean[] ESCAPED = new boolean['\\' + 1];

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  static {
    for (int c = 0; c < 0x20; c++) {
      ESCAPED[c] = true;
    }
    ESCAPED['"'] = true;
    ESCAPED['\\'] = true;
  }

  private char[] text;
  private int length;

  /** No comma before the next value: at the start, after '{', '[' or a field name. */
  private boolean first = true;

  /** A writer whose buffer starts at {@code capacity} characters. */
  public JsonWriter(int capacity) {
    text = new char[Math.max(16, capacity)];
  }

  /**
   * The text of a field name as written before its value, {@code "name":}, for a constant of
   * generated code.
   */
  public static char[] name(String name) {
    JsonWriter w = new JsonWriter(name.length() + 8);
    w.writeFieldName(name);
    return Arrays.copyOf(w.text, w.length);
  }

  /** The text written since the last {@link #take}, as a string; the writer starts over. */
  public String take() {
    String s = new String(text, 0, length);
    reset();
    return s;
  }

  /** Drops what was written; the writer starts over. */
  public void reset() {
    length = 0;
    first = true;
  }

  /** The size of the buffer, which a caller may decide not to keep. */
  public int capacity() {
    return text.length;
  }

  private void ensure(int more) {
    if (more > text.length - length) {
      text = Arrays.copyOf(text, Math.max(text.length * 2, length + more));
    }
  }

  private void comma() {
    if (first) {
      first = false;
    } else {
      ensure(1);
      text[length++] = ',';
    }
  }

  /** Starts an object. */
  public void writeStartObject() {
    comma();
    ensure(1);
    text[length++] = '{';
    first = true;
  }

  /** Ends an object. */
  public void writeEndObject() {
    ensure(1);
    text[length++] = '}';
    first = false;
  }

  /** Starts an array. */
  public void writeStartArray() {
    comma();
    ensure(1);
    text[length++] = '[';
    first = true;
  }

  /** Ends an array. */
  public void writeEndArray() {
    ensure(1);
    text[length++] = ']';
    first = false;
  }

  /** Writes a field name made by {@link #name(String)}. */
  public void writeFieldName(char[] name) {
    comma();
    ensure(name.length);
    System.arraycopy(name, 0, text, length, name.length);
    length += name.length;
    first = true;
  }

  /** Writes a field name (a map key). */
  public void writeFieldName(String name) {
    comma();
    quoted(name);
    ensure(1);
    text[length++] = ':';
    first = true;
  }

  /** Writes {@code null}. */
  public void writeNull() {
    comma();
    raw("null");
  }

  /** Writes {@code true} or {@code false}. */
  public void writeBoolean(boolean value) {
    comma();
    raw(value ? "true" : "false");
  }

  /** Writes an integer. */
  public void writeNumber(int value) {
    writeNumber((long) value);
  }

  /** Writes an integer. */
  public void writeNumber(long value) {
    comma();
    if (value >= 0 && value < 10) {
      ensure(1);
      text[length++] = (char) ('0' + value);
      return;
    }
    ensure(20);
    if (value == Long.MIN_VALUE) {
      raw("-9223372036854775808");
      return;
    }
    if (value < 0) {
      text[length++] = '-';
      value = -value;
    }
    int digits = 1;
    for (long v = value / 10; v != 0; v /= 10) {
      digits++;
    }
    int end = length + digits;
    for (int i = end - 1; i >= length; i--) {
      text[i] = (char) ('0' + value % 10);
      value /= 10;
    }
    length = end;
  }

  /** Writes a float as {@link Float#toString}; NaN and infinities as strings, as Jackson does. */
  public void writeNumber(float value) {
    if (Float.isNaN(value) || Float.isInfinite(value)) {
      writeString(Float.toString(value));
    } else {
      comma();
      raw(Float.toString(value));
    }
  }

  /** Writes a double as {@link Double#toString}; NaN and infinities as strings, as Jackson does. */
  public void writeNumber(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      writeString(Double.toString(value));
    } else {
      comma();
      raw(Double.toString(value));
    }
  }

  /** Writes a decimal number as {@link BigDecimal#toString}. */
  public void writeNumber(BigDecimal value) {
    comma();
    raw(value.toString());
  }

  /** Writes an integer number. */
  public void writeNumber(BigInteger value) {
    comma();
    raw(value.toString());
  }

  /** Writes a string. */
  public void writeString(String value) {
    comma();
    quoted(value);
  }

  /** Writes {@code value[offset, offset + count)} as a string. */
  public void writeString(char[] value, int offset, int count) {
    comma();
    ensure(count + 2);
    text[length++] = '"';
    System.arraycopy(value, offset, text, length, count);
    escapeFrom(length, count);
    ensure(1);
    text[length++] = '"';
  }

  /** Writes binary data as a base64 string (standard alphabet, padded, no line breaks). */
  public void writeBinary(byte[] value) {
    comma();
    String s = Base64.getEncoder().encodeToString(value);
    ensure(s.length() + 2);
    text[length++] = '"';
    s.getChars(0, s.length(), text, length);
    length += s.length();
    text[length++] = '"';
  }

  private void raw(String s) {
    int n = s.length();
    ensure(n);
    s.getChars(0, n, text, length);
    length += n;
  }

  private void quoted(String s) {
    int n = s.length();
    ensure(n + 2);
    text[length++] = '"';
    s.getChars(0, n, text, length);
    escapeFrom(length, n);
    ensure(1);
    text[length++] = '"';
  }

  /**
   * The {@code count} characters at {@code start} (the end of the text) were copied as they are;
   * finds the first one that needs escaping and, if there is one, rewrites the rest escaped.
   */
  private void escapeFrom(int start, int count) {
    char[] t = text;
    int end = start + count;
    for (int i = start; i < end; i++) {
      char c = t[i];
      if (c <= '\\' && ESCAPED[c]) {
        char[] rest = Arrays.copyOfRange(t, i, end);
        length = i;
        for (char r : rest) {
          if (r <= '\\' && ESCAPED[r]) {
            escape(r);
          } else {
            ensure(1);
            text[length++] = r;
          }
        }
        return;
      }
    }
    length = end;
  }

  private void escape(char c) {
    ensure(6);
    char[] t = text;
    t[length++] = '\\';
    switch (c) {
      case '"' -> t[length++] = '"';
      case '\\' -> t[length++] = '\\';
      case '\b' -> t[length++] = 'b';
      case '\t' -> t[length++] = 't';
      case '\n' -> t[length++] = 'n';
      case '\f' -> t[length++] = 'f';
      case '\r' -> t[length++] = 'r';
      default -> {
        t[length++] = 'u';
        t[length++] = '0';
        t[length++] = '0';
        t[length++] = HEX[c >> 4];
        t[length++] = HEX[c & 0xF];
      }
    }
  }
}
