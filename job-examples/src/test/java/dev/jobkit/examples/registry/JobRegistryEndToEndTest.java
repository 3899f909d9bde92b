package dev.jobkit.examples.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.JobDecodeException;
import dev.jobkit.JobRegistry;
import dev.jobkit.UnknownJobException;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The registry's public entry points over real generated code, loaded through ServiceLoader. */
class JobRegistryEndToEndTest {

  private static final String JSON = "{\"sources\":[\"/a\",\"/b\"],\"destination\":\"/dst\"}";

  private final JobRegistry registry = JobRegistry.load();

  @Test
  void findsGeneratedRegistrationsThroughServiceLoader() {
    assertTrue(registry.contains("registry.copy"), registry.names().toString());
    assertEquals(CopyParams.class, registry.registration("registry.copy").jobClass());
    assertEquals(
        "Copies files (test fixture)", registry.registration("registry.copy").description());
  }

  @Test
  void createsAJobByNameFromJsonStringReaderAndStream() {
    CopyParams fromString = registry.fromJson("registry.copy", JSON);
    CopyParams fromReader = registry.fromJson("registry.copy", new StringReader(JSON));
    CopyParams fromStream =
        registry.fromJson(
            "registry.copy", new ByteArrayInputStream(JSON.getBytes(StandardCharsets.UTF_8)));
    for (CopyParams job : List.of(fromString, fromReader, fromStream)) {
      assertEquals(List.of(Path.of("/a"), Path.of("/b")), job.sources);
      assertEquals(Path.of("/dst"), job.destination);
      assertEquals("fresh", job.scratch.toString(), "transient fields come from the constructor");
    }
  }

  @Test
  void msgpackRoundTripKeepsProgressStateAndSkipsTransientFields() {
    CopyParams job = registry.fromJson("registry.copy", JSON);
    job.nextIndex = 1;
    job.scratch.append(" but changed");
    byte[] state = registry.toMsgpack(job);

    CopyParams again = registry.fromMsgpack("registry.copy", state);
    assertEquals(1, again.nextIndex);
    assertEquals(job.sources, again.sources);
    assertEquals("fresh", again.scratch.toString());
    assertArrayEquals(state, registry.toMsgpack(again));
  }

  @Test
  void longAndNonAsciiStringsSurviveTheSmallCodecBuffers() {
    CopyParams job = registry.fromJson("registry.copy", JSON);
    String longName = "/données/" + "é😀x".repeat(40_000);
    job.sources = List.of(Path.of(longName));
    CopyParams again = registry.fromMsgpack("registry.copy", registry.toMsgpack(job));
    assertEquals(longName, again.sources.get(0).toString());
  }

  @Test
  void toJsonWritesWhatFromJsonReads() {
    CopyParams job = registry.fromJson("registry.copy", JSON);
    CopyParams again = registry.fromJson("registry.copy", registry.toJson(job));
    assertEquals(job.sources, again.sources);
    assertEquals(job.destination, again.destination);
  }

  @Test
  void outputsGoThroughTheOutputCodec() {
    String json = registry.outputToJson("registry.copy", 42);
    assertEquals("42", json);
    Integer back = registry.outputFromJson("registry.copy", json);
    assertEquals(42, back);
  }

  @Test
  void schemaIsJsonSchemaOfTheParameters() {
    String schema = registry.schema("registry.copy");
    assertTrue(
        schema.contains("\"$schema\":\"https://json-schema.org/draft/2020-12/schema\""), schema);
    assertTrue(schema.contains("\"sources\""), schema);
    assertTrue(schema.contains("\"destination\""), schema);
  }

  @Test
  void unknownNameIsReported() {
    UnknownJobException e =
        assertThrows(UnknownJobException.class, () -> registry.fromJson("file_kopy", JSON));
    assertTrue(
        e.getMessage()
            .startsWith(
                "unknown job 'file_kopy': no @Job with that name is on the class path (known: "),
        e.getMessage());
  }

  @Test
  void mistypedJsonSaysWhereWithLineAndColumn() {
    String json = "{\n  \"destination\": \"/dst\",\n  \"sources\": [\"/a\", \"/b\", 7]\n}";
    JobDecodeException e =
        assertThrows(JobDecodeException.class, () -> registry.fromJson("registry.copy", json));
    assertEquals(
        "registry.copy: $.sources[2]: expected a string but found a number (line 3, column 27)",
        e.getMessage());
    assertEquals("$.sources[2]", e.path());
    assertEquals(3, e.line());
  }

  @Test
  void unknownJsonFieldIsRejectedWithItsPath() {
    JobDecodeException e =
        assertThrows(
            JobDecodeException.class, () -> registry.fromJson("registry.copy", "{\"sourcez\":[]}"));
    assertTrue(
        e.getMessage().startsWith("registry.copy: $.sourcez: unknown field"), e.getMessage());
  }

  @Test
  void malformedJsonSaysWhere() {
    JobDecodeException e =
        assertThrows(
            JobDecodeException.class,
            () -> registry.fromJson("registry.copy", "{\"sources\": [\"/a\",}"));
    assertTrue(e.getMessage().startsWith("registry.copy: $.sources"), e.getMessage());
    assertTrue(e.getMessage().contains("malformed JSON"), e.getMessage());
    assertTrue(e.getMessage().endsWith("(line 1, column 19)"), e.getMessage());
  }

  @Test
  void emptyAndTrailingInputAreRejected() {
    assertEquals(
        "registry.copy: $: expected a JSON value but the input is empty",
        assertThrows(JobDecodeException.class, () -> registry.fromJson("registry.copy", "  "))
            .getMessage());
    JobDecodeException e =
        assertThrows(JobDecodeException.class, () -> registry.fromJson("registry.copy", "{} {}"));
    assertEquals(
        "registry.copy: $: unexpected content after the end of the JSON value (line 1, column 4)",
        e.getMessage());
  }

  @Test
  void corruptedMsgpackIsADecodeErrorNotACrash() {
    CopyParams job = registry.fromJson("registry.copy", JSON);
    byte[] state = registry.toMsgpack(job);
    byte[] truncated = Arrays.copyOf(state, state.length - 3);
    JobDecodeException e =
        assertThrows(
            JobDecodeException.class, () -> registry.fromMsgpack("registry.copy", truncated));
    // the last key ("nextIndex") is cut in the middle, so the error is at the map's level
    assertEquals(
        "registry.copy: $: corrupted MessagePack: a string header claims 9 bytes but only 7 bytes"
            + " remain",
        e.getMessage());

    byte[] trailing = Arrays.copyOf(state, state.length + 1);
    JobDecodeException t =
        assertThrows(
            JobDecodeException.class, () -> registry.fromMsgpack("registry.copy", trailing));
    assertEquals(
        "registry.copy: $: corrupted state: unexpected bytes after the end of the state",
        t.getMessage());

    JobDecodeException notMap =
        assertThrows(
            JobDecodeException.class,
            () -> registry.fromMsgpack("registry.copy", new byte[] {(byte) 0x93}));
    assertEquals("registry.copy: $: corrupted state: expected a map", notMap.getMessage());
  }
}
