package dev.jobkit.examples.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import dev.jobkit.JobDecodeException;
import dev.jobkit.spi.JobCodec;
import dev.jobkit.spi.JsonReader;
import dev.jobkit.spi.JsonTextReader;
import dev.jobkit.spi.JsonWriter;
import dev.jobkit.spi.MsgpackReader;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;

class CodecRoundTripTest {
  private static final JsonFactory JSON = new JsonFactory();

  static <T> byte[] toMsgpack(JobCodec<T> codec, T value) throws IOException {
    try (MessageBufferPacker out = MessagePack.newDefaultBufferPacker()) {
      codec.writeMsgpack(out, value);
      out.flush();
      return out.toByteArray();
    }
  }

  static <T> T fromMsgpack(JobCodec<T> codec, byte[] bytes) throws IOException {
    return codec.readMsgpack(new MsgpackReader(bytes));
  }

  static <T> String toJson(JobCodec<T> codec, T value) throws IOException {
    JsonWriter out = new JsonWriter(64);
    codec.writeJson(out, value);
    return out.take();
  }

  /** Reads through jackson-core, and checks that the fast reader reads the same or gives up. */
  static <T> T fromJson(JobCodec<T> codec, String json, boolean strict) throws IOException {
    T value;
    try (JsonParser in = JSON.createParser(json)) {
      in.nextToken();
      value = codec.readJson(JsonReader.of(in), strict);
    }
    JsonTextReader fast = new JsonTextReader(64);
    fast.reset(json);
    try {
      fast.nextToken();
      T again = codec.readJson(fast, strict);
      assertEquals(toJson(codec, value), toJson(codec, again), json);
    } catch (JsonTextReader.Fallback e) {
      // read through jackson-core only, as the registry does
    }
    return value;
  }

  static AllTypesJob full() {
    AllTypesJob j = new AllTypesJob();
    j.aBoolean = true;
    j.aByte = -7;
    j.aShort = 1234;
    j.anInt = Integer.MIN_VALUE;
    j.aLong = Long.MAX_VALUE;
    j.aFloat = 1.5f;
    j.aDouble = Math.PI;
    j.aChar = 'x';
    j.boxedBoolean = false;
    j.boxedByte = 3;
    j.boxedShort = -2;
    j.boxedInt = 42;
    j.boxedLong = -1L << 40;
    j.boxedFloat = 2.25f;
    j.boxedDouble = Double.NaN;
    j.boxedChar = '\u00e9';
    j.string = "h\u00e9llo \"world\"";
    j.color = Color.GREEN;
    j.bigDecimal = new BigDecimal("12345678901234567890.123456789");
    j.bigInteger = new BigInteger("-123456789012345678901234567890");
    j.uuid = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
    j.uri = URI.create("https://example.com/a?b=c");
    j.path = Path.of("/tmp/a b/c.txt");
    j.instant = Instant.parse("2024-01-31T10:15:30.123456789Z");
    j.duration = Duration.parse("PT1H2M3.5S");
    j.localDate = LocalDate.parse("2024-02-29");
    j.localDateTime = LocalDateTime.parse("2024-01-31T10:15:30");
    j.offsetDateTime = OffsetDateTime.parse("2024-01-31T10:15:30+01:00");
    j.bytes = new byte[] {0, 1, -1, 127};
    j.ints = new int[] {1, 2, 3};
    j.strings = new String[] {"a", null, "c"};
    j.matrix = new long[][] {{1, 2}, {}, {3}};
    j.addresses = new Address[] {new Address("Main", 1, List.of("x")), null};
    j.list = new ArrayList<>(List.of("one", "two"));
    j.collection = new ArrayList<>(List.of(1, 2));
    j.set = new LinkedHashSet<>(List.of(Color.BLUE, Color.RED));
    j.arrayList = new ArrayList<>(List.of(5L));
    j.linkedList = new LinkedList<>(List.of("l"));
    j.hashSet = new HashSet<>(Set.of("h"));
    j.linkedHashSet = new LinkedHashSet<>(List.of("b", "a"));
    j.treeSet = new TreeSet<>(Set.of("z", "y"));
    j.map = new LinkedHashMap<>(Map.of("k", 1));
    j.sortedMap = new TreeMap<>(Map.of(3L, "three", -1L, "minus"));
    j.enumMap = new HashMap<>(Map.of(Color.RED, 0.5));
    j.intMap = new LinkedHashMap<>(Map.of(7, List.of("seven")));
    j.treeMap = new TreeMap<>(Map.of("home", new Address("Elm", 2, List.of())));
    j.optional = Optional.of("present");
    j.optionalAddress = Optional.of(new Address("Oak", 3, null));
    j.optionalInt = OptionalInt.of(9);
    j.optionalLong = OptionalLong.of(10L);
    j.optionalDouble = OptionalDouble.of(0.25);
    j.address = new Address("Pine", 4, List.of("a", "b"));
    j.person =
        new Person("root", List.of(new Person("kid", new ArrayList<>()), new Person("x", null)));
    j.nested = List.of(Map.of("a", List.of(1, 2)), Map.of());
    j.wired = "wire";
    j.setSecret("s3cret");
    j.packagePrivate = 77;
    j.ignored = "changed";
    return j;
  }

  static void assertSame(AllTypesJob e, AllTypesJob a) {
    assertEquals(e.aBoolean, a.aBoolean);
    assertEquals(e.aByte, a.aByte);
    assertEquals(e.aShort, a.aShort);
    assertEquals(e.anInt, a.anInt);
    assertEquals(e.aLong, a.aLong);
    assertEquals(e.aFloat, a.aFloat);
    assertEquals(e.aDouble, a.aDouble);
    assertEquals(e.aChar, a.aChar);
    assertEquals(e.boxedBoolean, a.boxedBoolean);
    assertEquals(e.boxedByte, a.boxedByte);
    assertEquals(e.boxedShort, a.boxedShort);
    assertEquals(e.boxedInt, a.boxedInt);
    assertEquals(e.boxedLong, a.boxedLong);
    assertEquals(e.boxedFloat, a.boxedFloat);
    assertEquals(e.boxedDouble, a.boxedDouble);
    assertEquals(e.boxedChar, a.boxedChar);
    assertEquals(e.string, a.string);
    assertEquals(e.color, a.color);
    assertEquals(e.bigDecimal, a.bigDecimal);
    assertEquals(e.bigInteger, a.bigInteger);
    assertEquals(e.uuid, a.uuid);
    assertEquals(e.uri, a.uri);
    assertEquals(e.path, a.path);
    assertEquals(e.instant, a.instant);
    assertEquals(e.duration, a.duration);
    assertEquals(e.localDate, a.localDate);
    assertEquals(e.localDateTime, a.localDateTime);
    assertEquals(e.offsetDateTime, a.offsetDateTime);
    assertArrayEquals(e.bytes, a.bytes);
    assertArrayEquals(e.ints, a.ints);
    assertArrayEquals(e.strings, a.strings);
    assertArrayEquals(e.matrix, a.matrix);
    assertArrayEquals(e.addresses, a.addresses);
    assertEquals(e.list, a.list);
    assertEquals(
        e.collection == null ? null : List.copyOf(e.collection),
        a.collection == null ? null : List.copyOf(a.collection));
    assertEquals(e.set, a.set);
    assertEquals(e.arrayList, a.arrayList);
    assertEquals(e.linkedList, a.linkedList);
    assertEquals(e.hashSet, a.hashSet);
    assertEquals(e.linkedHashSet, a.linkedHashSet);
    assertEquals(e.treeSet, a.treeSet);
    assertEquals(e.map, a.map);
    assertEquals(e.sortedMap, a.sortedMap);
    assertEquals(e.enumMap, a.enumMap);
    assertEquals(e.intMap, a.intMap);
    assertEquals(e.treeMap, a.treeMap);
    assertEquals(e.optional, a.optional);
    assertEquals(e.optionalAddress, a.optionalAddress);
    assertEquals(e.optionalInt, a.optionalInt);
    assertEquals(e.optionalLong, a.optionalLong);
    assertEquals(e.optionalDouble, a.optionalDouble);
    assertEquals(e.address, a.address);
    assertEquals(describe(e.person), describe(a.person));
    assertEquals(e.nested, a.nested);
    assertEquals(e.wired, a.wired);
    assertEquals(e.getSecret(), a.getSecret());
    assertEquals(e.packagePrivate, a.packagePrivate);
    assertEquals("transient", a.ignored);
  }

  static String describe(Person p) {
    if (p == null) {
      return "null";
    }
    StringBuilder s = new StringBuilder(String.valueOf(p.name)).append('(');
    if (p.children == null) {
      s.append("null");
    } else {
      p.children.forEach(c -> s.append(describe(c)).append(','));
    }
    return s.append(')').toString();
  }

  @Test
  void everyTypeRoundTripsThroughMsgpack() throws IOException {
    AllTypesJob in = full();
    assertSame(
        in, fromMsgpack(AllTypesJob_Codec.INSTANCE, toMsgpack(AllTypesJob_Codec.INSTANCE, in)));
  }

  @Test
  void everyTypeRoundTripsThroughJson() throws IOException {
    AllTypesJob in = full();
    String json = toJson(AllTypesJob_Codec.INSTANCE, in);
    assertSame(in, fromJson(AllTypesJob_Codec.INSTANCE, json, true));
  }

  @Test
  void nullsAndEmptiesRoundTrip() throws IOException {
    AllTypesJob in = new AllTypesJob();
    in.string = null;
    in.list = List.of();
    in.map = Map.of();
    in.ints = new int[0];
    in.optional = null;
    AllTypesJob viaMsgpack =
        fromMsgpack(AllTypesJob_Codec.INSTANCE, toMsgpack(AllTypesJob_Codec.INSTANCE, in));
    AllTypesJob viaJson =
        fromJson(AllTypesJob_Codec.INSTANCE, toJson(AllTypesJob_Codec.INSTANCE, in), true);
    for (AllTypesJob out : List.of(viaMsgpack, viaJson)) {
      assertNull(out.string, "explicit null wins over the constructor default");
      assertEquals(List.of(), out.list);
      assertEquals(Map.of(), out.map);
      assertEquals(0, out.ints.length);
      assertEquals(Optional.empty(), out.optional);
      assertNull(out.address);
      assertEquals(OptionalInt.empty(), out.optionalInt);
    }
  }

  @Test
  void jsonUsesWireNamesAndIsoStrings() throws IOException {
    AllTypesJob in = new AllTypesJob();
    in.wired = "w";
    in.duration = Duration.ofMinutes(30);
    in.bigDecimal = new BigDecimal("0.1000");
    in.bytes = new byte[] {1, 2, 3};
    String json = toJson(AllTypesJob_Codec.INSTANCE, in);
    assertTrue(json.contains("\"renamed\":\"w\""), json);
    assertTrue(json.contains("\"duration\":\"PT30M\""), json);
    assertTrue(json.contains("\"bigDecimal\":0.1000"), json);
    assertTrue(json.contains("\"bytes\":\"AQID\""), json);
    assertTrue(json.contains("\"kids\"") || json.contains("\"person\":null"), json);
  }

  @Test
  void missingKeysKeepConstructorValues() throws IOException {
    AllTypesJob out = fromJson(AllTypesJob_Codec.INSTANCE, "{\"anInt\": 5}", true);
    assertEquals(5, out.anInt);
    assertEquals("default", out.string);
    RecordJob.Inner r = fromJson(RecordJob_Inner_Codec.INSTANCE, "{\"text\":\"t\"}", true);
    assertEquals(new RecordJob.Inner(0, "t", Optional.empty()), r);
  }

  @Test
  void recordJobUsesWireNameAndRoundTrips() throws IOException {
    RecordJob.Inner in = new RecordJob.Inner(3, null, Optional.of("n"));
    assertEquals(
        "{\"n\":3,\"text\":null,\"note\":\"n\"}", toJson(RecordJob_Inner_Codec.INSTANCE, in));
    assertEquals(
        in,
        fromMsgpack(RecordJob_Inner_Codec.INSTANCE, toMsgpack(RecordJob_Inner_Codec.INSTANCE, in)));
  }

  @Test
  void strictJsonRejectsUnknownFieldsWithPath() throws IOException {
    JobDecodeException e =
        assertThrows(
            JobDecodeException.class,
            () ->
                fromJson(
                    VersionedJob_Codec.INSTANCE,
                    "{\"destination\": \"/x\",\n \"sourcez\": []}",
                    true));
    assertEquals(
        "$.sourcez: unknown field (known: destination, nextIndex, sources) (line 2, column 2)",
        e.getMessage());
    VersionedJob lenient =
        fromJson(
            VersionedJob_Codec.INSTANCE, "{\"destination\": \"/x\", \"sourcez\": [1, {}]}", false);
    assertEquals(Path.of("/x"), lenient.destination);
  }

  @Test
  void jsonTypeMismatchHasPathLineAndColumn() {
    JobDecodeException e =
        assertThrows(
            JobDecodeException.class,
            () ->
                fromJson(
                    VersionedJob_Codec.INSTANCE,
                    "{\n  \"sources\": [\n    \"a\", \"b\", 3]\n}",
                    true));
    assertEquals(
        "$.sources[2]: expected a string but found a number (line 3, column 15)", e.getMessage());
    assertEquals("", e.jobName());
    assertEquals(
        "file_copy: $.sources[2]: expected a string but found a number (line 3, column 15)",
        e.forJob("file_copy").getMessage());
  }

  @Test
  void jsonNestedPathAndEnumAndDateErrors() {
    JobDecodeException nested =
        assertThrows(
            JobDecodeException.class,
            () ->
                fromJson(
                    AllTypesJob_Codec.INSTANCE, "{\"person\": {\"kids\": [{\"name\": 1}]}}", true));
    assertEquals(
        "$.person.kids[0].name: expected a string but found a number (line 1, column 31)",
        nested.getMessage());
    JobDecodeException color =
        assertThrows(
            JobDecodeException.class,
            () -> fromJson(AllTypesJob_Codec.INSTANCE, "{\"color\": \"PINK\"}", true));
    assertEquals(
        "$.color: unknown value 'PINK' (expected one of RED, GREEN, BLUE) (line 1, column 11)",
        color.getMessage());
    JobDecodeException date =
        assertThrows(
            JobDecodeException.class,
            () -> fromJson(AllTypesJob_Codec.INSTANCE, "{\"localDate\": \"31/01/2024\"}", true));
    assertEquals(
        "$.localDate: expected an ISO-8601 date such as 2024-01-31 but found '31/01/2024'"
            + " (line 1, column 15)",
        date.getMessage());
    JobDecodeException primitiveNull =
        assertThrows(
            JobDecodeException.class,
            () -> fromJson(AllTypesJob_Codec.INSTANCE, "{\"anInt\": null}", true));
    assertEquals(
        "$.anInt: expected an integer but found null (line 1, column 11)",
        primitiveNull.getMessage());
    JobDecodeException mapKey =
        assertThrows(
            JobDecodeException.class,
            () -> fromJson(AllTypesJob_Codec.INSTANCE, "{\"intMap\": {\"x\": []}}", true));
    assertEquals(
        "$.intMap.x: expected an integer key but found 'x' (line 1, column 13)",
        mapKey.getMessage());
  }

  @Test
  void msgpackWritesVersionFirstAndSkipsUnknownKeys() throws IOException {
    VersionedJob job = new VersionedJob();
    job.destination = Path.of("/d");
    job.sources = List.of(Path.of("/a"));
    job.nextIndex = 4;
    byte[] bytes = toMsgpack(VersionedJob_Codec.INSTANCE, job);
    try (MessageUnpacker in = MessagePack.newDefaultUnpacker(bytes)) {
      assertEquals(4, in.unpackMapHeader());
      assertEquals("@version", in.unpackString());
      assertEquals(3, in.unpackInt());
    }
    try (MessageBufferPacker out = MessagePack.newDefaultBufferPacker()) {
      out.packMapHeader(3);
      out.packString("unknown").packArrayHeader(2).packInt(1).packMapHeader(0);
      out.packString("nextIndex").packLong(9L);
      out.packString("destination").packNil();
      VersionedJob read = fromMsgpack(VersionedJob_Codec.INSTANCE, out.toByteArray());
      assertEquals(9, read.nextIndex);
      assertNull(read.destination);
      assertNull(read.sources);
    }
    try (MessageBufferPacker out = MessagePack.newDefaultBufferPacker()) {
      out.packMapHeader(1);
      out.packString("n").packInt(1);
      assertEquals(1, fromMsgpack(RecordJob_Inner_Codec.INSTANCE, out.toByteArray()).number());
      assertEquals(
          0x83,
          toMsgpack(RecordJob_Inner_Codec.INSTANCE, new RecordJob.Inner(1, null, null))[0] & 0xff,
          "no @version for version 1: fixmap of 3");
    }
  }

  @Test
  void msgpackErrorsHavePath() throws IOException {
    try (MessageBufferPacker out = MessagePack.newDefaultBufferPacker()) {
      out.packMapHeader(1);
      out.packString("sources").packArrayHeader(3).packString("a").packString("b").packInt(3);
      JobDecodeException e =
          assertThrows(
              JobDecodeException.class,
              () -> fromMsgpack(VersionedJob_Codec.INSTANCE, out.toByteArray()));
      assertEquals("$.sources[2]: expected a string but found an integer", e.getMessage());
    }
    try (MessageBufferPacker out = MessagePack.newDefaultBufferPacker()) {
      out.packMapHeader(1);
      out.packString("person")
          .packMapHeader(1)
          .packString("kids")
          .packArrayHeader(1)
          .packMapHeader(1)
          .packString("name");
      JobDecodeException e =
          assertThrows(
              JobDecodeException.class,
              () -> fromMsgpack(AllTypesJob_Codec.INSTANCE, out.toByteArray()));
      assertEquals("$.person.kids[0].name: unexpected end of input", e.getMessage());
    }
  }

  @Test
  void registrationDescribesTheJob() throws IOException {
    VersionedJob_Registration reg = new VersionedJob_Registration();
    assertEquals("codec.versioned", reg.name());
    assertEquals(3, reg.version());
    assertEquals(5, reg.maxAttempts());
    assertEquals(Optional.of(Duration.ofMinutes(30)), reg.timeout());
    assertEquals("java.util.List<java.lang.String>", reg.outputType());
    List<String> output = List.of("a", "b");
    assertEquals(output, fromJson(reg.outputCodec(), toJson(reg.outputCodec(), output), true));
    assertEquals(output, fromMsgpack(reg.outputCodec(), toMsgpack(reg.outputCodec(), output)));
    Map<String, Object> state = new HashMap<>(Map.of("source", "/a"));
    reg.upgrade(1, state);
    reg.upgrade(2, state);
    assertEquals(Map.of("sources", List.of("/a"), "nextIndex", 0L), state);
    assertThrows(IllegalArgumentException.class, () -> reg.upgrade(3, state));
    assertTrue(
        reg.schema().startsWith("{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\""));

    RecordJob_Inner_Registration inner = new RecordJob_Inner_Registration();
    assertEquals(new RecordJob.Inner(0, null, Optional.empty()), inner.newInstance());
    assertNull(fromJson(inner.outputCodec(), toJson(inner.outputCodec(), null), true));
    assertEquals("null", toJson(inner.outputCodec(), null));
    AllTypesJob_Registration all = new AllTypesJob_Registration();
    Summary s = new Summary(2, List.of("x"));
    assertEquals(s, fromMsgpack(all.outputCodec(), toMsgpack(all.outputCodec(), s)));
  }
}
