package dev.jobkit.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link JsonWriter} writes what jackson-core's generator writes, and {@link JsonTextReader} either
 * gives up or reads exactly the tokens jackson-core reads (with the registry's settings): it never
 * accepts what jackson-core rejects.
 */
class JsonTextTest {
  private static final JsonFactory JSON =
      JsonFactory.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .streamReadConstraints(
              StreamReadConstraints.builder().maxNestingDepth(MsgpackSupport.MAX_DEPTH).build())
          .build();

  private static final String SAMPLE =
      "{\"tenant\":\"acme\",\"n\":-12,\"big\":12345678901234567890,\"f\":1.5e-3,\"t\":true,"
          + "\"u\":null,\"tags\":[\"a\\\"b\",\"\\u00e9\\n\",[],{}],\"m\":{\"x\":0,\"y\":[1,2]}}";

  @Test
  void writerWritesWhatJacksonWrites() throws IOException {
    SplittableRandom random = new SplittableRandom(17);
    char[] alphabet = {
      'a', 'Z', '0', ' ', '"', '\\', '/', '\n', '\t', '\r', '\b', '\f', 0, 0x1f, 0x7f, 0xe9, 0x2028,
      0xd83d, 0xde00, 0xffff
    };
    for (int i = 0; i < 2000; i++) {
      StringBuilder s = new StringBuilder();
      int n = random.nextInt(12);
      for (int j = 0; j < n; j++) {
        s.append(alphabet[random.nextInt(alphabet.length)]);
      }
      String text = s.toString();
      long number = random.nextLong() >> random.nextInt(64);
      double d = Double.longBitsToDouble(random.nextLong());
      float f = Float.intBitsToFloat(random.nextInt());
      BigDecimal decimal = new BigDecimal(BigInteger.valueOf(number), random.nextInt(-5, 5));
      byte[] bytes = new byte[random.nextInt(7)];
      random.nextBytes(bytes);

      JsonWriter w = new JsonWriter(16);
      w.writeStartObject();
      w.writeFieldName(JsonWriter.name("k" + text));
      w.writeString(text);
      w.writeFieldName(text);
      w.writeStartArray();
      w.writeNumber(number);
      w.writeNumber((int) number);
      w.writeNumber(d);
      w.writeNumber(f);
      w.writeNumber(decimal);
      w.writeNumber(BigInteger.valueOf(number).shiftLeft(70));
      w.writeBinary(bytes);
      w.writeBoolean(true);
      w.writeNull();
      w.writeStartObject();
      w.writeEndObject();
      char[] chars = text.toCharArray();
      w.writeString(chars, 0, chars.length);
      w.writeEndArray();
      w.writeEndObject();

      StringWriter out = new StringWriter();
      try (JsonGenerator g = JSON.createGenerator(out)) {
        g.writeStartObject();
        g.writeFieldName("k" + text);
        g.writeString(text);
        g.writeFieldName(text);
        g.writeStartArray();
        g.writeNumber(number);
        g.writeNumber((int) number);
        g.writeNumber(d);
        g.writeNumber(f);
        g.writeNumber(decimal);
        g.writeNumber(BigInteger.valueOf(number).shiftLeft(70));
        g.writeBinary(bytes);
        g.writeBoolean(true);
        g.writeNull();
        g.writeStartObject();
        g.writeEndObject();
        g.writeString(chars, 0, chars.length);
        g.writeEndArray();
        g.writeEndObject();
      }
      assertEquals(out.toString(), w.take(), text);
    }
  }

  private static final JsonReader.Keys KEYS = JsonReader.keys("tenant", "n", "tags");

  /**
   * {@code nextField} gives a known name's position in the keys, {@code OTHER_FIELD} for another
   * name (whose text {@code currentName} gives), {@code END_OF_OBJECT} at the end; an escaped name
   * is left to jackson-core, which finds it among the keys by its text.
   */
  @Test
  void fieldsComeBackAsTheirPositionInTheKeys() throws IOException {
    String doc = "{\"tags\":1,\"other\":2,\"tenant\":3}";
    for (JsonReader in : List.of(fast(doc), JsonReader.of(JSON.createParser(doc)))) {
      assertEquals(JsonToken.START_OBJECT, in.nextToken());
      List<String> seen = new ArrayList<>();
      int field;
      while ((field = in.nextField(KEYS)) != JsonReader.END_OF_OBJECT) {
        seen.add(field + " " + in.currentName());
        in.nextToken();
      }
      assertEquals(List.of("2 tags", JsonReader.OTHER_FIELD + " other", "0 tenant"), seen);
    }
    String escaped = "{\"t\\u0065nant\":1}";
    JsonReader fast = fast(escaped);
    fast.nextToken();
    assertThrows(JsonTextReader.Fallback.class, () -> fast.nextField(KEYS));
    JsonReader jackson = JsonReader.of(JSON.createParser(escaped));
    jackson.nextToken();
    assertEquals(0, jackson.nextField(KEYS));
  }

  /** A map key read again by the same reader is the same String; others are read as they are. */
  @Test
  void mapKeysAreMadeOnceByAReader() throws IOException {
    JsonTextReader in = new JsonTextReader(16);
    in.reset("{\"opened\":1}");
    in.nextToken();
    String first = in.nextMapKey();
    in.reset("{\"opened\":2}");
    in.nextToken();
    assertSame(first, in.nextMapKey());
    // More names than the cache has slots: each still reads as itself, wherever they collide.
    for (int round = 0; round < 2; round++) {
      StringBuilder doc = new StringBuilder("{");
      for (int i = 0; i < 600; i++) {
        doc.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":").append(i);
      }
      Map<String, Long> read = readMap(reset(in, doc.append('}').toString()));
      assertEquals(600, read.size());
      for (int i = 0; i < 600; i++) {
        assertEquals(i, read.get("k" + i));
      }
    }
    String longName = "x".repeat(40);
    assertEquals(Map.of(longName, 1L), readMap(reset(in, "{\"" + longName + "\":1}")));
  }

  private static JsonTextReader fast(String doc) {
    return reset(new JsonTextReader(16), doc);
  }

  private static JsonTextReader reset(JsonTextReader in, String doc) {
    in.reset(doc);
    return in;
  }

  @Test
  void readerReadsWhatJacksonReadsOrGivesUp() throws IOException {
    List<String> docs = new ArrayList<>(List.of(SAMPLE, "{}", "[]", "1", "\"x\"", "null", " {} "));
    String[] bad = {
      "",
      " ",
      "{",
      "}",
      "[1,]",
      "{\"a\":1,}",
      "{\"a\" 1}",
      "{a:1}",
      "{'a':1}",
      "[01]",
      "[-]",
      "[1.]",
      "[.5]",
      "[1e]",
      "[+1]",
      "[NaN]",
      "[tru]",
      "[truex]",
      "[nul]",
      "{\"a\":1}{}",
      "{} x",
      "[1 2]",
      "{\"a\":1,\"a\":2}",
      "{\"a\":{\"b\":1,\"b\":1}}",
      "[\"\\x\"]",
      "[\"\\u12\"]",
      "[\"a\nb\"]",
      "[\"abc",
      "[1]]",
      "{\"a\":[}",
      "/*c*/{}",
      "\uFEFF{}",
      "[1\u00a0]",
      "{\"a\"\u000b:1}",
      "[-01]",
      "[1e+]",
      "[0x1]",
      "[\"\\u00zz\"]"
    };
    docs.addAll(List.of(bad));
    docs.add("[".repeat(1000) + "]".repeat(1000));
    docs.add("[".repeat(1001) + "]".repeat(1001));
    SplittableRandom random = new SplittableRandom(3);
    String symbols = "{}[]\":,.-+e0123456789 \\tnulfasx";
    for (int i = 0; i < 20_000; i++) {
      StringBuilder s = new StringBuilder(SAMPLE);
      int edits = 1 + random.nextInt(3);
      for (int e = 0; e < edits; e++) {
        int at = random.nextInt(s.length());
        switch (random.nextInt(3)) {
          case 0 -> s.deleteCharAt(at);
          case 1 -> s.insert(at, symbols.charAt(random.nextInt(symbols.length())));
          default -> s.setCharAt(at, symbols.charAt(random.nextInt(symbols.length())));
        }
      }
      docs.add(s.toString());
    }
    int fast = 0;
    for (String doc : docs) {
      List<String> mine = fastTokens(doc);
      if (mine == null) {
        continue;
      }
      fast++;
      List<String> theirs;
      try {
        theirs = jacksonTokens(doc);
      } catch (JsonProcessingException e) {
        fail("accepted what jackson-core rejects: " + doc + " (" + e.getOriginalMessage() + ")");
        return;
      }
      assertEquals(theirs, mine, doc);
    }
    if (fast < 100) {
      fail("the fast reader read only " + fast + " documents");
    }
  }

  /**
   * Map keys are read without the reader's own check for a repeated name: the caller puts them into
   * a map and calls {@code repeatedKey()} when the map did not grow, which gives up (also for a
   * repeated key with null values, where {@code put} returns null both times); jackson-core then
   * reports the repeated name.
   */
  @Test
  void mapKeysAreCheckedByTheMapTheyArePutInto() throws IOException {
    StringBuilder many = new StringBuilder("{");
    for (int i = 0; i < 20; i++) {
      many.append("\"k").append(i).append("\":").append(i).append(',');
    }
    String distinct = many + "\"x\\u0030\":null}";
    Map<String, Long> read = fastMap(distinct);
    assertEquals(21, read.size());
    assertEquals(19L, read.get("k19"));
    assertTrue(read.containsKey("x0"));
    assertEquals(Map.of("a", 1L, "b", 2L), fastMap("{\"a\":1,\"b\":2}"));
    for (String repeated :
        List.of(
            "{\"a\":1,\"a\":2}",
            "{\"a\":null,\"a\":null}",
            "{\"a\":null,\"b\":1,\"a\":3}",
            "{\"a\":1,\"\\u0061\":2}",
            many + "\"k19\":0}")) {
      assertThrows(JsonTextReader.Fallback.class, () -> fastMap(repeated), repeated);
      assertThrows(JsonParseException.class, () -> jacksonMap(repeated), repeated);
    }
  }

  /** Reads an object of integers or nulls as generated code reads a map. */
  private static Map<String, Long> fastMap(String doc) throws IOException {
    JsonTextReader in = new JsonTextReader(16);
    in.reset(doc);
    return readMap(in);
  }

  private static Map<String, Long> jacksonMap(String doc) throws IOException {
    try (JsonParser p = JSON.createParser(doc)) {
      return readMap(JsonReader.of(p));
    }
  }

  private static Map<String, Long> readMap(JsonReader in) throws IOException {
    assertEquals(JsonToken.START_OBJECT, in.nextToken());
    Map<String, Long> map = new HashMap<>();
    String key;
    while ((key = in.nextMapKey()) != null) {
      Long value = in.nextToken() == JsonToken.VALUE_NULL ? null : in.getLongValue();
      int size = map.size();
      map.put(key, value);
      if (map.size() == size) {
        in.repeatedKey();
      }
    }
    return map;
  }

  /** Every token and its text, walking the document as a codec does; null if it gave up. */
  private static List<String> fastTokens(String doc) {
    JsonTextReader in = new JsonTextReader(16);
    in.reset(doc);
    List<String> out = new ArrayList<>();
    try {
      JsonToken t = in.nextToken();
      if (t == null) {
        return null;
      }
      walk(in, out);
      if (in.nextToken() != null) {
        return null;
      }
      return out;
    } catch (JsonTextReader.Fallback e) {
      return null;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static List<String> jacksonTokens(String doc) throws IOException {
    try (JsonParser p = JSON.createParser(doc)) {
      JsonReader in = JsonReader.of(p);
      List<String> out = new ArrayList<>();
      in.nextToken();
      walk(in, out);
      if (in.nextToken() != null) {
        throw new AssertionError("more after the value in " + doc);
      }
      return out;
    }
  }

  private static void walk(JsonReader in, List<String> out) throws IOException {
    JsonToken t = in.currentToken();
    switch (t) {
      case START_OBJECT -> {
        out.add("{");
        int field;
        while ((field = in.nextField(KEYS)) != JsonReader.END_OF_OBJECT) {
          out.add(field + "=" + in.currentName() + ":");
          in.nextToken();
          walk(in, out);
        }
        out.add("}");
      }
      case START_ARRAY -> {
        out.add("[");
        while (in.nextToken() != JsonToken.END_ARRAY) {
          walk(in, out);
        }
        out.add("]");
      }
      case VALUE_STRING -> out.add("s" + in.getText());
      case VALUE_NUMBER_INT -> {
        out.add("i" + in.getText());
        try {
          out.add("=" + in.getLongValue());
        } catch (JsonProcessingException e) {
          out.add("=?");
        }
      }
      case VALUE_NUMBER_FLOAT -> out.add("f" + in.getText() + "=" + in.getDoubleValue());
      default -> out.add(t.name());
    }
  }
}
