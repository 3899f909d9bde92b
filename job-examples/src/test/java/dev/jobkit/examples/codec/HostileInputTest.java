package dev.jobkit.examples.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.JobDecodeException;
import dev.jobkit.JobRegistry;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Corrupt and hostile input fails with a one-line {@link JobDecodeException}: length headers are
 * not trusted, nesting is bounded, duplicate JSON keys and non-object parameters are refused, and
 * JSON is read only up to a limit.
 */
class HostileInputTest {
  private static final String JOB = "codec.all_types";
  private final JobRegistry registry = JobRegistry.load();

  /** A one-entry MessagePack map: {@code key} (a fixstr) followed by the raw bytes of a value. */
  private static byte[] state(String key, int... value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x81);
    out.write(0xa0 | key.length());
    out.writeBytes(key.getBytes(StandardCharsets.US_ASCII));
    for (int b : value) {
      out.write(b);
    }
    return out.toByteArray();
  }

  private JobDecodeException msgpackError(JobRegistry r, byte[] state) {
    return assertThrows(JobDecodeException.class, () -> r.fromMsgpack(JOB, state));
  }

  private JobDecodeException jsonError(String json) {
    return assertThrows(JobDecodeException.class, () -> registry.fromJson(JOB, json));
  }

  @Test
  void anArrayHeaderClaimingTwoBillionElementsIsRefusedBeforeAllocating() {
    // array32 of 2^31-1 elements: without the check, new ArrayList<>(n) throws OutOfMemoryError
    JobDecodeException e = msgpackError(registry, state("list", 0xdd, 0x7f, 0xff, 0xff, 0xff));
    assertEquals(
        "codec.all_types: $.list: corrupted MessagePack: an array header claims 2147483647"
            + " elements but only 0 bytes remain",
        e.getMessage());
    // and into a primitive array, new int[n]
    e = msgpackError(registry, state("ints", 0xdd, 0x7f, 0xff, 0xff, 0xff, 1, 2));
    assertEquals(
        "codec.all_types: $.ints: corrupted MessagePack: an array header claims 2147483647"
            + " elements but only 2 bytes remain",
        e.getMessage());
  }

  @Test
  void aStringOrBinaryHeaderClaimingTwoGigabytesIsRefused() {
    JobDecodeException e = msgpackError(registry, state("string", 0xdb, 0x7f, 0xff, 0xff, 0xff));
    assertEquals(
        "codec.all_types: $.string: corrupted MessagePack: a string header claims 2147483647"
            + " bytes but only 0 bytes remain",
        e.getMessage());
    e = msgpackError(registry, state("bytes", 0xc6, 0x7f, 0xff, 0xff, 0xff, 0));
    assertEquals(
        "codec.all_types: $.bytes: corrupted MessagePack: a binary header claims 2147483647"
            + " bytes but only 1 byte remains",
        e.getMessage());
  }

  @Test
  void aMapHeaderTooBigForTheInputIsRefused() {
    // map32 of 2^31-1 entries: without the check, new LinkedHashMap<>(n) throws OutOfMemoryError
    JobDecodeException e = msgpackError(registry, state("map", 0xdf, 0x7f, 0xff, 0xff, 0xff));
    assertEquals(
        "codec.all_types: $.map: corrupted MessagePack: a map header claims 2147483647 entries"
            + " but only 0 bytes remain",
        e.getMessage());
    e = msgpackError(registry, new byte[] {(byte) 0xdf, 0x7f, (byte) 0xff, (byte) 0xff, 1, 2});
    assertEquals(
        "codec.all_types: $: corrupted MessagePack: a map header claims 2147483393 entries but"
            + " only 1 byte remains",
        e.getMessage());
  }

  @Test
  void aLengthOverTheConfiguredMaximumIsRefusedWithTheWayToRaiseIt() throws Exception {
    AllTypesJob job = new AllTypesJob();
    job.list = Collections.nCopies(100, "a");
    byte[] state = registry.toMsgpack(job);
    JobDecodeException e = msgpackError(registry.withMaxLength(99), state);
    assertEquals(
        "codec.all_types: $.list: an array header claims 100 elements, over the limit of 99; if the"
            + " value is real, raise the limit (JobRegistry.withMaxLength or"
            + " -Djobkit.decode.maxLength)",
        e.getMessage());
    AllTypesJob back = registry.withMaxLength(100).fromMsgpack(JOB, state);
    assertEquals(job.list, back.list);
  }

  @Test
  void deeplyNestedStateIsRefusedInsteadOfOverflowingTheStack() {
    // {"person": {"kids": [{"kids": [...]}]}}, 100,000 levels of the recursive Person
    int depth = 100_000;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x81);
    out.write(0xa6);
    out.writeBytes("person".getBytes(StandardCharsets.US_ASCII));
    for (int i = 0; i < depth; i++) {
      out.write(0x81);
      out.write(0xa4);
      out.writeBytes("kids".getBytes(StandardCharsets.US_ASCII));
      out.write(0x91);
    }
    out.write(0xc0);
    JobDecodeException e = msgpackError(registry, out.toByteArray());
    assertTrue(
        e.getMessage()
            .endsWith(
                "objects nested more than 1000 deep; the input is corrupted (state written by"
                    + " jobkit never nests that deep)"),
        e.getMessage());
    assertTrue(e.getMessage().startsWith("codec.all_types: $.person.kids[0].kids[0]."));

    String json = "{\"person\":" + "{\"kids\":[".repeat(depth) + "]}".repeat(depth) + "}";
    JobDecodeException j = jsonError(json);
    assertTrue(
        j.getMessage().contains(": objects and arrays nested more than 1000 deep; "),
        j.getMessage());
    assertTrue(j.getMessage().contains("(line 1, column "), j.getMessage());
  }

  @Test
  void duplicateKeysAreRefusedWithTheirPathLikeUnknownFields() {
    // the column is where the parser noticed: just after the repeated name
    assertEquals(
        "codec.all_types: $.string: duplicate field (each field may be given once) (line 1,"
            + " column 23)",
        jsonError("{\"string\":\"a\",\"string\":\"b\"}").getMessage());
    assertEquals(
        "codec.all_types: $.address.street: duplicate field (each field may be given once)"
            + " (line 1, column 34)",
        jsonError("{\"address\":{\"street\":\"a\",\"street\":\"b\"}}").getMessage());
    assertEquals(
        "codec.all_types: $.map.k: duplicate field (each field may be given once) (line 1,"
            + " column 18)",
        jsonError("{\"map\":{\"k\":1,\"k\":2}}").getMessage());
    // after a nested value, the path still names the repeated field
    assertEquals(
        "codec.all_types: $.list: duplicate field (each field may be given once) (line 1,"
            + " column 21)",
        jsonError("{\"list\":[\"x\"],\"list\":[]}").getMessage());
  }

  @Test
  void aRepeatedMapKeyIsRefusedWhateverItsValuesAndHowManyKeysCameFirst() {
    // put returns null for a repeated key whose earlier value was null: not the check to rely on
    assertEquals(
        "codec.all_types: $.map.k: duplicate field (each field may be given once) (line 1,"
            + " column 21)",
        jsonError("{\"map\":{\"k\":null,\"k\":null}}").getMessage());
    StringBuilder json = new StringBuilder("{\"map\":{");
    for (int i = 0; i < 12; i++) {
      json.append("\"k").append(i).append("\":").append(i).append(',');
    }
    json.append("\"k3\":3}}");
    assertEquals(
        "codec.all_types: $.map.k3: duplicate field (each field may be given once) (line 1,"
            + " column "
            + (json.length() - 3)
            + ")",
        jsonError(json.toString()).getMessage());
  }

  @Test
  void twoNamesForOneIntegerMapKeyAreNotARepeatAndTheLaterValueWins() {
    AllTypesJob job = registry.fromJson(JOB, "{\"intMap\":{\"1\":[\"a\"],\"01\":[\"b\"]}}");
    assertEquals(Map.of(1, List.of("b")), job.intMap);
  }

  @Test
  void nullInASortedSetIsADecodeErrorNotANullPointerException() {
    JobDecodeException e = msgpackError(registry, state("treeSet", 0x92, 0xa1, 'a', 0xc0));
    assertEquals(
        "codec.all_types: $.treeSet[1]: expected a value but found nil (a sorted set cannot hold"
            + " nil)",
        e.getMessage());
    assertEquals(
        "codec.all_types: $.treeSet[1]: expected a value but found null (a sorted set cannot hold"
            + " null) (line 1, column 17)",
        jsonError("{\"treeSet\":[\"a\",null]}").getMessage());
  }

  @Test
  void aDecimalWithAnExponentBeyondBigDecimalIsADecodeError() {
    // found by CodecFuzzTest: jackson threw a bare NumberFormatException
    assertEquals(
        "codec.all_types: $.bigDecimal: decimal number out of range: 1e9999999999 (line 1,"
            + " column 15)",
        jsonError("{\"bigDecimal\":1e9999999999}").getMessage());
  }

  @Test
  void topLevelJsonThatIsNotAnObjectIsRefused() {
    assertEquals(
        "codec.all_types: $: expected a JSON object with the job's parameters, got null; pass {}"
            + " for no parameters (line 1, column 1)",
        jsonError("null").getMessage());
    assertEquals(
        "codec.all_types: $: expected a JSON object with the job's parameters, got an array"
            + " (line 1, column 2)",
        jsonError(" [1]").getMessage());
    assertEquals(
        "codec.all_types: $: expected a JSON object with the job's parameters, got a number"
            + " (line 1, column 1)",
        jsonError("42").getMessage());
    assertEquals(
        "codec.all_types: $: expected a JSON object with the job's parameters, got a string"
            + " (line 1, column 1)",
        jsonError("\"x\"").getMessage());
  }

  /** An endless JSON array of strings: {@code {"list":["a","a","a",...}. */
  private static final class EndlessJson extends Reader {
    private final String head = "{\"list\":[";
    private long position;

    @Override
    public int read(char[] buf, int off, int len) {
      for (int i = 0; i < len; i++, position++) {
        buf[off + i] =
            position < head.length()
                ? head.charAt((int) position)
                : "\"a\",".charAt((int) ((position - head.length()) % 4));
      }
      return len;
    }

    @Override
    public void close() {}
  }

  @Test
  void anEndlessReaderIsReadOnlyUpToTheLimit() {
    JobDecodeException e =
        assertTimeoutPreemptively(
            Duration.ofSeconds(60),
            () ->
                assertThrows(
                    JobDecodeException.class, () -> registry.fromJson(JOB, new EndlessJson())));
    assertEquals(
        "codec.all_types: $: the JSON parameters (more than that) exceed 16777216 bytes; pass"
            + " large data by reference (a path or URL), or raise the limit"
            + " (JobRegistry.withMaxJsonBytes or -Djobkit.decode.maxJsonBytes)",
        e.getMessage());
  }

  @Test
  void anEndlessStreamAndALongStringAreRefusedAtAConfiguredLimit() {
    JobRegistry small = registry.withMaxJsonBytes(1000);
    InputStream spaces =
        new InputStream() {
          @Override
          public int read() {
            return ' ';
          }
        };
    JobDecodeException e =
        assertTimeoutPreemptively(
            Duration.ofSeconds(60),
            () -> assertThrows(JobDecodeException.class, () -> small.fromJson(JOB, spaces)));
    assertTrue(e.getMessage().contains(" exceed 1000 bytes; "), e.getMessage());

    String big = "{\"string\":\"" + "x".repeat(1000) + "\"}";
    e = assertThrows(JobDecodeException.class, () -> small.fromJson(JOB, big));
    assertTrue(
        e.getMessage().startsWith("codec.all_types: $: the JSON parameters (1013 characters)"),
        e.getMessage());
  }
}
