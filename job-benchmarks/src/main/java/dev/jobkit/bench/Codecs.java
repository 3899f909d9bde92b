package dev.jobkit.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.jobkit.JobRegistry;
import dev.jobkit.spi.JsonTextReader;
import dev.jobkit.spi.JsonWriter;
import dev.jobkit.spi.MsgpackReader;
import dev.jobkit.spi.MsgpackSupport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.core.buffer.ArrayBufferInput;
import org.msgpack.jackson.dataformat.MessagePackFactory;
import org.msgpack.jackson.dataformat.TimestampExtensionModule;

/**
 * The encoders and decoders compared, set up once and shared by the benchmark, {@link CodecSizes}
 * and the round-trip test, so that all three measure and check exactly the same code paths.
 *
 * <p>Jackson is configured the way a careful user would: one {@link ObjectMapper} per format, with
 * {@link ObjectReader}/{@link ObjectWriter} instances created once and reused (they cache their
 * (de)serializers). Defaults are kept otherwise, in particular {@code WRITE_DATES_AS_TIMESTAMPS},
 * so JavaTimeModule writes an {@link java.time.Instant} as a decimal number of seconds: in JSON a
 * number such as {@code 1763892000.123000000}, in MessagePack a float64 (jackson-dataformat-msgpack
 * packs the BigDecimal as a double).
 *
 * <p>The JSON mappers are given the settings of {@link JobRegistry}'s parser: duplicate fields are
 * rejected ({@code STRICT_DUPLICATE_DETECTION}), nesting is limited to {@link
 * MsgpackSupport#MAX_DEPTH}, and unknown properties fail (databind's default). JSON goes in and out
 * as a {@code String}, as {@code JobRegistry.fromJson(String, String)} and {@code toJson} take and
 * give it.
 */
public final class Codecs {

  private Codecs() {}

  /** The generated codec, as the runtime uses it. */
  public static final Sample_Codec GENERATED = Sample_Codec.INSTANCE;

  /** Plain jackson-core streaming factory used to drive the generated codec's JSON methods. */
  public static final JsonFactory JSON_FACTORY = new JsonFactory();

  /** The registry the runtime uses, as {@code JobRegistry.load()} gives it. */
  public static final JobRegistry REGISTRY = JobRegistry.load();

  /** The job name of {@link Sample} in {@link #REGISTRY}. */
  public static final String NAME = "bench.sample";

  /** The JSON factory settings of {@link JobRegistry}, for the Jackson mappers. */
  private static JsonFactory registryLikeJsonFactory() {
    return JsonFactory.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .streamReadConstraints(
            StreamReadConstraints.builder().maxNestingDepth(MsgpackSupport.MAX_DEPTH).build())
        .build();
  }

  /**
   * Jackson databind over JSON, with JavaTimeModule and its defaults (an Instant as decimal
   * seconds).
   */
  public static final ObjectMapper JSON_MAPPER =
      new ObjectMapper(registryLikeJsonFactory())
          .registerModule(new JavaTimeModule())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /**
   * Like {@link #JSON_MAPPER} but writing an Instant as an ISO-8601 string, the generated codec's
   * wire form.
   */
  public static final ObjectMapper JSON_ISO_MAPPER =
      new ObjectMapper(registryLikeJsonFactory())
          .registerModule(new JavaTimeModule())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  /** Jackson databind over MessagePack (jackson-dataformat-msgpack), with JavaTimeModule. */
  public static final ObjectMapper MSGPACK_MAPPER =
      new ObjectMapper(new MessagePackFactory()).registerModule(new JavaTimeModule());

  /**
   * Jackson databind over MessagePack with jackson-dataformat-msgpack's TimestampExtensionModule,
   * which writes an Instant as the MessagePack timestamp extension: the same wire form the
   * generated codec uses, so the byte sizes are directly comparable.
   */
  public static final ObjectMapper MSGPACK_TS_MAPPER =
      new ObjectMapper(new MessagePackFactory()).registerModule(TimestampExtensionModule.INSTANCE);

  public static final ObjectWriter JSON_WRITER = JSON_MAPPER.writerFor(Sample.class);
  public static final ObjectReader JSON_READER = JSON_MAPPER.readerFor(Sample.class);
  public static final ObjectWriter JSON_ISO_WRITER = JSON_ISO_MAPPER.writerFor(Sample.class);
  public static final ObjectReader JSON_ISO_READER = JSON_ISO_MAPPER.readerFor(Sample.class);
  public static final ObjectWriter MSGPACK_WRITER = MSGPACK_MAPPER.writerFor(Sample.class);
  public static final ObjectReader MSGPACK_READER = MSGPACK_MAPPER.readerFor(Sample.class);
  public static final ObjectWriter MSGPACK_TS_WRITER = MSGPACK_TS_MAPPER.writerFor(Sample.class);
  public static final ObjectReader MSGPACK_TS_READER = MSGPACK_TS_MAPPER.readerFor(Sample.class);

  // ---- the registry, as the runtime calls it ----

  /** {@code JobRegistry.toMsgpack}, as {@code JobManager.dispatch} and checkpoints call it. */
  public static byte[] registryMsgpack(Sample s) {
    return REGISTRY.toMsgpack(s);
  }

  /** {@code JobRegistry.fromMsgpack}, as a worker calls it to run a claimed job. */
  public static Sample registryFromMsgpack(byte[] bytes) {
    return REGISTRY.fromMsgpack(NAME, bytes);
  }

  /** {@code JobRegistry.toJson}, as the job queries and the HTTP API call it. */
  public static String registryJson(Sample s) {
    return REGISTRY.toJson(s);
  }

  /** {@code JobRegistry.fromJson(String, String)}, as a dispatch by name calls it. */
  public static Sample registryFromJson(String json) {
    return REGISTRY.fromJson(NAME, json);
  }

  // ---- generated codec, MessagePack ----

  /** Encodes with a fresh {@code MessagePack.newDefaultBufferPacker()}. */
  public static byte[] generatedMsgpack(Sample s) {
    return generatedMsgpack(MessagePack.newDefaultBufferPacker(), s);
  }

  /**
   * A packer config with a 512-byte initial buffer instead of the default 8192 (the buffer still
   * grows as needed): a fresh packer per call then allocates far less.
   */
  public static final MessagePack.PackerConfig SMALL_PACKER =
      new MessagePack.PackerConfig().withBufferSize(512);

  /** Encodes into {@code packer}, which is cleared first (so a caller may reuse it). */
  public static byte[] generatedMsgpack(MessageBufferPacker packer, Sample s) {
    try {
      packer.clear();
      GENERATED.writeMsgpack(packer, s);
      return packer.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Decodes with a reused reader, reset onto {@code bytes}: what {@code JobRegistry} does (it keeps
   * one per thread), without the registry's version check and bookkeeping.
   */
  public static Sample generatedFromMsgpack(MsgpackReader reused, byte[] bytes) {
    try {
      reused.reset(bytes, MsgpackSupport.DEFAULT_MAX_LENGTH);
      return GENERATED.readMsgpack(reused);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Decodes with a new reader per call. */
  public static Sample generatedFromMsgpack(byte[] bytes) {
    try {
      return GENERATED.readMsgpack(new MsgpackReader(bytes));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---- hand-written reference codec, MessagePack ----

  public static byte[] handWrittenMsgpack(MessageBufferPacker packer, Sample s) {
    try {
      packer.clear();
      HandWrittenSampleCodec.INSTANCE.writeMsgpack(packer, s);
      return packer.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Decodes with {@link HandWrittenSampleCodec} on a reused reader. */
  public static Sample handWrittenFromMsgpack(MsgpackReader reused, byte[] bytes) {
    reused.reset(bytes, MsgpackSupport.DEFAULT_MAX_LENGTH);
    return HandWrittenSampleCodec.INSTANCE.readMsgpack(reused);
  }

  /**
   * Decodes with {@link HandWrittenSampleCodec#readMsgpackCore}, hand-written on msgpack-core's
   * reused {@code MessageUnpacker}: the ceiling before {@link MsgpackReader}.
   */
  public static Sample handWrittenFromMsgpackCore(MessageUnpacker reused, byte[] bytes) {
    try {
      reused.reset(new ArrayBufferInput(bytes));
      return HandWrittenSampleCodec.readMsgpackCore(reused);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---- generated codec, JSON (JsonWriter / JsonTextReader, without the registry) ----

  /** Encodes into {@code buffer} as UTF-8, which is reset first (so a caller may reuse it). */
  public static byte[] generatedJson(ByteArrayOutputStream buffer, Sample s) {
    try {
      buffer.reset();
      JsonWriter w = new JsonWriter(512);
      GENERATED.writeJson(w, s);
      buffer.write(w.take().getBytes(StandardCharsets.UTF_8));
      return buffer.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static byte[] generatedJson(Sample s) {
    return generatedJson(new ByteArrayOutputStream(512), s);
  }

  public static Sample generatedFromJson(byte[] bytes) {
    try {
      JsonTextReader in = new JsonTextReader(bytes.length);
      in.reset(new String(bytes, StandardCharsets.UTF_8));
      in.nextToken();
      return GENERATED.readJson(in, true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---- Jackson databind ----

  public static byte[] jacksonMsgpack(Sample s) {
    return write(MSGPACK_WRITER, s);
  }

  public static Sample jacksonFromMsgpack(byte[] bytes) {
    return read(MSGPACK_READER, bytes);
  }

  public static byte[] jacksonMsgpackTs(Sample s) {
    return write(MSGPACK_TS_WRITER, s);
  }

  public static Sample jacksonFromMsgpackTs(byte[] bytes) {
    return read(MSGPACK_TS_READER, bytes);
  }

  public static byte[] jacksonJson(Sample s) {
    return write(JSON_WRITER, s);
  }

  public static Sample jacksonFromJson(byte[] bytes) {
    return read(JSON_READER, bytes);
  }

  /** {@code ObjectWriter.writeValueAsString}, the String counterpart of {@code toJson}. */
  public static String jacksonJsonString(Sample s) {
    return writeString(JSON_WRITER, s);
  }

  /** {@code ObjectReader.readValue(String)}, the counterpart of {@code fromJson(name, String)}. */
  public static Sample jacksonFromJsonString(String json) {
    return readString(JSON_READER, json);
  }

  /** Like {@link #jacksonJsonString}, with the Instant as an ISO-8601 string. */
  public static String jacksonJsonIsoString(Sample s) {
    return writeString(JSON_ISO_WRITER, s);
  }

  /** Like {@link #jacksonFromJsonString}, with the Instant as an ISO-8601 string. */
  public static Sample jacksonFromJsonIsoString(String json) {
    return readString(JSON_ISO_READER, json);
  }

  private static String writeString(ObjectWriter w, Sample s) {
    try {
      return w.writeValueAsString(s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Sample readString(ObjectReader r, String json) {
    try {
      return r.readValue(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] write(ObjectWriter w, Sample s) {
    try {
      return w.writeValueAsBytes(s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Sample read(ObjectReader r, byte[] bytes) {
    try {
      return r.readValue(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
