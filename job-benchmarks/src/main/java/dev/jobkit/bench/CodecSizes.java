package dev.jobkit.bench;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Prints the encoded size of {@link Sample#create()} in every format measured, and the ratios.
 *
 * <pre>java -cp job-benchmarks/target/benchmarks.jar dev.jobkit.bench.CodecSizes</pre>
 */
public final class CodecSizes {

  private CodecSizes() {}

  public static void main(String[] args) {
    Sample s = Sample.create();
    byte[] genMp = Codecs.generatedMsgpack(s);
    byte[] jacMp = Codecs.jacksonMsgpack(s);
    byte[] jacMpTs = Codecs.jacksonMsgpackTs(s);
    byte[] genJson = Codecs.generatedJson(s);
    byte[] jacJson = Codecs.jacksonJson(s);

    System.out.println("Encoded size of Sample.create() (10 fields, 20 tags, 5 counters):");
    row("generated msgpack", genMp.length, genMp.length);
    row("jackson msgpack (JavaTimeModule)", jacMp.length, genMp.length);
    row("jackson msgpack (TimestampExtensionModule)", jacMpTs.length, genMp.length);
    row("generated JSON", genJson.length, genMp.length);
    row("jackson JSON (JavaTimeModule)", jacJson.length, genMp.length);
    System.out.printf(
        Locale.ROOT,
        "generated msgpack / jackson msgpack        = %.3f%n",
        (double) genMp.length / jacMp.length);
    System.out.printf(
        Locale.ROOT,
        "generated msgpack / jackson msgpack (ts)   = %.3f%n",
        (double) genMp.length / jacMpTs.length);
    System.out.printf(
        Locale.ROOT,
        "generated msgpack / generated JSON         = %.3f%n",
        (double) genMp.length / genJson.length);
    System.out.printf(
        Locale.ROOT,
        "generated msgpack / jackson JSON           = %.3f%n",
        (double) genMp.length / jacJson.length);
    System.out.println();
    System.out.println("generated JSON: " + new String(genJson, StandardCharsets.UTF_8));
    System.out.println("jackson JSON:   " + new String(jacJson, StandardCharsets.UTF_8));
    System.out.println("generated msgpack: " + hex(genMp));
    System.out.println("jackson msgpack:   " + hex(jacMp));
  }

  private static void row(String name, int bytes, int base) {
    System.out.printf(
        Locale.ROOT,
        "  %-44s %5d bytes  (%.2fx generated msgpack)%n",
        name,
        bytes,
        (double) bytes / base);
  }

  private static String hex(byte[] b) {
    StringBuilder sb = new StringBuilder(b.length * 2);
    for (byte x : b) {
      sb.append(String.format("%02x", x & 0xff));
    }
    return sb.toString();
  }
}
