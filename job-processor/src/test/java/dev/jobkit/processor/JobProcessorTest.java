package dev.jobkit.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import dev.jobkit.spi.JobRegistration;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Successful compilations: warnings, service file, stable output, loading from a jar. */
class JobProcessorTest {
  private static final JavaFileObject COPY =
      JavaFileObjects.forSourceLines(
          "test.FileCopyJob",
          "package test;",
          "",
          "import dev.jobkit.*;",
          "import java.nio.file.Path;",
          "import java.time.*;",
          "import java.util.*;",
          "",
          "@Job(name = \"file_copy\", description = \"Copy files\", version = 2, timeout = \"PT30M\",",
          "    priority = Priority.HIGH)",
          "public class FileCopyJob implements JobHandler<FileCopyJob.Report> {",
          "  public record Report(int copied, Map<String, Long> sizes) {}",
          "  public static class Options { public boolean overwrite; public Duration wait; }",
          "  public List<Path> sources;",
          "  public Path destination;",
          "  public Options options;",
          "  public Optional<Instant> startedAt = Optional.empty();",
          "  public Map<Integer, List<Map<String, int[]>>> deep;",
          "  int nextIndex;",
          "  @Upgrade(from = 1) static void one(Map<String, Object> state) {}",
          "  public Report run(JobContext ctx) { return null; }",
          "}");
  private static final JavaFileObject SIMPLE =
      JavaFileObjects.forSourceLines(
          "other.Simple",
          "package other;",
          "import dev.jobkit.*;",
          "import java.util.List;",
          "public final class Simple {",
          "  @Job(name = \"simple\")",
          "  public record Params(String text) implements JobHandler<List<String>> {",
          "    public List<String> run(JobContext ctx) { return List.of(text); }",
          "  }",
          "}");

  private static Compilation compile() {
    return compile(COPY, SIMPLE);
  }

  private static Compilation compile(JavaFileObject... sources) {
    return Compiler.javac()
        .withProcessors(new JobProcessor())
        .withOptions("-Xlint:all,-processing", "-Werror")
        .compile(sources);
  }

  /**
   * A wire name is any string: the generated code's comments and method names use the Java field's
   * name instead, so that no wire name can end a comment early.
   */
  @Test
  void wireNamesThatAreNoIdentifiersCompile() {
    JavaFileObject odd =
        JavaFileObjects.forSourceLines(
            "test.Odd",
            "package test;",
            "import dev.jobkit.*;",
            "import java.util.*;",
            "@Job(name = \"odd\")",
            "public class Odd implements JobHandler<Void> {",
            "  @WireName(\"tags */ \\n \\u0001\") public List<String> tags;",
            "  @WireName(\"a \\\"b\\\" */\") public int a;",
            "  public Void run(JobContext ctx) { return null; }",
            "}");
    assertThat(compile(odd)).succeededWithoutWarnings();
  }

  @Test
  void richJobCompilesWithoutWarnings() {
    Compilation c = compile();
    assertThat(c).succeededWithoutWarnings();
    assertThat(c).generatedSourceFile("test.FileCopyJob_Codec").isNotNull();
    assertThat(c).generatedSourceFile("test.FileCopyJob_Options_Codec").isNotNull();
    assertThat(c).generatedSourceFile("test.FileCopyJob_Report_Codec").isNotNull();
    assertThat(c).generatedSourceFile("test.FileCopyJob_Registration").isNotNull();
    assertThat(c).generatedSourceFile("other.Simple_Params_Registration").isNotNull();
    assertThat(c)
        .generatedSourceFile("test.FileCopyJob_Codec")
        .contentsAsUtf8String()
        .contains("@Generated(\"dev.jobkit.processor.JobProcessor\")");
  }

  @Test
  void parameterSchemaHasDescriptionsDefaultsAndRequiredButNoState() throws IOException {
    JavaFileObject job =
        JavaFileObjects.forSourceLines(
            "test.Crawl",
            "package test;",
            "",
            "import static test.Crawl.Mode.FAST;",
            "",
            "import dev.jobkit.*;",
            "import java.lang.annotation.*;",
            "import java.net.URI;",
            "import java.time.Duration;",
            "import java.util.*;",
            "",
            "@Job(name = \"crawl\")",
            "public class Crawl implements JobHandler<Void> {",
            "  @Retention(RetentionPolicy.CLASS) @interface Nullable {}",
            "  public enum Mode { FAST, SLOW }",
            "  static final int PAGES = 100;",
            "  /**",
            "   * The first page: {@code http://host/}, see {@link #mode}.",
            "   *",
            "   * <p>Only its host is crawled.",
            "   */",
            "  public URI start;",
            "  /** Pages at most. */",
            "  public int maxPages = PAGES;",
            "  public long maxBytes = 10L * 1024 * 1024;",
            "  public double ratio = -0.5;",
            "  public String label = \"a\" + \"b\";",
            "  public Mode mode = FAST;",
            "  public Duration wait = Duration.ofSeconds(1);",
            "  public boolean verbose;",
            "  @Nullable public String proxy;",
            "  public Optional<String> agent;",
            "  @State List<URI> frontier;",
            "  @State int pages;",
            "  public Void run(JobContext ctx) { return null; }",
            "}");
    JavaFileObject record =
        JavaFileObjects.forSourceLines(
            "test.Ping",
            "package test;",
            "",
            "import dev.jobkit.*;",
            "",
            "/**",
            " * Pings a host.",
            " *",
            " * @param host the host to ping",
            " *     by name",
            " * @param count how often",
            " */",
            "@Job(name = \"ping\")",
            "public record Ping(String host, int count) implements JobHandler<Void> {",
            "  public Void run(JobContext ctx) { return null; }",
            "}");
    Compilation c =
        Compiler.javac()
            .withProcessors(new JobProcessor())
            .withOptions("-Xlint:all,-processing", "-Werror")
            .compile(job, record);
    assertThat(c).succeededWithoutWarnings();
    assertThat(schema(c, "test.Crawl_Registration"))
        .isEqualTo(
            "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"title\":\"crawl\","
                + "\"type\":\"object\",\"properties\":{"
                + "\"start\":{\"type\":\"string\",\"format\":\"uri\","
                + "\"description\":\"The first page: http://host/, see mode.\"},"
                + "\"maxPages\":{\"type\":\"integer\",\"minimum\":-2147483648,"
                + "\"maximum\":2147483647,\"description\":\"Pages at most.\",\"default\":100},"
                + "\"maxBytes\":{\"type\":\"integer\",\"default\":10485760},"
                + "\"ratio\":{\"type\":\"number\",\"default\":-0.5},"
                + "\"label\":{\"type\":\"string\",\"default\":\"ab\"},"
                + "\"mode\":{\"enum\":[\"FAST\",\"SLOW\"],\"default\":\"FAST\"},"
                + "\"wait\":{\"type\":\"string\",\"format\":\"duration\"},"
                + "\"verbose\":{\"type\":\"boolean\",\"default\":false},"
                + "\"proxy\":{\"type\":\"string\"},"
                + "\"agent\":{\"type\":\"string\"}},"
                + "\"required\":[\"start\"],\"additionalProperties\":false}");
    assertThat(schema(c, "test.Ping_Registration"))
        .isEqualTo(
            "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"title\":\"ping\","
                + "\"type\":\"object\",\"properties\":{"
                + "\"host\":{\"type\":\"string\",\"description\":\"the host to ping by name\"},"
                + "\"count\":{\"type\":\"integer\",\"minimum\":-2147483648,"
                + "\"maximum\":2147483647,\"description\":\"how often\",\"default\":0}},"
                + "\"required\":[\"host\"],\"additionalProperties\":false}");
  }

  /** The SCHEMA constant of a generated registration, unescaped. */
  private static String schema(Compilation c, String registration) throws IOException {
    String source =
        c.generatedSourceFile(registration).orElseThrow().getCharContent(true).toString();
    String prefix = "String SCHEMA = \"";
    int start = source.indexOf(prefix) + prefix.length();
    int end = source.indexOf("\";\n", start);
    return source.substring(start, end).replace("\\\"", "\"").replace("\\\\", "\\");
  }

  @Test
  void serviceFileListsEveryRegistrationSorted() {
    Compilation c = compile();
    assertThat(c)
        .generatedFile(
            StandardLocation.CLASS_OUTPUT, "", "META-INF/services/dev.jobkit.spi.JobRegistration")
        .contentsAsUtf8String()
        .isEqualTo("other.Simple_Params_Registration\ntest.FileCopyJob_Registration\n");
  }

  @Test
  void outputIsIdenticalAcrossCompilations() throws IOException {
    assertThat(sources(compile())).isEqualTo(sources(compile()));
  }

  private static TreeMap<String, String> sources(Compilation c) throws IOException {
    TreeMap<String, String> out = new TreeMap<>();
    for (JavaFileObject f : c.generatedSourceFiles()) {
      out.put(f.getName(), f.getCharContent(true).toString());
    }
    return out;
  }

  @Test
  void registrationsLoadThroughServiceLoaderFromAJar(@TempDir Path dir) throws Exception {
    Compilation c = compile();
    assertThat(c).succeeded();
    Path jar = dir.resolve("jobs.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      for (JavaFileObject f : c.generatedFiles()) {
        String path = f.toUri().getPath();
        String marker = "/" + StandardLocation.CLASS_OUTPUT.name() + "/";
        int at = path.indexOf(marker);
        if (at < 0) {
          continue;
        }
        out.putNextEntry(new JarEntry(path.substring(at + marker.length())));
        try (InputStream in = f.openInputStream()) {
          in.transferTo(out);
        }
        out.closeEntry();
      }
    }
    List<String> names = new ArrayList<>();
    List<String> outputs = new ArrayList<>();
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {jar.toUri().toURL()}, getClass().getClassLoader())) {
      for (JobRegistration<?, ?> r : ServiceLoader.load(JobRegistration.class, loader)) {
        names.add(r.name());
        outputs.add(r.outputType());
      }
    }
    assertThat(names).containsExactly("simple", "file_copy").inOrder();
    assertThat(outputs)
        .containsExactly("java.util.List<java.lang.String>", "test.FileCopyJob.Report")
        .inOrder();
  }

  @Test
  void serviceFileOfASingleNestedJobUsesTheGeneratedTopLevelName() {
    Compilation c = Compiler.javac().withProcessors(new JobProcessor()).compile(SIMPLE);
    assertThat(c)
        .generatedFile(
            StandardLocation.CLASS_OUTPUT, "", "META-INF/services/dev.jobkit.spi.JobRegistration")
        .contentsAsString(StandardCharsets.UTF_8)
        .isEqualTo("other.Simple_Params_Registration\n");
  }

  @Test
  void outputDoesNotDependOnSourceOrder() throws IOException {
    JavaFileObject greeting = JavaFileObjects.forResource("good/test/Greeting.java");
    JavaFileObject invoice = JavaFileObjects.forResource("good/test/Invoice.java");
    JavaFileObject shipment = JavaFileObjects.forResource("good/test/Shipment.java");
    JavaFileObject address = JavaFileObjects.forResource("good/shared/Address.java");
    Compilation forward = compile(greeting, invoice, shipment, address);
    Compilation backward = compile(address, shipment, invoice, greeting);
    assertThat(forward).succeededWithoutWarnings();
    assertThat(backward).succeededWithoutWarnings();

    TreeMap<String, String> expected = generatedText(forward);
    assertThat(expected)
        .containsEntry(
            "/CLASS_OUTPUT/META-INF/services/dev.jobkit.spi.JobRegistration",
            "test.Greeting_Registration\ntest.Invoice_Registration\ntest.Shipment_Registration\n");
    assertThat(expected).containsKey("/SOURCE_OUTPUT/shared/Address_Codec.java");
    assertThat(generatedText(backward)).isEqualTo(expected);
  }

  /** Every generated file except class files, by name. */
  private static TreeMap<String, String> generatedText(Compilation c) throws IOException {
    TreeMap<String, String> out = new TreeMap<>();
    for (JavaFileObject f : c.generatedFiles()) {
      if (f.getKind() != JavaFileObject.Kind.CLASS) {
        out.put(f.getName(), f.getCharContent(true).toString());
      }
    }
    return out;
  }

  @Test
  void jobUsingATypeGeneratedInALaterRoundIsDeferredNotReported() {
    JavaFileObject job =
        JavaFileObjects.forSourceLines(
            "test.UsesLater",
            "package test;",
            "import dev.jobkit.*;",
            "@Job(name = \"uses_later\")",
            "public class UsesLater implements JobHandler<Void> {",
            "  public Later later;",
            "  public Void run(JobContext ctx) { return null; }",
            "}");
    Compilation c =
        Compiler.javac()
            .withProcessors(new JobProcessor(), new GeneratesLater())
            .withOptions("-Xlint:all,-processing", "-Werror")
            .compile(job);
    assertThat(c).succeededWithoutWarnings();
    assertThat(c).generatedSourceFile("test.Later_Codec").isNotNull();
    assertThat(c).generatedSourceFile("test.UsesLater_Codec").isNotNull();
    assertThat(c).generatedSourceFile("test.UsesLater_Registration").isNotNull();
  }

  /** Generates {@code test.Later} in the first round, as another processor might. */
  private static final class GeneratesLater extends AbstractProcessor {
    private boolean done;

    @Override
    public Set<String> getSupportedAnnotationTypes() {
      return Set.of("*");
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
      return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
      if (!done) {
        done = true;
        try (Writer w = processingEnv.getFiler().createSourceFile("test.Later").openWriter()) {
          w.write("package test;\npublic record Later(String text) {}\n");
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return false;
    }
  }
}
