package dev.jobkit.bench;

import java.io.ByteArrayOutputStream;
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
 * Throughput of encoding {@link Sample#create()} to bytes and decoding it back, for the generated
 * {@code Sample_Codec} and for Jackson databind, in MessagePack and JSON.
 *
 * <p>Every encode returns a fresh {@code byte[]} (what the runtime stores), every decode a fresh
 * {@link Sample}. Jackson recycles its internal buffers between calls (BufferRecycler, and
 * jackson-dataformat-msgpack keeps its output buffer per thread), so the main generated-codec
 * benchmarks reuse one {@link MessageBufferPacker} / {@link ByteArrayOutputStream} per thread as
 * well; {@code encodeGeneratedMsgpackNewPacker} shows the cost of a fresh packer per call. For
 * decoding it is the other way round: {@code decodeGeneratedMsgpack} uses a fresh {@code
 * MessagePack.newDefaultUnpacker(bytes)} per call, as a simple caller would, while
 * jackson-dataformat-msgpack reuses one unpacker per thread; {@code
 * decodeGeneratedMsgpackReusedUnpacker} does the same. The {@code HandWritten} benchmarks (reused
 * packer/unpacker) are a ceiling for what generated code on msgpack-core can reach.
 *
 * <p>Run: {@code java -jar job-benchmarks/target/benchmarks.jar CodecBenchmark}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(2)
@State(Scope.Thread)
public class CodecBenchmark {

  private Sample sample;
  private MessageBufferPacker packer;
  private MessageUnpacker unpacker;
  private ByteArrayOutputStream jsonBuffer;

  private byte[] generatedMsgpack;
  private byte[] jacksonMsgpack;
  private byte[] handWrittenMsgpack;
  private byte[] jacksonMsgpackTs;
  private byte[] generatedJson;
  private byte[] jacksonJson;

  @Setup
  public void setUp() {
    sample = Sample.create();
    packer = MessagePack.newDefaultBufferPacker();
    unpacker = MessagePack.newDefaultUnpacker(new byte[0]);
    jsonBuffer = new ByteArrayOutputStream(1024);
    generatedMsgpack = Codecs.generatedMsgpack(sample);
    jacksonMsgpack = Codecs.jacksonMsgpack(sample);
    handWrittenMsgpack = Codecs.handWrittenMsgpack(MessagePack.newDefaultBufferPacker(), sample);
    jacksonMsgpackTs = Codecs.jacksonMsgpackTs(sample);
    generatedJson = Codecs.generatedJson(sample);
    jacksonJson = Codecs.jacksonJson(sample);
    // Compare like with like: every decoder must give back the object that was encoded.
    check(Codecs.generatedFromMsgpack(generatedMsgpack), "generated msgpack");
    check(Codecs.jacksonFromMsgpack(jacksonMsgpack), "jackson msgpack");
    check(
        Codecs.generatedFromMsgpack(unpacker, generatedMsgpack),
        "generated msgpack, reused unpacker");
    check(
        Codecs.generatedFromMsgpackSmallUnpacker(generatedMsgpack),
        "generated msgpack, small unpacker");
    check(Codecs.handWrittenFromMsgpack(unpacker, handWrittenMsgpack), "hand-written msgpack");
    check(Codecs.jacksonFromMsgpackTs(jacksonMsgpackTs), "jackson msgpack (timestamp ext)");
    check(Codecs.generatedFromJson(generatedJson), "generated JSON");
    check(Codecs.jacksonFromJson(jacksonJson), "jackson JSON");
  }

  private void check(Sample decoded, String what) {
    if (!sample.equals(decoded)) {
      throw new IllegalStateException(what + " does not round-trip: " + decoded);
    }
  }

  // ---- encode ----

  @Benchmark
  public byte[] encodeGeneratedMsgpack() {
    return Codecs.generatedMsgpack(packer, sample);
  }

  @Benchmark
  public byte[] encodeGeneratedMsgpackNewPacker() {
    return Codecs.generatedMsgpack(sample);
  }

  /** Reference ceiling: {@link HandWrittenSampleCodec}, same wire form as the generated codec. */
  @Benchmark
  public byte[] encodeHandWrittenMsgpack() {
    return Codecs.handWrittenMsgpack(packer, sample);
  }

  @Benchmark
  public byte[] encodeGeneratedMsgpackNewSmallPacker() {
    return Codecs.generatedMsgpack(Codecs.SMALL_PACKER.newBufferPacker(), sample);
  }

  @Benchmark
  public byte[] encodeJacksonMsgpack() {
    return Codecs.jacksonMsgpack(sample);
  }

  @Benchmark
  public byte[] encodeJacksonMsgpackTimestampExt() {
    return Codecs.jacksonMsgpackTs(sample);
  }

  @Benchmark
  public byte[] encodeGeneratedJson() {
    return Codecs.generatedJson(jsonBuffer, sample);
  }

  @Benchmark
  public byte[] encodeJacksonJson() {
    return Codecs.jacksonJson(sample);
  }

  // ---- decode ----

  @Benchmark
  public Sample decodeGeneratedMsgpack() {
    return Codecs.generatedFromMsgpack(generatedMsgpack);
  }

  @Benchmark
  public Sample decodeGeneratedMsgpackNewSmallUnpacker() {
    return Codecs.generatedFromMsgpackSmallUnpacker(generatedMsgpack);
  }

  @Benchmark
  public Sample decodeGeneratedMsgpackReusedUnpacker() {
    return Codecs.generatedFromMsgpack(unpacker, generatedMsgpack);
  }

  /**
   * Reference ceiling, with a reused unpacker like {@code decodeGeneratedMsgpackReusedUnpacker}.
   */
  @Benchmark
  public Sample decodeHandWrittenMsgpack() {
    return Codecs.handWrittenFromMsgpack(unpacker, handWrittenMsgpack);
  }

  @Benchmark
  public Sample decodeJacksonMsgpack() {
    return Codecs.jacksonFromMsgpack(jacksonMsgpack);
  }

  @Benchmark
  public Sample decodeJacksonMsgpackTimestampExt() {
    return Codecs.jacksonFromMsgpackTs(jacksonMsgpackTs);
  }

  @Benchmark
  public Sample decodeGeneratedJson() {
    return Codecs.generatedFromJson(generatedJson);
  }

  @Benchmark
  public Sample decodeJacksonJson() {
    return Codecs.jacksonFromJson(jacksonJson);
  }
}
