package dev.jobkit.spi;

import dev.jobkit.JobDecodeException;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.msgpack.core.MessageInsufficientBufferException;
import org.msgpack.core.MessageIntegerOverflowException;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.core.buffer.ArrayBufferInput;
import org.msgpack.core.buffer.ArrayBufferOutput;
import org.msgpack.core.buffer.MessageBuffer;

/**
 * MessagePack helpers called by generated codecs: scalar reads that turn MessagePack errors into
 * {@link JobDecodeException}, and path prefixing for errors inside maps and arrays.
 *
 * <p>Decoding never trusts a length header: every array, map, string and binary length is checked
 * against {@link #DEFAULT_MAX_LENGTH} (or the limit given to {@link #newUnpacker}) before anything
 * is allocated, and, on an unpacker made by {@link #newUnpacker}, also against the bytes that
 * remain (each element takes at least one byte) and objects may nest at most {@link #MAX_DEPTH}
 * deep. Corrupt or hostile bytes therefore fail with a {@link JobDecodeException} instead of
 * exhausting the heap or the stack.
 */
public final class MsgpackSupport {
  /**
   * The default maximum number of elements of one array or map, and of bytes of one string or
   * binary value: 16 MiB. {@link dev.jobkit.JobRegistry} uses it unless the system property {@code
   * jobkit.decode.maxLength} or {@link dev.jobkit.JobRegistry#withMaxLength} says otherwise.
   */
  public static final int DEFAULT_MAX_LENGTH = 16 * 1024 * 1024;

  /** How deep objects may nest inside each other in MessagePack and JSON input. */
  public static final int MAX_DEPTH = 1000;

  private static final Pattern FOUND = Pattern.compile("but got (\\w+)");

  /*
   * msgpack-core's default unpacker allocates a 16 KiB string-decoding buffer the first time it
   * decodes a string (docs/performance.md). readString decodes straight from the input array and
   * never needs it; the small size keeps any other path (such as unpackValue) cheap too.
   */
  private static final MessagePack.UnpackerConfig UNPACKER =
      new MessagePack.UnpackerConfig().withStringDecoderBufferSize(256);

  private MsgpackSupport() {}

  /**
   * An unpacker over {@code bytes} that knows how many bytes remain, so that a length header can be
   * checked against them, and that counts how deep objects nest.
   *
   * @param maxLength the most elements of one array or map, or bytes of one string or binary value
   */
  public static MessageUnpacker newUnpacker(byte[] bytes, int maxLength) {
    return new Bounded(bytes, maxLength);
  }

  /**
   * Points an unpacker made by {@link #newUnpacker} at new input, as if it were new: a caller that
   * decodes many values on one thread can keep one unpacker instead of allocating one per value.
   *
   * @throws IllegalArgumentException if {@code in} was not made by {@link #newUnpacker}
   */
  public static void reset(MessageUnpacker in, byte[] bytes, int maxLength) throws IOException {
    if (!(in instanceof Bounded b)) {
      throw new IllegalArgumentException(
          "only an unpacker made by MsgpackSupport.newUnpacker can be reset; make one with it");
    }
    b.resetTo(bytes, maxLength);
  }

  /** An unpacker over a byte array that remembers the array, its length limit and its depth. */
  private static final class Bounded extends MessageUnpacker {
    private final ArrayBufferInput input;
    private byte[] bytes;
    private int maxLength;
    private int depth;

    /** The payload length found by the last {@link #peekShortString} that found one. */
    private int lastLength;

    Bounded(byte[] bytes, int maxLength) {
      this(new ArrayBufferInput(bytes), bytes, maxLength);
    }

    private Bounded(ArrayBufferInput input, byte[] bytes, int maxLength) {
      super(input, UNPACKER);
      this.input = input;
      this.bytes = bytes;
      this.maxLength = maxLength;
    }

    void resetTo(byte[] bytes, int maxLength) throws IOException {
      input.reset(bytes);
      reset(input);
      this.bytes = bytes;
      this.maxLength = maxLength;
      this.depth = 0;
    }

    /**
     * The offset in {@link #bytes} of the payload of the string that starts at the next byte, if it
     * is a fixstr or str8 that lies wholly inside the input and within the length limit, else -1
     * (the caller then takes msgpack-core's path, which reports any error). Its length is then in
     * {@link #lastLength}. The header is not consumed.
     */
    int peekShortString() {
      byte[] a = bytes;
      int pos = (int) getTotalReadBytes();
      if (pos >= a.length) {
        return -1;
      }
      int h = a[pos] & 0xff;
      int start;
      int len;
      if ((h & 0xe0) == 0xa0) {
        start = pos + 1;
        len = h & 0x1f;
      } else if (h == 0xd9 && pos + 1 < a.length) {
        start = pos + 2;
        len = a[pos + 1] & 0xff;
      } else {
        return -1;
      }
      if (len > a.length - start || len > maxLength) {
        return -1;
      }
      lastLength = len;
      return start;
    }

    /** Moves past the string found by the last {@link #peekShortString}. */
    void skipPeekedString() throws IOException {
      // Cheaper than skipValue(), which is too large to inline; the slice is not used.
      unpackRawStringHeader();
      readPayloadAsReference(lastLength);
    }
  }

  /**
   * The names of the fields of one class, made once per generated codec, so that {@link #readKey}
   * can match a key as UTF-8 bytes without making a {@code String} of it.
   */
  public static final class Keys {
    private final String[] names;
    private final byte[][] utf8;
    private final Object[] values;
    private final int mask;

    private Keys(String[] names, Object[] values) {
      int size = Integer.highestOneBit(Math.max(1, names.length) * 2) * 2;
      this.names = new String[size];
      this.utf8 = new byte[size][];
      this.values = new Object[size];
      this.mask = size - 1;
      for (int i = 0; i < names.length; i++) {
        byte[] b = names[i].getBytes(StandardCharsets.UTF_8);
        int slot = hash(b, 0, b.length) & mask;
        while (utf8[slot] != null) {
          slot = (slot + 1) & mask;
        }
        this.names[slot] = names[i];
        this.utf8[slot] = b;
        this.values[slot] = values[i];
      }
    }

    /** The slot of the name whose UTF-8 bytes are {@code a[off, off + len)}, or -1. */
    int find(byte[] a, int off, int len) {
      int slot = hash(a, off, len) & mask;
      for (byte[] k; (k = utf8[slot]) != null; slot = (slot + 1) & mask) {
        if (k.length == len && Arrays.equals(k, 0, len, a, off, off + len)) {
          return slot;
        }
      }
      return -1;
    }

    private static int hash(byte[] a, int off, int len) {
      int h = len == 0 ? 0 : (len * 31 + a[off]) * 31 + a[off + len - 1];
      return h ^ (h >>> 5);
    }
  }

  /** The field names read by {@link #readKey}, in any order. */
  public static Keys keys(String... names) {
    return new Keys(names.clone(), names.clone());
  }

  private static final ClassValue<Keys> ENUM_NAMES =
      new ClassValue<>() {
        @Override
        protected Keys computeValue(Class<?> type) {
          Object[] constants = type.getEnumConstants();
          String[] names = new String[constants.length];
          for (int i = 0; i < constants.length; i++) {
            names[i] = ((Enum<?>) constants[i]).name();
          }
          return new Keys(names, constants);
        }
      };

  /** The MessagePack encoding (header and UTF-8 payload) of a map key, for {@code writePayload}. */
  public static byte[] key(String name) {
    ArrayBufferOutput buffer = new ArrayBufferOutput();
    try (var packer = MessagePack.newDefaultPacker(buffer)) {
      packer.packString(name);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return buffer.toByteArray();
  }

  /**
   * Reads the map header that starts an object, one level deeper; the object's reader calls {@link
   * #endObject} when it is done.
   */
  public static int readObjectHeader(MessageUnpacker in) throws IOException {
    if (in instanceof Bounded b && ++b.depth > MAX_DEPTH) {
      throw decode(
          "$",
          "objects nested more than "
              + MAX_DEPTH
              + " deep; the input is corrupted (state written by jobkit never nests that deep)",
          null);
    }
    return readMapHeader(in);
  }

  /** Ends an object started with {@link #readObjectHeader}. */
  public static void endObject(MessageUnpacker in) {
    if (in instanceof Bounded b) {
      b.depth--;
    }
  }

  /** Reads a map header whose entry count fits the remaining bytes and the length limit. */
  public static int readMapHeader(MessageUnpacker in) throws IOException {
    int n;
    try {
      n = in.unpackMapHeader();
    } catch (MessagePackException e) {
      throw error("a map", e);
    }
    return checkLength(in, n, 2, "a map header", "entries");
  }

  /** Reads an array header whose element count fits the remaining bytes and the length limit. */
  public static int readArrayHeader(MessageUnpacker in) throws IOException {
    int n;
    try {
      n = in.unpackArrayHeader();
    } catch (MessagePackException e) {
      throw error("an array", e);
    }
    return checkLength(in, n, 1, "an array header", "elements");
  }

  /**
   * Returns {@code n} if that many items of at least {@code bytesEach} bytes fit in the bytes that
   * remain and in the length limit; one comparison each in the common case.
   */
  private static int checkLength(
      MessageUnpacker in, int n, int bytesEach, String header, String items) {
    if (in instanceof Bounded b) {
      long remaining = b.bytes.length - in.getTotalReadBytes();
      if ((long) n * bytesEach > remaining) {
        throw decode(
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
      if (n > b.maxLength) {
        throw tooLong(header, n, items, b.maxLength);
      }
    } else if (n > DEFAULT_MAX_LENGTH) {
      throw tooLong(header, n, items, DEFAULT_MAX_LENGTH);
    }
    return n;
  }

  private static JobDecodeException tooLong(String header, int n, String items, int max) {
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

  /** Reads a boolean. */
  public static boolean readBoolean(MessageUnpacker in) throws IOException {
    try {
      return in.unpackBoolean();
    } catch (MessagePackException e) {
      throw error("a boolean", e);
    }
  }

  /** Returns {@code element}, or fails if it is null: a sorted set cannot hold null. */
  public static <T> T notNull(T element) {
    if (element == null) {
      throw decode("$", "expected a value but found nil (a sorted set cannot hold nil)", null);
    }
    return element;
  }

  /** Reads an integer that fits in a byte. */
  public static byte readByte(MessageUnpacker in) throws IOException {
    try {
      return in.unpackByte();
    } catch (MessagePackException e) {
      throw error("an integer", e);
    }
  }

  /** Reads an integer that fits in a short. */
  public static short readShort(MessageUnpacker in) throws IOException {
    try {
      return in.unpackShort();
    } catch (MessagePackException e) {
      throw error("an integer", e);
    }
  }

  /** Reads an integer that fits in an int. */
  public static int readInt(MessageUnpacker in) throws IOException {
    try {
      return in.unpackInt();
    } catch (MessagePackException e) {
      throw error("an integer", e);
    }
  }

  /** Reads an integer that fits in a long. */
  public static long readLong(MessageUnpacker in) throws IOException {
    try {
      return in.unpackLong();
    } catch (MessagePackException e) {
      throw error("an integer", e);
    }
  }

  /** Reads a float (also accepting an integer). */
  public static float readFloat(MessageUnpacker in) throws IOException {
    return (float) readDouble(in);
  }

  /** Reads a double (also accepting an integer). */
  public static double readDouble(MessageUnpacker in) throws IOException {
    try {
      switch (in.getNextFormat().getValueType()) {
        case INTEGER:
          return in.unpackLong();
        default:
          return in.unpackDouble();
      }
    } catch (MessagePackException e) {
      throw error("a number", e);
    }
  }

  /**
   * Reads a map key: the very {@code String} of {@code keys} that it equals, without decoding it,
   * or a new {@code String} for a key that is not one of them.
   */
  public static String readKey(MessageUnpacker in, Keys keys) throws IOException {
    if (in instanceof Bounded b) {
      int start = b.peekShortString();
      if (start >= 0) {
        int slot = keys.find(b.bytes, start, b.lastLength);
        if (slot >= 0) {
          b.skipPeekedString();
          return keys.names[slot];
        }
      }
    }
    return readString(in);
  }

  /** Reads a string whose length fits the remaining bytes and the length limit. */
  public static String readString(MessageUnpacker in) throws IOException {
    if (in instanceof Bounded b) {
      int start = b.peekShortString();
      if (start >= 0) {
        // Straight from the input array.
        String s = new String(b.bytes, start, b.lastLength, StandardCharsets.UTF_8);
        b.skipPeekedString();
        return s;
      }
    }
    try {
      int n = checkLength(in, in.unpackRawStringHeader(), 1, "a string header", "bytes");
      if (n == 0) {
        return "";
      }
      // A reference into the input array when it holds the whole string: no copy before decoding.
      MessageBuffer raw = in.readPayloadAsReference(n);
      if (raw.hasArray()) {
        return new String(raw.array(), raw.arrayOffset(), n, StandardCharsets.UTF_8);
      }
      return new String(raw.toByteArray(), StandardCharsets.UTF_8);
    } catch (MessagePackException e) {
      throw error("a string", e);
    }
  }

  /** Reads a one-character string. */
  public static char readChar(MessageUnpacker in) throws IOException {
    String s = readString(in);
    if (s.length() != 1) {
      throw decode("$", "expected a single character but found '" + s + "'", null);
    }
    return s.charAt(0);
  }

  /** Reads binary data whose length fits the remaining bytes and the length limit. */
  public static byte[] readBinary(MessageUnpacker in) throws IOException {
    try {
      int n = checkLength(in, in.unpackBinaryHeader(), 1, "a binary header", "bytes");
      return in.readPayload(n);
    } catch (MessagePackException e) {
      throw error("binary data", e);
    }
  }

  /** Reads a timestamp extension value. */
  public static Instant readInstant(MessageUnpacker in) throws IOException {
    try {
      return in.unpackTimestamp();
    } catch (MessagePackException e) {
      throw error("a timestamp", e);
    }
  }

  /** Reads an enum constant by name. */
  public static <E extends Enum<E>> E readEnum(MessageUnpacker in, Class<E> type)
      throws IOException {
    if (in instanceof Bounded b) {
      int start = b.peekShortString();
      if (start >= 0) {
        Keys names = ENUM_NAMES.get(type);
        int slot = names.find(b.bytes, start, b.lastLength);
        if (slot >= 0) {
          b.skipPeekedString();
          return type.cast(names.values[slot]);
        }
      }
    }
    String name = readString(in);
    E value = Enums.valueOf(type, name);
    if (value == null) {
      throw decode("$", Enums.unknown(type, name), null);
    }
    return value;
  }

  /** Reads a decimal number written as a string. */
  public static BigDecimal readBigDecimal(MessageUnpacker in) throws IOException {
    String s = readString(in);
    try {
      return new BigDecimal(s);
    } catch (NumberFormatException e) {
      throw decode("$", "expected a decimal number but found '" + s + "'", e);
    }
  }

  /** Reads an integer number written as a string. */
  public static BigInteger readBigInteger(MessageUnpacker in) throws IOException {
    String s = readString(in);
    try {
      return new BigInteger(s);
    } catch (NumberFormatException e) {
      throw decode("$", "expected an integer number but found '" + s + "'", e);
    }
  }

  /** Reads a UUID string. */
  public static UUID readUuid(MessageUnpacker in) throws IOException {
    String s = readString(in);
    try {
      return UUID.fromString(s);
    } catch (IllegalArgumentException e) {
      throw decode("$", "expected a UUID but found '" + s + "'", e);
    }
  }

  /** Reads a URI string. */
  public static URI readUri(MessageUnpacker in) throws IOException {
    String s = readString(in);
    try {
      return new URI(s);
    } catch (URISyntaxException e) {
      throw decode("$", "expected a URI but found '" + s + "'", e);
    }
  }

  /** Reads a file system path string. */
  public static Path readPath(MessageUnpacker in) throws IOException {
    String s = readString(in);
    try {
      return Path.of(s);
    } catch (InvalidPathException e) {
      throw decode("$", "expected a file path but found '" + s + "'", e);
    }
  }

  /** Reads an ISO-8601 duration string such as {@code PT30M}. */
  public static Duration readDuration(MessageUnpacker in) throws IOException {
    String s = readString(in);
    try {
      return Duration.parse(s);
    } catch (DateTimeParseException e) {
      throw decode("$", Temporals.DURATION + s + "'", e);
    }
  }

  /** Reads an ISO-8601 date string. */
  public static LocalDate readLocalDate(MessageUnpacker in) throws IOException {
    String s = readString(in);
    try {
      return LocalDate.parse(s);
    } catch (DateTimeParseException e) {
      throw decode("$", Temporals.LOCAL_DATE + s + "'", e);
    }
  }

  /** Reads an ISO-8601 local date-time string. */
  public static LocalDateTime readLocalDateTime(MessageUnpacker in) throws IOException {
    String s = readString(in);
    try {
      return LocalDateTime.parse(s);
    } catch (DateTimeParseException e) {
      throw decode("$", Temporals.LOCAL_DATE_TIME + s + "'", e);
    }
  }

  /** Reads an ISO-8601 date-time string with offset. */
  public static OffsetDateTime readOffsetDateTime(MessageUnpacker in) throws IOException {
    String s = readString(in);
    try {
      return OffsetDateTime.parse(s);
    } catch (DateTimeParseException e) {
      throw decode("$", Temporals.OFFSET_DATE_TIME + s + "'", e);
    }
  }

  /**
   * The error {@code e}, raised while reading the value of map key {@code key}, with the key
   * prefixed to its path.
   */
  public static JobDecodeException atField(RuntimeException e, String key) {
    JobDecodeException d = asDecode(e);
    if (key == null) {
      return d;
    }
    return new JobDecodeException(
        d.jobName(), "$." + key + d.path().substring(1), d.reason(), 0, 0, d.getCause());
  }

  /**
   * The error {@code e}, raised while reading array element {@code index}, with the index prefixed.
   */
  public static JobDecodeException atIndex(RuntimeException e, int index) {
    JobDecodeException d = asDecode(e);
    return new JobDecodeException(
        d.jobName(), "$[" + index + "]" + d.path().substring(1), d.reason(), 0, 0, d.getCause());
  }

  /** A decode error at the root of the value being read. */
  public static JobDecodeException decode(String path, String reason, Throwable cause) {
    return new JobDecodeException("", path, reason, 0, 0, cause);
  }

  private static JobDecodeException asDecode(RuntimeException e) {
    if (e instanceof JobDecodeException) {
      return (JobDecodeException) e;
    }
    if (e instanceof MessagePackException) {
      return decode("$", describe((MessagePackException) e), e);
    }
    throw e;
  }

  private static JobDecodeException error(String expected, MessagePackException e) {
    if (e instanceof MessageIntegerOverflowException) {
      return decode(
          "$", "integer out of range: " + ((MessageIntegerOverflowException) e).getBigInteger(), e);
    }
    if (e instanceof MessageInsufficientBufferException) {
      return decode("$", "unexpected end of input", e);
    }
    Matcher m = FOUND.matcher(String.valueOf(e.getMessage()));
    if (m.find()) {
      return decode("$", "expected " + expected + " but found " + found(m.group(1)), e);
    }
    return decode("$", "expected " + expected + ": " + e.getMessage(), e);
  }

  private static String describe(MessagePackException e) {
    if (e instanceof MessageInsufficientBufferException) {
      return "unexpected end of input";
    }
    return "malformed MessagePack: " + e.getMessage();
  }

  private static String found(String msgpackType) {
    switch (msgpackType) {
      case "Nil":
        return "nil";
      case "Boolean":
        return "a boolean";
      case "Integer":
        return "an integer";
      case "Float":
        return "a float";
      case "String":
        return "a string";
      case "Binary":
        return "binary data";
      case "Array":
        return "an array";
      case "Map":
        return "a map";
      default:
        return "an extension value";
    }
  }
}
