package dev.jobkit.bench;

import dev.jobkit.spi.MsgpackReader;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of encoding {@link Sample#create()} and decoding it back, through {@code JobRegistry}
 * exactly as the runtime calls it, beside Jackson databind, in MessagePack and JSON.
 *
 * <p>The goals of issue #17 are ratios of the {@code Registry} benchmarks to the {@code Jackson}
 * ones of the same format and direction: {@link CodecRatios} runs this class and prints them. Every
 * encode returns a fresh {@code byte[]} or {@code String} (what the runtime stores or sends), every
 * decode a fresh {@link Sample}. JSON is a {@code String} on both sides, as {@code
 * JobRegistry.fromJson(String, String)} and {@code toJson} take and give it.
 *
 * <p>The other benchmarks isolate causes: {@code Codec} drives the generated {@code Sample_Codec}
 * directly (reused packer or {@code MsgpackReader}, or for JSON a {@code byte[]}), so the
 * difference to {@code Registry} is what the registry adds; {@code CodecNewReader} makes a new
 * {@code MsgpackReader} per call; {@code HandWritten} is a ceiling for code on the same packer and
 * reader, {@code HandWrittenMsgpackCore} the ceiling for decoding with msgpack-core's {@code
 * MessageUnpacker}, which the codecs read from before; {@code JacksonTimestampExt} and {@code
 * JacksonIso} are Jackson with the generated codec's wire form for the Instant (the timestamp
 * extension, an ISO-8601 string) instead of its default decimal seconds.
 *
 * <p>Run: {@code java -jar job-benchmarks/target/benchmarks.jar CodecBenchmark}, or for the ratios
 * {@code java -cp job-benchmarks/target/benchmarks.jar dev.jobkit.bench.CodecRatios}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(3)
@State(Scope.Thread)
public class CodecBenchmark {

  private Sample sample;
  private MessageBufferPacker packer;
  private MsgpackReader reader;
  private MessageUnpacker unpacker;
  private ByteArrayOutputStream jsonBuffer;

  private byte[] generatedMsgpack;
  private byte[] jacksonMsgpack;
  private byte[] handWrittenMsgpack;
  private byte[] jacksonMsgpackTs;
  private byte[] generatedJsonBytes;
  private String generatedJson;
  private String jacksonJson;
  private String jacksonJsonIso;

  @Setup
  public void setUp() {
    sample = Sample.create();
    packer = MessagePack.newDefaultBufferPacker();
    reader = new MsgpackReader(new byte[0]);
    unpacker = MessagePack.newDefaultUnpacker(new byte[0]);
    jsonBuffer = new ByteArrayOutputStream(1024);
    generatedMsgpack = Codecs.registryMsgpack(sample);
    jacksonMsgpack = Codecs.jacksonMsgpack(sample);
    handWrittenMsgpack = Codecs.handWrittenMsgpack(MessagePack.newDefaultBufferPacker(), sample);
    jacksonMsgpackTs = Codecs.jacksonMsgpackTs(sample);
    generatedJson = Codecs.registryJson(sample);
    generatedJsonBytes = generatedJson.getBytes(StandardCharsets.UTF_8);
    jacksonJson = Codecs.jacksonJsonString(sample);
    jacksonJsonIso = Codecs.jacksonJsonIsoString(sample);
    // Compare like with like: every decoder must give back the object that was encoded.
    check(Codecs.registryFromMsgpack(generatedMsgpack), "registry msgpack");
    check(Codecs.generatedFromMsgpack(generatedMsgpack), "generated msgpack");
    check(Codecs.jacksonFromMsgpack(jacksonMsgpack), "jackson msgpack");
    check(
        Codecs.generatedFromMsgpack(reader, generatedMsgpack), "generated msgpack, reused reader");
    check(Codecs.handWrittenFromMsgpack(reader, handWrittenMsgpack), "hand-written msgpack");
    check(
        Codecs.handWrittenFromMsgpackCore(unpacker, handWrittenMsgpack),
        "hand-written msgpack on msgpack-core");
    check(Codecs.jacksonFromMsgpackTs(jacksonMsgpackTs), "jackson msgpack (timestamp ext)");
    check(Codecs.registryFromJson(generatedJson), "registry JSON");
    check(Codecs.generatedFromJson(generatedJsonBytes), "generated JSON");
    check(Codecs.jacksonFromJsonString(jacksonJson), "jackson JSON");
    check(Codecs.jacksonFromJsonIsoString(jacksonJsonIso), "jackson JSON (ISO instant)");
  }

  private void check(Sample decoded, String what) {
    if (!sample.equals(decoded)) {
      throw new IllegalStateException(what + " does not round-trip: " + decoded);
    }
  }

  // ---- MessagePack encode ----

  /** {@code JobRegistry.toMsgpack}, as dispatch and checkpoints call it. */
  @Benchmark
  public byte[] encodeMsgpackRegistry() {
    return Codecs.registryMsgpack(sample);
  }

  @Benchmark
  public byte[] encodeMsgpackJackson() {
    return Codecs.jacksonMsgpack(sample);
  }

  @Benchmark
  public byte[] encodeMsgpackJacksonTimestampExt() {
    return Codecs.jacksonMsgpackTs(sample);
  }

  @Benchmark
  public byte[] encodeMsgpackCodecReusedPacker() {
    return Codecs.generatedMsgpack(packer, sample);
  }

  /** Ceiling: {@link HandWrittenSampleCodec}, same wire form as the generated codec. */
  @Benchmark
  public byte[] encodeMsgpackHandWritten() {
    return Codecs.handWrittenMsgpack(packer, sample);
  }

  // ---- MessagePack decode ----

  /** {@code JobRegistry.fromMsgpack}, as a worker calls it for each job it runs. */
  @Benchmark
  public Sample decodeMsgpackRegistry() {
    return Codecs.registryFromMsgpack(generatedMsgpack);
  }

  @Benchmark
  public Sample decodeMsgpackJackson() {
    return Codecs.jacksonFromMsgpack(jacksonMsgpack);
  }

  @Benchmark
  public Sample decodeMsgpackJacksonTimestampExt() {
    return Codecs.jacksonFromMsgpackTs(jacksonMsgpackTs);
  }

  @Benchmark
  public Sample decodeMsgpackCodecReusedReader() {
    return Codecs.generatedFromMsgpack(reader, generatedMsgpack);
  }

  @Benchmark
  public Sample decodeMsgpackCodecNewReader() {
    return Codecs.generatedFromMsgpack(generatedMsgpack);
  }

  /** Ceiling, with a reused reader like {@code decodeMsgpackCodecReusedReader}. */
  @Benchmark
  public Sample decodeMsgpackHandWritten() {
    return Codecs.handWrittenFromMsgpack(reader, handWrittenMsgpack);
  }

  /** The ceiling before {@code MsgpackReader}: hand-written on msgpack-core's reused unpacker. */
  @Benchmark
  public Sample decodeMsgpackHandWrittenMsgpackCore() {
    return Codecs.handWrittenFromMsgpackCore(unpacker, handWrittenMsgpack);
  }

  // ---- JSON encode ----

  /** {@code JobRegistry.toJson}, as the job queries and the HTTP API call it. */
  @Benchmark
  public String encodeJsonRegistry() {
    return Codecs.registryJson(sample);
  }

  @Benchmark
  public String encodeJsonJackson() {
    return Codecs.jacksonJsonString(sample);
  }

  @Benchmark
  public String encodeJsonJacksonIso() {
    return Codecs.jacksonJsonIsoString(sample);
  }

  /** The generated codec into a reused byte buffer: the registry's String output left out. */
  @Benchmark
  public byte[] encodeJsonCodecBytes() {
    return Codecs.generatedJson(jsonBuffer, sample);
  }

  // ---- JSON decode ----

  /** {@code JobRegistry.fromJson(name, String)}, as a dispatch by name calls it. */
  @Benchmark
  public Sample decodeJsonRegistry() {
    return Codecs.registryFromJson(generatedJson);
  }

  @Benchmark
  public Sample decodeJsonJackson() {
    return Codecs.jacksonFromJsonString(jacksonJson);
  }

  @Benchmark
  public Sample decodeJsonJacksonIso() {
    return Codecs.jacksonFromJsonIsoString(jacksonJsonIso);
  }

  /** The generated codec over UTF-8 bytes, without the registry's checks. */
  @Benchmark
  public Sample decodeJsonCodecBytes() {
    return Codecs.generatedFromJson(generatedJsonBytes);
  }
}
