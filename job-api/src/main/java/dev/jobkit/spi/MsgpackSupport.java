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
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.UUID;
import org.msgpack.core.MessagePack;
import org.msgpack.core.buffer.ArrayBufferOutput;

/**
 * MessagePack helpers called by generated codecs: the encoded field names they write, the tables
 * {@link MsgpackReader#readKey} matches keys against, reads of the types stored as strings, and
 * path prefixing for errors inside maps and arrays. The values themselves are read by {@link
 * MsgpackReader}, which never trusts a length header (see there).
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

  private MsgpackSupport() {}

  /**
   * The names of the fields of one class, made once per generated codec, so that {@link
   * MsgpackReader#readKey} can match a key as UTF-8 bytes without making a {@code String} of it.
   */
  public static final class Keys {
    final String[] names;
    private final byte[][] utf8;
    final Object[] values;
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

  /** The field names read by {@link MsgpackReader#readKey}, in any order. */
  public static Keys keys(String... names) {
    return new Keys(names.clone(), names.clone());
  }

  /** The constants of each enum class by name, for {@link MsgpackReader#readEnum}. */
  static final ClassValue<Keys> ENUM_NAMES =
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

  /** Returns {@code element}, or fails if it is null: a sorted set cannot hold null. */
  public static <T> T notNull(T element) {
    if (element == null) {
      throw decode("$", "expected a value but found nil (a sorted set cannot hold nil)", null);
    }
    return element;
  }

  /** Reads a one-character string. */
  public static char readChar(MsgpackReader in) {
    String s = in.readString();
    if (s.length() != 1) {
      throw decode("$", "expected a single character but found '" + s + "'", null);
    }
    return s.charAt(0);
  }

  /** Reads a decimal number written as a string. */
  public static BigDecimal readBigDecimal(MsgpackReader in) {
    String s = in.readString();
    try {
      return new BigDecimal(s);
    } catch (NumberFormatException e) {
      throw decode("$", "expected a decimal number but found '" + s + "'", e);
    }
  }

  /** Reads an integer number written as a string. */
  public static BigInteger readBigInteger(MsgpackReader in) {
    String s = in.readString();
    try {
      return new BigInteger(s);
    } catch (NumberFormatException e) {
      throw decode("$", "expected an integer number but found '" + s + "'", e);
    }
  }

  /** Reads a UUID string. */
  public static UUID readUuid(MsgpackReader in) {
    String s = in.readString();
    try {
      return UUID.fromString(s);
    } catch (IllegalArgumentException e) {
      throw decode("$", "expected a UUID but found '" + s + "'", e);
    }
  }

  /** Reads a URI string. */
  public static URI readUri(MsgpackReader in) {
    String s = in.readString();
    try {
      return new URI(s);
    } catch (URISyntaxException e) {
      throw decode("$", "expected a URI but found '" + s + "'", e);
    }
  }

  /** Reads a file system path string. */
  public static Path readPath(MsgpackReader in) {
    String s = in.readString();
    try {
      return Path.of(s);
    } catch (InvalidPathException e) {
      throw decode("$", "expected a file path but found '" + s + "'", e);
    }
  }

  /** Reads an ISO-8601 duration string such as {@code PT30M}. */
  public static Duration readDuration(MsgpackReader in) {
    String s = in.readString();
    try {
      return Duration.parse(s);
    } catch (DateTimeParseException e) {
      throw decode("$", Temporals.DURATION + s + "'", e);
    }
  }

  /** Reads an ISO-8601 date string. */
  public static LocalDate readLocalDate(MsgpackReader in) {
    String s = in.readString();
    try {
      return LocalDate.parse(s);
    } catch (DateTimeParseException e) {
      throw decode("$", Temporals.LOCAL_DATE + s + "'", e);
    }
  }

  /** Reads an ISO-8601 local date-time string. */
  public static LocalDateTime readLocalDateTime(MsgpackReader in) {
    String s = in.readString();
    try {
      return LocalDateTime.parse(s);
    } catch (DateTimeParseException e) {
      throw decode("$", Temporals.LOCAL_DATE_TIME + s + "'", e);
    }
  }

  /** Reads an ISO-8601 date-time string with offset. */
  public static OffsetDateTime readOffsetDateTime(MsgpackReader in) {
    String s = in.readString();
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
  public static JobDecodeException atField(JobDecodeException e, String key) {
    if (key == null) {
      return e;
    }
    return new JobDecodeException(
        e.jobName(), "$." + key + e.path().substring(1), e.reason(), 0, 0, e.getCause());
  }

  /**
   * The error {@code e}, raised while reading array element {@code index}, with the index prefixed.
   */
  public static JobDecodeException atIndex(JobDecodeException e, int index) {
    return new JobDecodeException(
        e.jobName(), "$[" + index + "]" + e.path().substring(1), e.reason(), 0, 0, e.getCause());
  }

  /** A decode error at the root of the value being read. */
  public static JobDecodeException decode(String path, String reason, Throwable cause) {
    return new JobDecodeException("", path, reason, 0, 0, cause);
  }
}
