package dev.jobkit.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jobkit.JobDecodeException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.value.ValueType;

/**
 * {@link MsgpackReader} reads every MessagePack form msgpack-core writes, as msgpack-core reads it,
 * and turns every malformed input into a {@link JobDecodeException} with the messages the codecs
 * have always given.
 */
class MsgpackReaderTest {

  private interface Packing {
    void pack(MessageBufferPacker p) throws IOException;
  }

  private static byte[] bytes(Packing packing) throws IOException {
    try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
      packing.pack(p);
      return p.toByteArray();
    }
  }

  private static byte[] hex(String hex) {
    return HexFormat.of().parseHex(hex.replace(" ", ""));
  }

  private static MsgpackReader reader(String hex) {
    return new MsgpackReader(hex(hex));
  }

  private static String error(Executable read) {
    JobDecodeException e = assertThrows(JobDecodeException.class, read);
    assertEquals("$", e.path());
    return e.reason();
  }

  // ---------------------------------------------------------------- integers

  @Test
  void everyIntegerFormReadsItsValue() {
    // positive and negative fixint, uint8..uint64, int8..int64
    assertEquals(0, reader("00").readInt());
    assertEquals(127, reader("7f").readInt());
    assertEquals(-1, reader("ff").readInt());
    assertEquals(-32, reader("e0").readInt());
    assertEquals(255, reader("cc ff").readInt());
    assertEquals(65535, reader("cd ffff").readInt());
    assertEquals(4294967295L, reader("ce ffffffff").readLong());
    assertEquals(Long.MAX_VALUE, reader("cf 7fffffffffffffff").readLong());
    assertEquals(-128, reader("d0 80").readInt());
    assertEquals(-32768, reader("d1 8000").readInt());
    assertEquals(Integer.MIN_VALUE, reader("d2 80000000").readInt());
    assertEquals(Long.MIN_VALUE, reader("d3 8000000000000000").readLong());
    // a small value in a wide form
    assertEquals(5, reader("d3 0000000000000005").readInt());
    assertEquals(-5, reader("d2 fffffffb").readByte());
    assertEquals(7, reader("cf 0000000000000007").readShort());
  }

  @Test
  void everyIntegerWidthRejectsWhatDoesNotFit() {
    assertEquals("integer out of range: 128", error(() -> reader("cc 80").readByte()));
    assertEquals("integer out of range: -129", error(() -> reader("d1 ff7f").readByte()));
    assertEquals("integer out of range: 32768", error(() -> reader("cd 8000").readShort()));
    assertEquals("integer out of range: 2147483648", error(() -> reader("ce 80000000").readInt()));
    assertEquals(
        "integer out of range: -2147483649", error(() -> reader("d3 ffffffff7fffffff").readInt()));
    assertEquals(
        "integer out of range: 18446744073709551615",
        error(() -> reader("cf ffffffffffffffff").readLong()));
    assertEquals(
        new BigInteger("18446744073709551615"), reader("cf ffffffffffffffff").readIntegerValue());
    assertEquals(5L, reader("cf 0000000000000005").readIntegerValue());
    assertEquals(-3L, reader("fd").readIntegerValue());
  }

  @Test
  void anIntegerOfTheWrongTypeSaysWhatWasFound() {
    assertEquals("expected an integer but found nil", error(() -> reader("c0").readInt()));
    assertEquals("expected an integer but found a boolean", error(() -> reader("c3").readLong()));
    assertEquals(
        "expected an integer but found a float", error(() -> reader("ca 00000000").readInt()));
    assertEquals("expected an integer but found a string", error(() -> reader("a1 61").readInt()));
    assertEquals(
        "expected an integer but found binary data", error(() -> reader("c4 00").readInt()));
    assertEquals("expected an integer but found an array", error(() -> reader("90").readInt()));
    assertEquals("expected an integer but found a map", error(() -> reader("80").readInt()));
    assertEquals(
        "expected an integer but found an extension value",
        error(() -> reader("d4 01 00").readInt()));
    assertEquals(
        "expected an integer but found the byte 0xc1, which MessagePack never uses",
        error(() -> reader("c1").readInt()));
  }

  // ---------------------------------------------------------------- other scalars

  @Test
  void nilBooleansAndFloats() {
    MsgpackReader r = reader("c0 c2 c3 ca 3fc00000 cb 4004000000000000 05 cf ffffffffffffffff");
    assertTrue(r.tryReadNil());
    assertFalse(r.tryReadNil());
    assertFalse(r.readBoolean());
    assertTrue(r.readBoolean());
    assertEquals(1.5, r.readDouble());
    assertEquals(2.5f, r.readFloat());
    assertEquals(5.0, r.readDouble(), "an integer is a number too");
    assertEquals(18446744073709551615.0, r.readDouble());
    assertFalse(r.hasNext());
    assertEquals(
        "expected a boolean but found an integer", error(() -> reader("01").readBoolean()));
    assertEquals("expected a number but found nil", error(() -> reader("c0").readDouble()));
    assertEquals("unexpected end of input", error(() -> reader("").tryReadNil()));
  }

  @Test
  void everyStringFormIncludingUtf8AndBinaryReadAsText() throws IOException {
    String[] strings = {"", "a", "ä€😀", "x".repeat(31), "y".repeat(32), "z".repeat(255)};
    for (String s : strings) {
      assertEquals(s, new MsgpackReader(bytes(p -> p.packString(s))).readString());
    }
    String s16 = "ü".repeat(1000);
    String s32 = "s".repeat(70_000);
    assertEquals(s16, new MsgpackReader(bytes(p -> p.packString(s16))).readString());
    assertEquals(s32, new MsgpackReader(bytes(p -> p.packString(s32))).readString());
    // str8 for a short string, which msgpack-core never writes but may read
    assertEquals("hi", reader("d9 02 6869").readString());
    assertEquals("hi", reader("da 0002 6869").readString());
    assertEquals("hi", reader("db 00000002 6869").readString());
    // binary headers are read as strings, as msgpack-core does
    assertEquals("hi", reader("c4 02 6869").readString());
    // malformed UTF-8 is replaced, as new String(bytes, UTF_8) does
    assertEquals("a\uFFFDb", reader("a3 61 ff 62").readString());
    assertEquals("expected a string but found an integer", error(() -> reader("01").readString()));
  }

  @Test
  void everyBinaryForm() throws IOException {
    for (int n : new int[] {0, 1, 255, 256, 65535, 65536}) {
      byte[] data = new byte[n];
      new Random(n).nextBytes(data);
      byte[] in = bytes(p -> p.packBinaryHeader(n).writePayload(data));
      assertArrayEquals(data, new MsgpackReader(in).readBinary());
    }
    assertArrayEquals(new byte[] {1, 2}, reader("c4 02 0102").readBinary());
    assertArrayEquals(new byte[] {1, 2}, reader("c5 0002 0102").readBinary());
    assertArrayEquals(new byte[] {1, 2}, reader("c6 00000002 0102").readBinary());
    assertArrayEquals("hi".getBytes(StandardCharsets.UTF_8), reader("a2 6869").readBinary());
    assertEquals("expected binary data but found a map", error(() -> reader("80").readBinary()));
  }

  @Test
  void everyTimestampLength() throws IOException {
    Instant[] instants = {
      Instant.EPOCH,
      Instant.ofEpochSecond(1_763_892_000L), // 4 bytes
      Instant.ofEpochSecond(1_763_892_000L, 123_000_000), // 8 bytes
      Instant.ofEpochSecond(-1, 1), // 12 bytes
      Instant.ofEpochSecond(1L << 40, 999_999_999), // 12 bytes
      Instant.MIN,
      Instant.MAX
    };
    for (Instant t : instants) {
      assertEquals(t, new MsgpackReader(bytes(p -> p.packTimestamp(t))).readInstant(), t::toString);
    }
    assertEquals(Instant.ofEpochSecond(1), reader("c7 04 ff 00000001").readInstant());
    assertEquals(Instant.ofEpochSecond(1), reader("c8 0004 ff 00000001").readInstant());
    assertEquals(Instant.ofEpochSecond(1), reader("c9 00000004 ff 00000001").readInstant());
    assertEquals(
        "expected a timestamp but found an extension value of type 5",
        error(() -> reader("d6 05 00000000").readInstant()));
    assertEquals(
        "expected a timestamp but found one of 2 bytes (the timestamp extension has 4, 8 or 12)",
        error(() -> reader("d5 ff 0000").readInstant()));
    assertEquals(
        "timestamp out of range: 9223372036854775807 seconds and 0 nanoseconds from"
            + " 1970-01-01T00:00:00Z",
        error(() -> reader("c7 0c ff 00000000 7fffffffffffffff").readInstant()));
    assertEquals("expected a timestamp but found nil", error(() -> reader("c0").readInstant()));
  }

  @Test
  void enumsMatchByBytesAndByDecodedNames() {
    assertEquals(ValueType.MAP, reader("a3 4d4150").readEnum(ValueType.class));
    assertEquals(ValueType.NIL, reader("d9 03 4e494c").readEnum(ValueType.class));
    assertEquals(ValueType.ARRAY, reader("da 0005 4152524159").readEnum(ValueType.class));
    assertTrue(
        error(() -> reader("a3 464f4f").readEnum(ValueType.class)).contains("unknown value 'FOO'"));
  }

  // ---------------------------------------------------------------- maps and arrays

  @Test
  void everyMapAndArrayHeader() {
    assertEquals(0, reader("80").readMapHeader());
    assertEquals(1, reader("81 00 00").readMapHeader());
    assertEquals(15, reader("8f" + "00".repeat(30)).readMapHeader());
    assertEquals(1, reader("de 0001 0000").readMapHeader());
    assertEquals(1, reader("df 00000001 0000").readMapHeader());
    assertEquals(0, reader("90").readArrayHeader());
    assertEquals(15, reader("9f" + "00".repeat(15)).readArrayHeader());
    assertEquals(2, reader("dc 0002 0000").readArrayHeader());
    assertEquals(2, reader("dd 00000002 0000").readArrayHeader());
    assertEquals("expected a map but found an array", error(() -> reader("90").readMapHeader()));
    assertEquals("expected an array but found a map", error(() -> reader("80").readArrayHeader()));
  }

  @Test
  void everyLengthIsCheckedAgainstTheBytesThatRemainAndTheLimit() {
    assertEquals(
        "corrupted MessagePack: a map header claims 4294967295 entries but only 1 byte remains",
        error(() -> reader("df ffffffff 00").readMapHeader()));
    assertEquals(
        "corrupted MessagePack: a map header claims 1 entries but only 1 byte remains",
        error(() -> reader("81 00").readMapHeader()));
    assertEquals(
        "corrupted MessagePack: an array header claims 3 elements but only 2 bytes remain",
        error(() -> reader("dc 0003 0000").readArrayHeader()));
    assertEquals(
        "corrupted MessagePack: a string header claims 2147483647 bytes but only 0 bytes remain",
        error(() -> reader("db 7fffffff").readString()));
    assertEquals(
        "corrupted MessagePack: a binary header claims 3 bytes but only 2 bytes remain",
        error(() -> reader("c4 03 0000").readBinary()));
    String limit =
        ", over the limit of 2; if the value is real, raise the limit"
            + " (JobRegistry.withMaxLength or -Djobkit.decode.maxLength)";
    assertEquals(
        "an array header claims 3 elements" + limit,
        error(() -> new MsgpackReader(hex("93 000000"), 2).readArrayHeader()));
    assertEquals(
        "a map header claims 3 entries" + limit,
        error(() -> new MsgpackReader(hex("83 000000000000"), 2).readMapHeader()));
    assertEquals(
        "a binary header claims 3 bytes" + limit,
        error(() -> new MsgpackReader(hex("c4 03 000000"), 2).readBinary()));
    assertEquals(
        "a string header claims 3 bytes" + limit,
        error(() -> new MsgpackReader(hex("a3 616263"), 2).readString()));
  }

  @Test
  void objectsNestAtMostMaxDepthDeep() {
    byte[] deep = new byte[2 * (MsgpackSupport.MAX_DEPTH + 2)];
    Arrays.fill(deep, (byte) 0x81);
    MsgpackReader r = new MsgpackReader(deep);
    for (int i = 0; i < MsgpackSupport.MAX_DEPTH; i++) {
      r.readObjectHeader();
    }
    r.endObject();
    r.readObjectHeader();
    assertEquals(
        "objects nested more than 1000 deep; the input is corrupted (state written by jobkit never"
            + " nests that deep)",
        error(r::readObjectHeader));
  }

  // ---------------------------------------------------------------- skipping

  @Test
  void skipValueSkipsEveryFormWithWhatIsNestedInIt() throws IOException {
    byte[] in =
        bytes(
            p -> {
              writeSample(p);
              p.addPayload(hex("c1")); // a marker after the skipped value
            });
    MsgpackReader r = new MsgpackReader(in);
    r.skipValue();
    assertEquals(in.length - 1, r.position());
    String[] forms = {
      "00",
      "ff",
      "c0",
      "c2",
      "c3",
      "cc01",
      "cd0001",
      "ce00000001",
      "cf0000000000000001",
      "d001",
      "d10001",
      "d200000001",
      "d30000000000000001",
      "ca00000000",
      "cb0000000000000000",
      "a0",
      "a161",
      "d90161",
      "da000161",
      "db0000000161",
      "c40101",
      "c5000101",
      "c600000001 01",
      "d40100",
      "d5010000",
      "d60100000000",
      "d7010000000000000000",
      "d801" + "00".repeat(16),
      "c7010100",
      "c800010100",
      "c90000000101 00",
      "90",
      "9100",
      "dc000100",
      "dd0000000100",
      "80",
      "810000",
      "de00010000",
      "df000000010000",
      "92 81 a161 91c0 c3"
    };
    for (String form : forms) {
      MsgpackReader f = reader(form + " 2a");
      f.skipValue();
      assertEquals(42, f.readInt(), form);
      assertFalse(f.hasNext(), form);
    }
    assertEquals(
        "corrupted MessagePack: the byte 0xc1, which MessagePack never uses",
        error(() -> reader("91 c1").skipValue()));
    assertEquals(
        "corrupted MessagePack: an array header claims 4294967295 elements but only 0 bytes"
            + " remain",
        error(() -> reader("dd ffffffff").skipValue()));
    assertEquals(
        "corrupted MessagePack: a string header claims 5 bytes but only 1 byte remains",
        error(() -> reader("a5 00").skipValue()));
  }

  // ---------------------------------------------------------------- truncation and fuzzing

  /** One value of every type and form the generated codecs write. */
  private static void writeSample(MessageBufferPacker p) throws IOException {
    p.packMapHeader(9);
    p.packString("ints").packArrayHeader(9);
    for (long v : new long[] {0, -1, 200, -200, 70_000, -70_000, 5_000_000_000L, -5_000_000_000L}) {
      p.packLong(v);
    }
    p.packBigInteger(new BigInteger("18446744073709551615"));
    p.packString("floats").packArrayHeader(2).packFloat(1.5f).packDouble(-2.25);
    p.packString("nil").packNil();
    p.packString("bools").packArrayHeader(2).packBoolean(true).packBoolean(false);
    p.packString("strings").packArrayHeader(3).packString("ä€").packString("s".repeat(40));
    p.packString("t".repeat(300));
    p.packString("bytes").packBinaryHeader(3).writePayload(new byte[] {1, 2, 3});
    p.packString("times").packArrayHeader(3);
    p.packTimestamp(Instant.ofEpochSecond(1));
    p.packTimestamp(Instant.ofEpochSecond(1, 5));
    p.packTimestamp(Instant.ofEpochSecond(-1, 5));
    p.packString("map").packMapHeader(2).packInt(1).packString("one").packString("k").packNil();
    p.packString("big").packArrayHeader(20);
    for (int i = 0; i < 20; i++) {
      p.packMapHeader(1).packString("n").packInt(i);
    }
  }

  /** Reads any value the way {@code StateTree} does: by its type. */
  private static Object readAny(MsgpackReader in) {
    switch (in.nextType()) {
      case NIL:
        assertTrue(in.tryReadNil());
        return null;
      case BOOLEAN:
        return in.readBoolean();
      case INTEGER:
        return in.readIntegerValue();
      case FLOAT:
        return in.readDouble();
      case STRING:
        return in.readString();
      case BINARY:
        return new Bytes(in.readBinary());
      case ARRAY:
        {
          int n = in.readArrayHeader();
          List<Object> list = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            list.add(readAny(in));
          }
          return list;
        }
      case MAP:
        {
          int n = in.readObjectHeader();
          Map<Object, Object> map = new LinkedHashMap<>();
          for (int i = 0; i < n; i++) {
            map.put(readAny(in), readAny(in));
          }
          in.endObject();
          return map;
        }
      default:
        return in.readInstant();
    }
  }

  /** A {@code byte[]} with value equality, for comparing trees. */
  private record Bytes(byte[] bytes) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Bytes b && Arrays.equals(bytes, b.bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }
  }

  @Test
  void truncationAtEveryByteIsACleanDecodeError() throws IOException {
    byte[] whole = bytes(MsgpackReaderTest::writeSample);
    assertTrue(readAny(new MsgpackReader(whole)) instanceof Map);
    for (int n = 0; n < whole.length; n++) {
      byte[] cut = Arrays.copyOf(whole, n);
      for (boolean skip : new boolean[] {false, true}) {
        MsgpackReader r = new MsgpackReader(cut);
        try {
          if (skip) {
            r.skipValue();
          } else {
            readAny(r);
          }
          fail("read " + n + " of " + whole.length + " bytes without an error");
        } catch (JobDecodeException e) {
          String reason = e.reason();
          assertTrue(
              reason.equals("unexpected end of input") || reason.contains(" header claims "),
              reason);
        }
      }
    }
  }

  @Test
  void randomBytesGiveValuesOrDecodeErrorsNeverOtherExceptions() {
    Random random = new Random(17);
    byte[] interesting = hex("c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf");
    for (int i = 0; i < 20_000; i++) {
      byte[] b = new byte[random.nextInt(24)];
      random.nextBytes(b);
      for (int j = 0; j < b.length; j += 1 + random.nextInt(4)) {
        b[j] = interesting[random.nextInt(interesting.length)];
      }
      try {
        readAny(new MsgpackReader(b));
      } catch (JobDecodeException e) {
        // expected for most
      }
      try {
        new MsgpackReader(b).skipValue();
      } catch (JobDecodeException e) {
        // expected for most
      }
    }
  }

  /** Random trees written by msgpack-core's packer read back equal. */
  @Test
  void roundTripsWhatMsgpackCoreWrites() throws IOException {
    Random random = new Random(42);
    for (int i = 0; i < 2_000; i++) {
      Object tree = randomValue(random, 0);
      byte[] in = bytes(p -> pack(p, tree));
      MsgpackReader r = new MsgpackReader(in);
      assertEquals(tree, readAny(r), () -> HexFormat.of().formatHex(in));
      assertFalse(r.hasNext());
      MsgpackReader s = new MsgpackReader(in);
      s.skipValue();
      assertFalse(s.hasNext());
    }
  }

  private static Object randomValue(Random random, int depth) {
    int kind = random.nextInt(depth > 3 ? 7 : 9);
    switch (kind) {
      case 0:
        return null;
      case 1:
        return random.nextBoolean();
      case 2:
        {
          // every integer width: shift a random long by a random amount
          long v = random.nextLong() >> random.nextInt(64);
          return random.nextInt(8) == 0 ? new BigInteger(Long.toUnsignedString(v | 1L << 63)) : v;
        }
      case 3:
        return random.nextBoolean() ? (double) random.nextFloat() : random.nextDouble() * 1e10;
      case 4:
        {
          int n = random.nextInt(4) == 0 ? random.nextInt(70_000) : random.nextInt(40);
          StringBuilder s = new StringBuilder();
          while (s.length() < n) {
            int c = random.nextInt(8) == 0 ? 0x80 + random.nextInt(0x10000) : 'a';
            // no lone surrogates: they cannot be encoded
            s.appendCodePoint(c >= 0xd800 && c <= 0xdfff ? 'x' : c);
          }
          return s.toString();
        }
      case 5:
        {
          byte[] b = new byte[random.nextInt(4) == 0 ? random.nextInt(70_000) : random.nextInt(8)];
          random.nextBytes(b);
          return new Bytes(b);
        }
      case 6:
        return Instant.ofEpochSecond(
            random.nextLong() % Instant.MAX.getEpochSecond(), random.nextInt(1_000_000_000));
      case 7:
        {
          List<Object> list = new ArrayList<>();
          int n = random.nextInt(4) == 0 ? 16 + random.nextInt(20) : random.nextInt(4);
          for (int i = 0; i < n; i++) {
            list.add(randomValue(random, depth + 1));
          }
          return list;
        }
      default:
        {
          Map<Object, Object> map = new LinkedHashMap<>();
          int n = random.nextInt(4) == 0 ? 16 + random.nextInt(20) : random.nextInt(4);
          for (int i = 0; i < n; i++) {
            map.put("k" + i, randomValue(random, depth + 1));
          }
          return map;
        }
    }
  }

  private static void pack(MessageBufferPacker p, Object v) throws IOException {
    if (v == null) {
      p.packNil();
    } else if (v instanceof Boolean b) {
      p.packBoolean(b);
    } else if (v instanceof Long l) {
      p.packLong(l);
    } else if (v instanceof BigInteger b) {
      p.packBigInteger(b);
    } else if (v instanceof Double d) {
      if (d == d.floatValue()) {
        p.packFloat(d.floatValue());
      } else {
        p.packDouble(d);
      }
    } else if (v instanceof String s) {
      p.packString(s);
    } else if (v instanceof Bytes b) {
      p.packBinaryHeader(b.bytes().length).writePayload(b.bytes());
    } else if (v instanceof Instant t) {
      p.packTimestamp(t);
    } else if (v instanceof List<?> list) {
      p.packArrayHeader(list.size());
      for (Object e : list) {
        pack(p, e);
      }
    } else {
      Map<?, ?> map = (Map<?, ?>) v;
      p.packMapHeader(map.size());
      for (Map.Entry<?, ?> e : map.entrySet()) {
        pack(p, e.getKey());
        pack(p, e.getValue());
      }
    }
  }

  @Test
  void nextTypeNamesEveryForm() {
    assertEquals(ValueType.INTEGER, reader("cf").nextType());
    assertEquals(ValueType.MAP, reader("de").nextType());
    assertEquals(ValueType.ARRAY, reader("9a").nextType());
    assertEquals(ValueType.STRING, reader("d9").nextType());
    assertEquals(ValueType.BINARY, reader("c5").nextType());
    assertEquals(ValueType.FLOAT, reader("ca").nextType());
    assertEquals(ValueType.EXTENSION, reader("c7").nextType());
    assertEquals(ValueType.NIL, reader("c0").nextType());
    assertEquals(ValueType.BOOLEAN, reader("c2").nextType());
    assertEquals(
        "corrupted MessagePack: the byte 0xc1, which MessagePack never uses",
        error(() -> reader("c1").nextType()));
    assertEquals("unexpected end of input", error(() -> reader("").nextType()));
    assertNull(readAny(reader("c0")));
  }
}
