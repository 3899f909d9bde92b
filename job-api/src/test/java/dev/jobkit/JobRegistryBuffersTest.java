package dev.jobkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jobkit.spi.JobCodec;
import dev.jobkit.spi.JobRegistration;
import dev.jobkit.spi.JsonReader;
import dev.jobkit.spi.JsonSupport;
import dev.jobkit.spi.JsonWriter;
import dev.jobkit.spi.MsgpackReader;
import dev.jobkit.spi.MsgpackSupport;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;

/**
 * The registry reuses a packer, a MessagePack reader and a JSON buffer per thread, and reads the
 * stored version from the bytes when it can: results must be exactly those of fresh buffers and of
 * the reader, also when a codec calls the registry itself, fails half-way, or writes a large value.
 */
class JobRegistryBuffersTest {

  /** A job whose codec stores {@code inner} through the registry: a call inside a call. */
  static final class Box implements JobHandler<Void> {
    String text;
    Box inner;
    final List<Integer> upgradedFrom = new ArrayList<>();

    Box() {}

    Box(String text, Box inner) {
      this.text = text;
      this.inner = inner;
    }

    @Override
    public Void run(JobContext ctx) {
      return null;
    }
  }

  private static JobRegistry registry;

  private static final JobCodec<Box> CODEC =
      new JobCodec<>() {
        @Override
        public void writeMsgpack(MessagePacker out, Box value) throws IOException {
          out.packMapHeader(2).packString("text").packString(value.text).packString("inner");
          if (value.inner == null) {
            out.packNil();
          } else {
            byte[] inner = registry.toMsgpack(value.inner);
            out.packBinaryHeader(inner.length).writePayload(inner);
          }
          if (value.text.equals("boom")) {
            throw new IllegalStateException("boom");
          }
        }

        @Override
        public Box readMsgpack(MsgpackReader in) throws IOException {
          int size = in.readObjectHeader();
          Box box = new Box();
          for (int i = 0; i < size; i++) {
            String key = in.readString();
            if (key.equals("text")) {
              box.text = in.readString();
            } else if (key.equals("inner")) {
              box.inner = in.tryReadNil() ? null : registry.fromMsgpack("box", in.readBinary());
            } else if (key.equals("upgradedFrom")) {
              int n = in.readArrayHeader();
              for (int j = 0; j < n; j++) {
                box.upgradedFrom.add(in.readInt());
              }
            } else {
              in.skipValue();
            }
          }
          in.endObject();
          return box;
        }

        @Override
        public void writeJson(JsonWriter out, Box value) throws IOException {
          out.writeStartObject();
          out.writeFieldName("text");
          out.writeString(value.text);
          if (value.text.equals("boom")) {
            throw new IllegalStateException("boom");
          }
          if (value.inner != null) {
            out.writeFieldName("inner");
            out.writeString(registry.toJson(value.inner));
          }
          out.writeEndObject();
        }

        @Override
        public Box readJson(JsonReader in, boolean strict) throws IOException {
          Box box = new Box();
          String key;
          while ((key = in.nextFieldName()) != null) {
            in.nextToken();
            if (key.equals("text")) {
              box.text = JsonSupport.readString(in);
            } else {
              box.inner = registry.fromJson("box", JsonSupport.readString(in));
            }
          }
          return box;
        }
      };

  static {
    registry = JobRegistry.of(List.of(registration(3)));
  }

  private static Box chain() {
    return new Box("outer", new Box("middle", new Box("inner", null)));
  }

  private static String texts(Box b) {
    return b == null ? "" : b.text + "/" + texts(b.inner);
  }

  @Test
  void aCodecThatCallsTheRegistryGetsItsOwnBuffers() {
    byte[] state = registry.toMsgpack(chain());
    assertEquals("outer/middle/inner/", texts(registry.fromMsgpack("box", withVersion(state))));
    String json = registry.toJson(chain());
    assertEquals("{\"text\":\"outer\",\"inner\":", json.substring(0, 24));
    assertEquals("outer/middle/inner/", texts(registry.fromJson("box", json)));
  }

  @Test
  void aFailedEncodeLeavesNothingBehindForTheNextOne() {
    Box small = new Box("small", null);
    byte[] expected = registry.toMsgpack(small);
    String expectedJson = registry.toJson(small);
    assertThrows(IllegalStateException.class, () -> registry.toMsgpack(new Box("boom", small)));
    assertThrows(IllegalStateException.class, () -> registry.toJson(new Box("boom", small)));
    assertArrayEquals(expected, registry.toMsgpack(small));
    assertEquals(expectedJson, registry.toJson(small));
  }

  @Test
  void largeValuesRoundTripAndDoNotDisturbSmallOnes() {
    String big = "x".repeat(300_000);
    Box large = new Box(big, null);
    assertEquals(
        big, registry.<Box>fromMsgpack("box", withVersion(registry.toMsgpack(large))).text);
    assertEquals(big, registry.<Box>fromJson("box", registry.toJson(large)).text);
    Box small = new Box("small", null);
    assertEquals(
        "small", registry.<Box>fromMsgpack("box", withVersion(registry.toMsgpack(small))).text);
    assertEquals("{\"text\":\"small\"}", registry.toJson(small));
  }

  /**
   * The version is read from the first bytes in the common forms and by the reader otherwise; both
   * must agree on the version and on every error.
   */
  @Test
  void theStoredVersionIsReadAlikeInEveryForm() throws IOException {
    // Version 3 as the first key of a fixmap, of a map16, and with a version byte (uint8).
    assertEquals(List.of(), read(state(false, 3, false)).upgradedFrom);
    assertEquals(List.of(), read(state(true, 3, false)).upgradedFrom);
    assertEquals(List.of(), read(state(false, 3, true)).upgradedFrom);
    // Older versions are upgraded step by step; no version key at all is version 1.
    assertEquals(List.of(2), read(state(false, 2, false)).upgradedFrom);
    assertEquals(List.of(1, 2), read(state(false, 0, false)).upgradedFrom);
    assertEquals(List.of(1, 2), read(state(true, 0, false)).upgradedFrom);
    for (boolean map16 : new boolean[] {false, true}) {
      for (boolean uint8 : new boolean[] {false, true}) {
        JobDecodeException newer =
            assertThrows(JobDecodeException.class, () -> read(state(map16, 100, uint8)));
        assertEquals(
            "box: $: state was written by version 100 of this job, but this build has version 3;"
                + " deploy the newer job class to read it",
            newer.getMessage());
      }
    }
    byte[] zero = state(false, 3, false);
    zero[10] = 0;
    assertEquals(
        "box: $.@version: corrupted state: version 0 (versions start at 1)",
        assertThrows(JobDecodeException.class, () -> read(zero)).getMessage());
    assertEquals(
        "box: $: corrupted state: expected a map",
        assertThrows(JobDecodeException.class, () -> read(new byte[] {(byte) 0x91, 1}))
            .getMessage());
    assertNull(read(new byte[] {(byte) 0x80}).text);
  }

  private static Box read(byte[] state) {
    return registry.fromMsgpack("box", state);
  }

  /**
   * State of {@link Box} with "@version" first unless {@code version} is 0, in a fixmap or a map16,
   * the version as a fixint or as a uint8.
   */
  private static byte[] state(boolean map16, int version, boolean uint8) throws IOException {
    try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
      int size = version > 0 ? 2 : 1;
      if (map16) {
        p.addPayload(new byte[] {(byte) 0xde, 0, (byte) size});
      } else {
        p.packMapHeader(size);
      }
      if (version > 0) {
        p.packString(JobRegistry.VERSION_KEY);
        if (uint8) {
          p.addPayload(new byte[] {(byte) 0xcc, (byte) version});
        } else {
          p.packInt(version);
        }
      }
      p.packString("text").packString("t");
      return p.toByteArray();
    }
  }

  /** {@code Box}'s codec does not write the version, as a generated one would; adds it. */
  private static byte[] withVersion(byte[] state) {
    byte[] out = new byte[state.length + 10];
    out[0] = (byte) (state[0] + 1);
    byte[] key = MsgpackSupport.key(JobRegistry.VERSION_KEY);
    System.arraycopy(key, 0, out, 1, key.length);
    out[10] = 3;
    System.arraycopy(state, 1, out, 11, state.length - 1);
    return out;
  }

  private static JobRegistration<Box, Void> registration(int version) {
    return new JobRegistration<>() {
      @Override
      public String name() {
        return "box";
      }

      @Override
      public String description() {
        return "";
      }

      @Override
      public Class<Box> jobClass() {
        return Box.class;
      }

      @Override
      public String outputType() {
        return "java.lang.Void";
      }

      @Override
      public int version() {
        return version;
      }

      @Override
      public boolean resumable() {
        return true;
      }

      @Override
      public String queue() {
        return "default";
      }

      @Override
      public Priority priority() {
        return Priority.NORMAL;
      }

      @Override
      public int maxAttempts() {
        return 0;
      }

      @Override
      public Optional<Duration> timeout() {
        return Optional.empty();
      }

      @Override
      public String schema() {
        return "{}";
      }

      @Override
      public String outputSchema() {
        return "{}";
      }

      @Override
      public JobCodec<Box> codec() {
        return CODEC;
      }

      @Override
      public JobCodec<Void> outputCodec() {
        throw new UnsupportedOperationException("not used");
      }

      @Override
      public Box newInstance() {
        return new Box();
      }

      @Override
      @SuppressWarnings("unchecked")
      public void upgrade(int fromVersion, Map<String, Object> state) {
        ((List<Object>) state.computeIfAbsent("upgradedFrom", k -> new ArrayList<>()))
            .add((long) fromVersion);
      }
    };
  }
}
