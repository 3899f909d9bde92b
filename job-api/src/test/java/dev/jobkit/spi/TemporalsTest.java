package dev.jobkit.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import dev.jobkit.JobDecodeException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The instant fast paths must agree with {@code Instant.toString} and {@code Instant.parse}. */
class TemporalsTest {
  private static final JsonFactory JSON = new JsonFactory();

  private static List<Instant> samples() {
    List<Instant> all = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(17);
    long min = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
    long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
    for (int i = 0; i < 20_000; i++) {
      long second = random.nextLong(min, max + 1);
      int nano;
      switch (i % 4) {
        case 0 -> nano = 0;
        case 1 -> nano = random.nextInt(1000) * 1_000_000;
        case 2 -> nano = random.nextInt(1_000_000) * 1000;
        default -> nano = random.nextInt(1_000_000_000);
      }
      all.add(Instant.ofEpochSecond(second, nano));
    }
    for (String s :
        List.of(
            "1970-01-01T00:00:00Z",
            "1969-12-31T23:59:59.999999999Z",
            "0000-01-01T00:00:00Z",
            "0000-02-29T12:00:00Z",
            "9999-12-31T23:59:59.999999999Z",
            "2000-02-29T00:00:00.100Z",
            "1900-03-01T00:00:00.000001Z",
            "2024-12-31T23:59:00Z")) {
      all.add(Instant.parse(s));
    }
    return all;
  }

  @Test
  void formatWritesWhatToStringWrites() {
    char[] out = new char[Temporals.MAX_INSTANT_CHARS];
    for (Instant t : samples()) {
      int n = Temporals.formatInstant(t, out);
      assertEquals(t.toString(), new String(out, 0, n));
    }
  }

  @Test
  void formatLeavesSignedYearsToToString() throws IOException {
    char[] out = new char[Temporals.MAX_INSTANT_CHARS];
    for (String s : List.of("-0001-12-31T23:59:59Z", "+10000-01-01T00:00:00Z")) {
      Instant t = Instant.parse(s);
      assertEquals(-1, Temporals.formatInstant(t, out));
      assertEquals("\"" + s + "\"", writeJson(t));
    }
  }

  @Test
  void parseReadsWhatToStringWrites() {
    for (Instant t : samples()) {
      char[] text = ("xx" + t + "yy").toCharArray();
      assertEquals(t, Temporals.parseInstant(text, 2, text.length - 4), t.toString());
    }
    // Any number of fraction digits, as Instant.parse accepts.
    for (String s : List.of("2024-01-31T10:15:30.1Z", "2024-01-31T10:15:30.12345Z")) {
      assertEquals(Instant.parse(s), parse(s));
    }
  }

  @Test
  void parseLeavesEverythingElseToInstantParse() throws IOException {
    for (String s :
        List.of(
            "2024-02-30T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "2024-13-01T00:00:00Z",
            "2024-00-01T00:00:00Z",
            "2024-01-31T24:00:00Z",
            "2024-01-31T23:60:00Z",
            "2024-12-31T23:59:60Z",
            "2024-01-31T10:15:30z",
            "2024-01-31t10:15:30Z",
            "2024-01-31T10:15:30+01:00",
            "2024-01-31T10:15:30.Z",
            "2024-01-31T10:15:30.1234567890Z",
            "2024-01-31T10:15Z",
            "+2024-01-31T10:15:30Z",
            "2024-1-31T10:15:30Z",
            "2024-01-31T10:15:3xZ",
            "")) {
      assertNull(parse(s), s);
      // JsonSupport.readInstant then gives Instant.parse's answer: the same instant or an error.
      Instant expected;
      try {
        expected = Instant.parse(s);
      } catch (RuntimeException e) {
        expected = null;
      }
      if (expected == null) {
        assertThrows(JobDecodeException.class, () -> readJson(s), s);
      } else {
        assertEquals(expected, readJson(s), s);
      }
    }
  }

  private static Instant parse(String s) {
    char[] c = s.toCharArray();
    return Temporals.parseInstant(c, 0, c.length);
  }

  private static Instant readJson(String s) throws IOException {
    try (JsonParser p = JSON.createParser("\"" + s + "\"")) {
      p.nextToken();
      Instant viaJackson = JsonSupport.readInstant(JsonReader.of(p));
      JsonTextReader fast = new JsonTextReader(64);
      fast.reset("\"" + s + "\"");
      fast.nextToken();
      assertEquals(viaJackson, JsonSupport.readInstant(fast), s);
      return viaJackson;
    }
  }

  private static String writeJson(Instant t) {
    JsonWriter out = new JsonWriter(64);
    JsonSupport.writeInstant(out, t);
    return out.take();
  }
}
