package dev.jobkit.examples.codec;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jobkit.JobDecodeException;
import dev.jobkit.JobHandler;
import dev.jobkit.JobRegistry;
import dev.jobkit.spi.JobRegistration;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;

/**
 * Feeds every generated codec on the class path (the example jobs and this module's test jobs)
 * random, truncated, bit-flipped and spliced MessagePack and JSON: each input must either decode or
 * fail with {@link JobDecodeException}. Anything else, {@code OutOfMemoryError} and {@code
 * StackOverflowError} included, fails the test with the case's seed and input in hex.
 *
 * <p>{@code mvn verify} runs {@value #DEFAULT_CASES} cases; {@code -Pfuzz} (or {@code
 * -Djobkit.fuzz.cases=N}) runs more, {@code -Djobkit.fuzz.seed=S} changes the run's seed, and
 * {@code -Djobkit.fuzz.replay=S} runs the single case with seed {@code S} printed by a failure.
 */
class CodecFuzzTest {
  static final int DEFAULT_CASES = 4000;

  private static final byte[] INTERESTING = {
    (byte) 0xc0,
    (byte) 0xc1,
    (byte) 0xc2,
    (byte) 0xc4,
    (byte) 0xc5,
    (byte) 0xc6,
    (byte) 0xc7,
    (byte) 0xc8,
    (byte) 0xc9,
    (byte) 0xca,
    (byte) 0xcb,
    (byte) 0xcf,
    (byte) 0xd3,
    (byte) 0xd6,
    (byte) 0xd7,
    (byte) 0xd8,
    (byte) 0xd9,
    (byte) 0xda,
    (byte) 0xdb,
    (byte) 0xdc,
    (byte) 0xdd,
    (byte) 0xde,
    (byte) 0xdf,
    (byte) 0xff,
    (byte) 0x7f,
    (byte) 0x80,
    (byte) 0x8f,
    (byte) 0x90,
    (byte) 0x9f,
    (byte) 0xa0,
    (byte) 0xbf,
    0,
    1,
    '{',
    '}',
    '[',
    ']',
    '"',
    ':',
    ',',
    '\\',
    'n',
    '-',
    '0',
    '9',
    'e',
    '.'
  };

  private final JobRegistry registry = JobRegistry.load();

  /** One valid value of a job: its name, state as MessagePack and parameters as JSON. */
  private record Sample(String job, byte[] msgpack, byte[] json, List<String> keys) {}

  private enum Format {
    MSGPACK,
    JSON
  }

  private enum Mutation {
    RANDOM_BYTES,
    TRUNCATED,
    BIT_FLIPS,
    INTERESTING_BYTES,
    SPLICED,
    RANDOM_STRUCTURE
  }

  /** How cases ended, for the summary: decoded, or the kind of decode error. */
  private final Map<String, Integer> outcomes = new TreeMap<>();

  private final List<String> failures = new ArrayList<>();
  private Throwable firstFailure;

  private List<Sample> samples() throws IOException {
    List<Sample> samples = new ArrayList<>();
    for (JobRegistration<?, ?> r : registry.registrations()) {
      samples.add(sample(r.name(), r.newInstance()));
    }
    samples.add(sample("codec.all_types", CodecRoundTripTest.full()));
    return samples;
  }

  private Sample sample(String job, JobHandler<?> value) throws IOException {
    byte[] msgpack = registry.toMsgpack(value);
    List<String> keys = new ArrayList<>();
    try (MessageUnpacker in = MessagePack.newDefaultUnpacker(msgpack)) {
      int n = in.unpackMapHeader();
      for (int i = 0; i < n; i++) {
        keys.add(in.unpackString());
        in.skipValue();
      }
    }
    byte[] json = registry.toJson(value).getBytes(StandardCharsets.UTF_8);
    return new Sample(job, msgpack, json, keys);
  }

  @Test
  void everyCodecDecodesOrRejectsHostileInput() throws IOException {
    List<Sample> samples = samples();
    assertTrue(samples.size() > 10, "expected the example and test jobs, found " + samples);
    Long replay = Long.getLong("jobkit.fuzz.replay");
    int cases = Integer.getInteger("jobkit.fuzz.cases", DEFAULT_CASES);
    long seed = Long.getLong("jobkit.fuzz.seed", 15L);
    long start = System.nanoTime();
    if (replay != null) {
      runCase(samples, replay);
      cases = 1;
    } else {
      Random seeds = new Random(seed);
      for (int i = 0; i < cases && failures.size() < 20; i++) {
        runCase(samples, seeds.nextLong());
      }
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    // The figures of a long run go into docs/operations.md.
    System.out.printf(
        "codec fuzz: %d cases over %d samples in %d ms (seed %d): %s%n",
        cases, samples.size(), millis, seed, outcomes);
    if (!failures.isEmpty()) {
      AssertionError e =
          new AssertionError(
              failures.size()
                  + " inputs neither decoded nor failed with JobDecodeException; replay one with"
                  + " -Djobkit.fuzz.replay=<seed>:\n"
                  + String.join("\n", failures));
      e.initCause(firstFailure);
      throw e;
    }
  }

  private void runCase(List<Sample> samples, long caseSeed) {
    Random random = new Random(caseSeed);
    Sample sample = samples.get(random.nextInt(samples.size()));
    Format format = random.nextBoolean() ? Format.MSGPACK : Format.JSON;
    Mutation mutation = Mutation.values()[random.nextInt(Mutation.values().length)];
    byte[] input = mutate(random, sample, format, mutation);
    try {
      if (format == Format.MSGPACK) {
        registry.fromMsgpack(sample.job(), input);
      } else if (random.nextBoolean()) {
        registry.fromJson(sample.job(), new String(input, StandardCharsets.UTF_8));
      } else {
        registry.fromJson(sample.job(), new ByteArrayInputStream(input));
      }
      outcomes.merge(format + " decoded", 1, Integer::sum);
    } catch (JobDecodeException e) {
      outcomes.merge(format + " rejected: " + kind(e.reason()), 1, Integer::sum);
      if (e.getMessage().contains("\n")) {
        failed(caseSeed, sample, format, mutation, input, e, "a message of more than one line");
      }
    } catch (Throwable t) { // NOPMD: catching Error is the point of this test
      failed(caseSeed, sample, format, mutation, input, t, t.toString());
    }
  }

  private void failed(
      long caseSeed,
      Sample sample,
      Format format,
      Mutation mutation,
      byte[] input,
      Throwable t,
      String what) {
    outcomes.merge(format + " FAILED", 1, Integer::sum);
    if (firstFailure == null) {
      firstFailure = t;
    }
    failures.add(
        "seed="
            + caseSeed
            + " job="
            + sample.job()
            + " format="
            + format
            + " mutation="
            + mutation
            + " -> "
            + what
            + "; input="
            + HexFormat.of().formatHex(input));
  }

  /** The broad kind of a decode error, for the summary. */
  private static String kind(String reason) {
    if (reason.contains(" header claims ")) {
      return "length header refused";
    }
    if (reason.contains("end of input") || reason.contains("end-of-input")) {
      return "truncated";
    }
    if (reason.contains("nested more than")) {
      return "nested too deep";
    }
    if (reason.startsWith("duplicate field")) {
      return "duplicate field";
    }
    if (reason.startsWith("unknown field") || reason.contains("is state of the job")) {
      return "unknown or state field";
    }
    if (reason.startsWith("malformed JSON") || reason.startsWith("unexpected content after")) {
      return "malformed JSON";
    }
    if (reason.startsWith("corrupted")) {
      return "malformed MessagePack";
    }
    return "wrong type or value";
  }

  private static byte[] mutate(Random random, Sample sample, Format format, Mutation mutation) {
    byte[] valid = format == Format.MSGPACK ? sample.msgpack() : sample.json();
    switch (mutation) {
      case RANDOM_BYTES:
        {
          byte[] b = new byte[random.nextInt(64)];
          random.nextBytes(b);
          if (b.length > 0 && random.nextBoolean()) {
            b[0] = format == Format.MSGPACK ? (byte) (0x80 | random.nextInt(16)) : (byte) '{';
          }
          return b;
        }
      case TRUNCATED:
        return java.util.Arrays.copyOf(valid, random.nextInt(valid.length + 1));
      case BIT_FLIPS:
        {
          byte[] b = valid.clone();
          int flips = 1 + random.nextInt(8);
          for (int i = 0; i < flips && b.length > 0; i++) {
            b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
          }
          return b;
        }
      case INTERESTING_BYTES:
        {
          // Length headers, type codes and JSON punctuation at random places, often followed by
          // big lengths: 0xdd 0x7f 0xff 0xff 0xff claims 2^31-1 array elements.
          byte[] b = valid.clone();
          int changes = 1 + random.nextInt(4);
          for (int i = 0; i < changes && b.length > 0; i++) {
            int at = random.nextInt(b.length);
            b[at] = INTERESTING[random.nextInt(INTERESTING.length)];
            for (int j = 1; j <= 4 && at + j < b.length && random.nextBoolean(); j++) {
              b[at + j] = random.nextBoolean() ? (byte) 0xff : (byte) 0x7f;
            }
          }
          return b;
        }
      case SPLICED:
        {
          // A piece of the input repeated somewhere else: duplicate keys, extra elements.
          if (valid.length == 0) {
            return valid;
          }
          int from = random.nextInt(valid.length);
          int len = random.nextInt(valid.length - from + 1);
          int at = random.nextInt(valid.length + 1);
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          out.write(valid, 0, at);
          out.write(valid, from, len);
          out.write(valid, at, valid.length - at);
          return out.toByteArray();
        }
      default:
        return format == Format.MSGPACK
            ? randomMsgpack(random, sample.keys())
            : randomJson(random, sample.keys()).getBytes(StandardCharsets.UTF_8);
    }
  }

  /** A map of some of the job's keys to random values of any type. */
  private static byte[] randomMsgpack(Random random, List<String> keys) {
    try (MessageBufferPacker out = MessagePack.newDefaultBufferPacker()) {
      int n = random.nextInt(keys.size() + 2);
      out.packMapHeader(n);
      for (int i = 0; i < n; i++) {
        out.packString(keys.isEmpty() ? "x" : keys.get(random.nextInt(keys.size())));
        randomValue(random, out, 0);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void randomValue(Random random, MessageBufferPacker out, int depth)
      throws IOException {
    switch (random.nextInt(depth > 3 ? 9 : 11)) {
      case 0 -> out.packNil();
      case 1 -> out.packBoolean(random.nextBoolean());
      case 2 ->
          out.packLong(random.nextInt(3) == 0 ? random.nextLong() : random.nextInt(300) - 100);
      case 3 -> out.packDouble(random.nextDouble() * 1e6);
      case 4 -> out.packString(randomString(random));
      case 5 -> {
        out.packBinaryHeader(3);
        out.writePayload(new byte[] {1, 2, 3});
      }
      case 6 -> out.packTimestamp(random.nextLong() >> 30, random.nextInt(1_000_000_000));
      case 7 -> out.packBigInteger(java.math.BigInteger.ONE.shiftLeft(63 + random.nextInt(1)));
      case 8 -> out.packString(String.valueOf(random.nextInt(10)));
      case 9 -> {
        int n = random.nextInt(4);
        out.packArrayHeader(n);
        for (int i = 0; i < n; i++) {
          randomValue(random, out, depth + 1);
        }
      }
      default -> {
        int n = random.nextInt(4);
        out.packMapHeader(n);
        for (int i = 0; i < n; i++) {
          if (random.nextBoolean()) {
            out.packString(randomString(random));
          } else {
            out.packInt(random.nextInt(10));
          }
          randomValue(random, out, depth + 1);
        }
      }
    }
  }

  private static String randomString(Random random) {
    String[] pool = {
      "",
      "a",
      "GREEN",
      "RED",
      "PT1H",
      "2024-01-31",
      "2024-01-31T10:15:30Z",
      "/tmp/x",
      "1.5",
      "123e4567-e89b-12d3-a456-426614174000",
      "x\u0000y",
      "\ud800",
      "::",
      "9999999999999999999",
      "P99999999999999999D",
      "+999999999-12-31T23:59:59Z"
    };
    return pool[random.nextInt(pool.length)];
  }

  /** A JSON object of some of the job's keys with random values, sometimes repeated. */
  private static String randomJson(Random random, List<String> keys) {
    StringBuilder s = new StringBuilder("{");
    int n = random.nextInt(keys.size() + 2);
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        s.append(',');
      }
      String key = keys.isEmpty() ? "x" : keys.get(random.nextInt(keys.size()));
      s.append('"').append(key).append("\":");
      randomJsonValue(random, s, 0);
    }
    return s.append('}').toString();
  }

  private static void randomJsonValue(Random random, StringBuilder s, int depth) {
    switch (random.nextInt(depth > 3 ? 7 : 9)) {
      case 0 -> s.append("null");
      case 1 -> s.append(random.nextBoolean());
      case 2 -> s.append(random.nextInt(3) == 0 ? random.nextLong() : random.nextInt(300) - 100);
      case 3 -> s.append(random.nextDouble() * 1e6);
      case 4 -> s.append('"').append(randomString(random).replace("\u0000", "\\u0000")).append('"');
      case 5 -> s.append("1e400");
      case 6 -> s.append("\"AAEC\"");
      case 7 -> {
        s.append('[');
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
          if (i > 0) {
            s.append(',');
          }
          randomJsonValue(random, s, depth + 1);
        }
        s.append(']');
      }
      default -> {
        s.append('{');
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
          if (i > 0) {
            s.append(',');
          }
          s.append('"').append(random.nextBoolean() ? "1" : randomString(random)).append("\":");
          randomJsonValue(random, s, depth + 1);
        }
        s.append('}');
      }
    }
  }

  @Test
  void aFailingInputIsReportedWithItsSeedAndHex() {
    // The report format is what makes a failure replayable; check it once on a fake failure.
    failed(
        42L,
        new Sample("job", new byte[0], new byte[0], List.of()),
        Format.MSGPACK,
        Mutation.TRUNCATED,
        new byte[] {(byte) 0xdd, 0x7f},
        new StackOverflowError(),
        "java.lang.StackOverflowError");
    if (!failures
        .get(0)
        .equals(
            "seed=42 job=job format=MSGPACK mutation=TRUNCATED -> java.lang.StackOverflowError;"
                + " input=dd7f")) {
      fail(failures.get(0));
    }
  }
}
