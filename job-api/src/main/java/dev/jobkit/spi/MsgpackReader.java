package dev.jobkit.spi;

import static dev.jobkit.spi.MsgpackSupport.decode;

import dev.jobkit.JobDecodeException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import org.msgpack.value.ValueType;

/**
 * Reads MessagePack from a {@code byte[]}: what generated codecs read state from, instead of
 * msgpack-core's {@code MessageUnpacker}. A cursor over the array, with the checks that make
 * corrupt or hostile input fail cleanly: every array, map, string and binary length is checked
 * against the bytes that remain (each element takes at least one byte) and against the length limit
 * before anything is allocated, and objects nest at most {@link MsgpackSupport#MAX_DEPTH} deep.
 * Every malformed input (cut short, of the wrong type, too long, too deep) gives a {@link
 * JobDecodeException} whose path is {@code $}; the codec that called prefixes the field or index.
 *
 * <p>A reader is not thread-safe. {@link #reset} points it at new bytes, so that one thread can
 * keep one reader, as {@link dev.jobkit.JobRegistry} does.
 */
public final class MsgpackReader {
  private static final byte[] NO_BYTES = new byte[0];

  private byte[] buf;
  private int pos;
  private int maxLength;
  private int depth;

  /** A reader over {@code bytes} with the default length limit. */
  public MsgpackReader(byte[] bytes) {
    this(bytes, MsgpackSupport.DEFAULT_MAX_LENGTH);
  }

  /**
   * A reader over {@code bytes}.
   *
   * @param maxLength the most elements of one array or map, or bytes of one string or binary value
   */
  public MsgpackReader(byte[] bytes, int maxLength) {
    reset(bytes, maxLength);
  }

  /**
   * Points this reader at new input, as if it were new: position, length limit and depth start
   * over.
   */
  public void reset(byte[] bytes, int maxLength) {
    this.buf = bytes;
    this.pos = 0;
    this.maxLength = maxLength;
    this.depth = 0;
  }

  /** Lets go of the input, so that a reader kept for later does not hold on to it. */
  public void release() {
    reset(NO_BYTES, 1);
  }

  /** How many bytes have been read. */
  public int position() {
    return pos;
  }

  /** Whether any bytes remain. */
  public boolean hasNext() {
    return pos < buf.length;
  }

  /**
   * The type of the next value, without reading it.
   *
   * @throws JobDecodeException at the end of the input or on the byte {@code 0xc1}, which
   *     MessagePack never uses
   */
  public ValueType nextType() {
    int h = peek();
    if (h < 0x80 || h >= 0xe0 || (h >= 0xcc && h <= 0xd3)) {
      return ValueType.INTEGER;
    }
    if (h < 0x90 || h == 0xde || h == 0xdf) {
      return ValueType.MAP;
    }
    if (h < 0xa0 || h == 0xdc || h == 0xdd) {
      return ValueType.ARRAY;
    }
    if (h < 0xc0 || (h >= 0xd9 && h <= 0xdb)) {
      return ValueType.STRING;
    }
    switch (h) {
      case 0xc0:
        return ValueType.NIL;
      case 0xc2:
      case 0xc3:
        return ValueType.BOOLEAN;
      case 0xc4:
      case 0xc5:
      case 0xc6:
        return ValueType.BINARY;
      case 0xca:
      case 0xcb:
        return ValueType.FLOAT;
      case 0xc1:
        throw decode("$", "corrupted MessagePack: " + found(h), null);
      default:
        return ValueType.EXTENSION;
    }
  }

  /** Reads a nil if one is next and returns true, else reads nothing and returns false. */
  public boolean tryReadNil() {
    int p = pos;
    if (p >= buf.length) {
      throw endOfInput();
    }
    if (buf[p] == (byte) 0xc0) {
      pos = p + 1;
      return true;
    }
    return false;
  }

  /**
   * Reads the map header that starts an object, one level deeper; the object's reader calls {@link
   * #endObject} when it is done.
   */
  public int readObjectHeader() {
    if (++depth > MsgpackSupport.MAX_DEPTH) {
      throw decode(
          "$",
          "objects nested more than "
              + MsgpackSupport.MAX_DEPTH
              + " deep; the input is corrupted (state written by jobkit never nests that deep)",
          null);
    }
    return readMapHeader();
  }

  /** Ends an object started with {@link #readObjectHeader}. */
  public void endObject() {
    depth--;
  }

  /** Reads a map header whose entry count fits the remaining bytes and the length limit. */
  public int readMapHeader() {
    int h = peek();
    long n;
    if ((h & 0xf0) == 0x80) {
      pos++;
      n = h & 0x0f;
    } else if (h == 0xde) {
      n = u16(1);
    } else if (h == 0xdf) {
      n = u32(1);
    } else {
      throw wrongType("a map", h);
    }
    return checkLength(n, 2, "a map header", "entries");
  }

  /** Reads an array header whose element count fits the remaining bytes and the length limit. */
  public int readArrayHeader() {
    int h = peek();
    long n;
    if ((h & 0xf0) == 0x90) {
      pos++;
      n = h & 0x0f;
    } else if (h == 0xdc) {
      n = u16(1);
    } else if (h == 0xdd) {
      n = u32(1);
    } else {
      throw wrongType("an array", h);
    }
    return checkLength(n, 1, "an array header", "elements");
  }

  /** Reads a boolean. */
  public boolean readBoolean() {
    int h = peek();
    if (h == 0xc2 || h == 0xc3) {
      pos++;
      return h == 0xc3;
    }
    throw wrongType("a boolean", h);
  }

  /** Reads an integer that fits in a byte. */
  public byte readByte() {
    return (byte) readInteger(Byte.MIN_VALUE, Byte.MAX_VALUE);
  }

  /** Reads an integer that fits in a short. */
  public short readShort() {
    return (short) readInteger(Short.MIN_VALUE, Short.MAX_VALUE);
  }

  /** Reads an integer that fits in an int. */
  public int readInt() {
    int p = pos;
    if (p < buf.length) {
      byte b = buf[p];
      // A positive (0x00-0x7f) or negative (0xe0-0xff) fixint.
      if (b >= -32) {
        pos = p + 1;
        return b;
      }
    }
    return (int) readInteger(Integer.MIN_VALUE, Integer.MAX_VALUE);
  }

  /** Reads an integer that fits in a long. */
  public long readLong() {
    return readInteger(Long.MIN_VALUE, Long.MAX_VALUE);
  }

  /**
   * Reads any integer: a {@link Long}, or a {@link BigInteger} for a uint64 above {@link
   * Long#MAX_VALUE}.
   */
  public Number readIntegerValue() {
    if (peek() == 0xcf) {
      long v = u64(1);
      return v >= 0 ? (Number) v : new BigInteger(Long.toUnsignedString(v));
    }
    return readLong();
  }

  /** Reads an integer of any width, failing if it is below {@code min} or above {@code max}. */
  private long readInteger(long min, long max) {
    int h = peek();
    long v;
    if (h < 0x80 || h >= 0xe0) {
      pos++;
      v = (byte) h;
    } else {
      switch (h) {
        case 0xcc:
          v = u8(1);
          break;
        case 0xcd:
          v = u16(1);
          break;
        case 0xce:
          v = u32(1);
          break;
        case 0xcf:
          v = u64(1);
          if (v < 0) {
            throw outOfRange(Long.toUnsignedString(v));
          }
          break;
        case 0xd0:
          require(2);
          v = buf[pos + 1];
          pos += 2;
          break;
        case 0xd1:
          v = (short) u16(1);
          break;
        case 0xd2:
          v = (int) u32(1);
          break;
        case 0xd3:
          v = u64(1);
          break;
        default:
          throw wrongType("an integer", h);
      }
    }
    if (v < min || v > max) {
      throw outOfRange(Long.toString(v));
    }
    return v;
  }

  /** Reads a float (also accepting an integer). */
  public float readFloat() {
    return (float) readDouble();
  }

  /** Reads a double (also accepting an integer). */
  public double readDouble() {
    int h = peek();
    if (h == 0xcb) {
      return Double.longBitsToDouble(u64(1));
    }
    if (h == 0xca) {
      return Float.intBitsToFloat((int) u32(1));
    }
    if (h == 0xcf) {
      long v = u64(1);
      return v >= 0 ? v : Math.scalb((double) (v >>> 1 | (v & 1)), 1);
    }
    if (h < 0x80 || h >= 0xe0 || (h >= 0xcc && h <= 0xd3)) {
      return readLong();
    }
    throw wrongType("a number", h);
  }

  /**
   * Reads a string whose length fits the remaining bytes and the length limit (binary data is read
   * as UTF-8 too). Malformed UTF-8 is replaced by U+FFFD, as {@link String#String(byte[], int, int,
   * java.nio.charset.Charset)} does.
   */
  public String readString() {
    int n = readRawHeader("a string", "a string header");
    if (n == 0) {
      return "";
    }
    int start = pos;
    pos = start + n;
    return new String(buf, start, n, StandardCharsets.UTF_8);
  }

  /**
   * Reads a string or binary header (msgpack-core reads either as either) and returns its checked
   * length; the payload is next.
   */
  private int readRawHeader(String expected, String header) {
    int h = peek();
    long n;
    if ((h & 0xe0) == 0xa0) {
      pos++;
      n = h & 0x1f;
    } else {
      switch (h) {
        case 0xd9:
        case 0xc4:
          n = u8(1);
          break;
        case 0xda:
        case 0xc5:
          n = u16(1);
          break;
        case 0xdb:
        case 0xc6:
          n = u32(1);
          break;
        default:
          throw wrongType(expected, h);
      }
    }
    return checkLength(n, 1, header, "bytes");
  }

  /**
   * The offset in the input of the payload of the fixstr or str8 that starts at the position, or -1
   * for any other value. Nothing is consumed; {@link #shortStringLength} checks the length.
   */
  private int shortStringStart() {
    byte[] a = buf;
    int p = pos;
    if (p >= a.length) {
      return -1;
    }
    int h = a[p] & 0xff;
    if ((h & 0xe0) == 0xa0) {
      return p + 1;
    }
    if (h == 0xd9 && p + 1 < a.length) {
      return p + 2;
    }
    return -1;
  }

  /**
   * The length of the string found by {@link #shortStringStart}, or -1 if it does not lie wholly
   * inside the input or is over the length limit (the caller then reads it with {@link
   * #readString}, which reports that).
   */
  private int shortStringLength(int start) {
    int h = buf[pos] & 0xff;
    int len = (h & 0xe0) == 0xa0 ? h & 0x1f : buf[pos + 1] & 0xff;
    return len <= buf.length - start && len <= maxLength ? len : -1;
  }

  /**
   * Reads a map key: the very {@code String} of {@code keys} that it equals, without decoding it,
   * or a new {@code String} for a key that is not one of them.
   */
  public String readKey(MsgpackSupport.Keys keys) {
    int start = shortStringStart();
    if (start >= 0) {
      int len = shortStringLength(start);
      if (len >= 0) {
        int slot = keys.find(buf, start, len);
        if (slot >= 0) {
          pos = start + len;
          return keys.names[slot];
        }
      }
    }
    return readString();
  }

  /** Reads an enum constant by name. */
  public <E extends Enum<E>> E readEnum(Class<E> type) {
    int start = shortStringStart();
    if (start >= 0) {
      int len = shortStringLength(start);
      if (len >= 0) {
        MsgpackSupport.Keys names = MsgpackSupport.ENUM_NAMES.get(type);
        int slot = names.find(buf, start, len);
        if (slot >= 0) {
          pos = start + len;
          return type.cast(names.values[slot]);
        }
      }
    }
    String name = readString();
    E value = Enums.valueOf(type, name);
    if (value == null) {
      throw decode("$", Enums.unknown(type, name), null);
    }
    return value;
  }

  /**
   * Reads binary data whose length fits the remaining bytes and the length limit (a string is read
   * as its UTF-8 bytes too).
   */
  public byte[] readBinary() {
    int len = readRawHeader("binary data", "a binary header");
    byte[] b = new byte[len];
    System.arraycopy(buf, pos, b, 0, len);
    pos += len;
    return b;
  }

  /** Reads a value of the timestamp extension (type -1, in any of its three lengths). */
  public Instant readInstant() {
    int h = peek();
    long len;
    int header;
    switch (h) {
      case 0xd4:
      case 0xd5:
      case 0xd6:
      case 0xd7:
      case 0xd8:
        len = 1 << (h - 0xd4);
        header = 1;
        break;
      case 0xc7:
        require(2);
        len = buf[pos + 1] & 0xff;
        header = 2;
        break;
      case 0xc8:
        require(3);
        len = be16(pos + 1);
        header = 3;
        break;
      case 0xc9:
        require(5);
        len = be32(pos + 1);
        header = 5;
        break;
      default:
        throw wrongType("a timestamp", h);
    }
    require(header + 1);
    int type = buf[pos + header];
    if (type != -1) {
      throw decode("$", "expected a timestamp but found an extension value of type " + type, null);
    }
    if (len != 4 && len != 8 && len != 12) {
      throw decode(
          "$",
          "expected a timestamp but found one of "
              + len
              + " bytes (the timestamp extension has 4, 8 or 12)",
          null);
    }
    int p = pos + header + 1;
    if (buf.length - p < len) {
      throw endOfInput();
    }
    long seconds;
    long nanos;
    if (len == 4) {
      seconds = be32(p);
      nanos = 0;
    } else if (len == 8) {
      long v = be64(p);
      seconds = v & 0x3_ffff_ffffL;
      nanos = v >>> 34;
    } else {
      nanos = be32(p);
      seconds = be64(p + 4);
    }
    pos = p + (int) len;
    try {
      return Instant.ofEpochSecond(seconds, nanos);
    } catch (DateTimeException e) {
      throw decode(
          "$",
          "timestamp out of range: "
              + seconds
              + " seconds and "
              + nanos
              + " nanoseconds from 1970-01-01T00:00:00Z",
          e);
    }
  }

  /** Skips one value of any type, with everything nested in it. */
  public void skipValue() {
    long count = 1;
    while (count > 0) {
      int h = peek();
      count--;
      if (h < 0x80 || h >= 0xe0) {
        pos++;
        continue;
      }
      if (h < 0x90) {
        pos++;
        count += checkSkipped(2L * (h & 0x0f), "a map header", "entries", 2);
        continue;
      }
      if (h < 0xa0) {
        pos++;
        count += checkSkipped(h & 0x0f, "an array header", "elements", 1);
        continue;
      }
      if (h < 0xc0) {
        pos++;
        skipBytes(h & 0x1f, "a string header");
        continue;
      }
      switch (h) {
        case 0xc0:
        case 0xc2:
        case 0xc3:
          pos++;
          break;
        case 0xc4:
          skipBytes(u8(1), "a binary header");
          break;
        case 0xc5:
          skipBytes(u16(1), "a binary header");
          break;
        case 0xc6:
          skipBytes(u32(1), "a binary header");
          break;
        case 0xd9:
          skipBytes(u8(1), "a string header");
          break;
        case 0xda:
          skipBytes(u16(1), "a string header");
          break;
        case 0xdb:
          skipBytes(u32(1), "a string header");
          break;
        case 0xc7:
          skipBytes(u8(1) + 1, "an extension header");
          break;
        case 0xc8:
          skipBytes(u16(1) + 1, "an extension header");
          break;
        case 0xc9:
          skipBytes(u32(1) + 1, "an extension header");
          break;
        case 0xcc:
        case 0xd0:
          skipFixed(2);
          break;
        case 0xcd:
        case 0xd1:
        case 0xd4:
          skipFixed(3);
          break;
        case 0xd5:
          skipFixed(4);
          break;
        case 0xca:
        case 0xce:
        case 0xd2:
          skipFixed(5);
          break;
        case 0xd6:
          skipFixed(6);
          break;
        case 0xcb:
        case 0xcf:
        case 0xd3:
          skipFixed(9);
          break;
        case 0xd7:
          skipFixed(10);
          break;
        case 0xd8:
          skipFixed(18);
          break;
        case 0xdc:
          count += checkSkipped(u16(1), "an array header", "elements", 1);
          break;
        case 0xdd:
          count += checkSkipped(u32(1), "an array header", "elements", 1);
          break;
        case 0xde:
          count += checkSkipped(2 * u16(1), "a map header", "entries", 2);
          break;
        case 0xdf:
          count += checkSkipped(2 * u32(1), "a map header", "entries", 2);
          break;
        default:
          throw decode("$", "corrupted MessagePack: " + found(h), null);
      }
    }
  }

  /** Returns {@code values} if that many values of one byte or more fit in the remaining bytes. */
  private long checkSkipped(long values, String header, String items, int perItem) {
    long remaining = buf.length - pos;
    if (values > remaining) {
      throw claimsTooMuch(header, values / perItem, items, remaining);
    }
    return values;
  }

  private void skipBytes(long n, String header) {
    long remaining = buf.length - pos;
    if (n > remaining) {
      throw claimsTooMuch(header, n, "bytes", remaining);
    }
    pos += (int) n;
  }

  private void skipFixed(int n) {
    require(n);
    pos += n;
  }

  // ---------------------------------------------------------------- bytes and checks

  /** The next byte, unsigned, without consuming it. */
  private int peek() {
    int p = pos;
    if (p >= buf.length) {
      throw endOfInput();
    }
    return buf[p] & 0xff;
  }

  /** Fails unless {@code n} more bytes remain. */
  private void require(int n) {
    if (buf.length - pos < n) {
      throw endOfInput();
    }
  }

  /** Reads the unsigned byte after {@code skip} bytes, and moves past both. */
  private long u8(int skip) {
    require(skip + 1);
    int p = pos + skip;
    pos = p + 1;
    return buf[p] & 0xff;
  }

  /** Reads the unsigned big-endian 16-bit number after {@code skip} bytes, and moves past both. */
  private long u16(int skip) {
    require(skip + 2);
    int p = pos + skip;
    pos = p + 2;
    return be16(p);
  }

  /** Reads the unsigned big-endian 32-bit number after {@code skip} bytes, and moves past both. */
  private long u32(int skip) {
    require(skip + 4);
    int p = pos + skip;
    pos = p + 4;
    return be32(p);
  }

  /** Reads the big-endian 64-bit number after {@code skip} bytes, and moves past both. */
  private long u64(int skip) {
    require(skip + 8);
    int p = pos + skip;
    pos = p + 8;
    return be64(p);
  }

  /** The unsigned big-endian 16-bit number at {@code p}, which the caller checked is there. */
  private int be16(int p) {
    byte[] a = buf;
    return (a[p] & 0xff) << 8 | (a[p + 1] & 0xff);
  }

  /** The unsigned big-endian 32-bit number at {@code p}, which the caller checked is there. */
  private long be32(int p) {
    byte[] a = buf;
    return (a[p] & 0xffL) << 24
        | (a[p + 1] & 0xff) << 16
        | (a[p + 2] & 0xff) << 8
        | (a[p + 3] & 0xff);
  }

  /** The big-endian 64-bit number at {@code p}, which the caller checked is there. */
  private long be64(int p) {
    return be32(p) << 32 | be32(p + 4);
  }

  /**
   * Returns {@code n} if that many items of at least {@code bytesEach} bytes fit in the bytes that
   * remain and in the length limit; one comparison each in the common case.
   */
  private int checkLength(long n, int bytesEach, String header, String items) {
    long remaining = buf.length - pos;
    if (n * bytesEach > remaining) {
      throw claimsTooMuch(header, n, items, remaining);
    }
    if (n > maxLength) {
      throw tooLong(header, n, items, maxLength);
    }
    return (int) n;
  }

  private static JobDecodeException claimsTooMuch(
      String header, long n, String items, long remaining) {
    return decode(
        "$",
        "corrupted MessagePack: "
            + header
            + " claims "
            + n
            + " "
            + items
            + " but only "
            + remaining
            + (remaining == 1 ? " byte remains" : " bytes remain"),
        null);
  }

  private static JobDecodeException tooLong(String header, long n, String items, int max) {
    return decode(
        "$",
        header
            + " claims "
            + n
            + " "
            + items
            + ", over the limit of "
            + max
            + "; if the value is real, raise the limit (JobRegistry.withMaxLength or"
            + " -Djobkit.decode.maxLength)",
        null);
  }

  private static JobDecodeException endOfInput() {
    return decode("$", "unexpected end of input", null);
  }

  private static JobDecodeException outOfRange(String value) {
    return decode("$", "integer out of range: " + value, null);
  }

  private static JobDecodeException wrongType(String expected, int header) {
    return decode("$", "expected " + expected + " but found " + found(header), null);
  }

  /** What the value that starts with the byte {@code h} is, for an error message. */
  static String found(int h) {
    if (h < 0x80 || h >= 0xe0 || (h >= 0xcc && h <= 0xd3)) {
      return "an integer";
    }
    if (h < 0x90 || h == 0xde || h == 0xdf) {
      return "a map";
    }
    if (h < 0xa0 || h == 0xdc || h == 0xdd) {
      return "an array";
    }
    if (h < 0xc0 || (h >= 0xd9 && h <= 0xdb)) {
      return "a string";
    }
    switch (h) {
      case 0xc0:
        return "nil";
      case 0xc1:
        return "the byte 0xc1, which MessagePack never uses";
      case 0xc2:
      case 0xc3:
        return "a boolean";
      case 0xc4:
      case 0xc5:
      case 0xc6:
        return "binary data";
      case 0xca:
      case 0xcb:
        return "a float";
      default:
        return "an extension value";
    }
  }
}
