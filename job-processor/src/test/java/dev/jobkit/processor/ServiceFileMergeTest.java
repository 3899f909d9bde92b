package dev.jobkit.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The services file when the class output already holds one, as after an earlier incremental
 * compilation. compile-testing cannot pre-seed CLASS_OUTPUT, so this drives javac directly.
 */
class ServiceFileMergeTest {
  private static final String SERVICE_FILE = "META-INF/services/dev.jobkit.spi.JobRegistration";

  @TempDir Path tmp;

  @Test
  void existingEntriesAreKeptSortedAndDeduplicated() throws IOException {
    Path classes = tmp.resolve("classes");
    Path services = classes.resolve(SERVICE_FILE);
    Files.createDirectories(services.getParent());
    Files.writeString(
        services,
        "zzz.Later_Registration\n"
            + "# a comment, dropped\n"
            + "test.Greeting_Registration\n"
            + "\n"
            + "aaa.Earlier_Registration # trailing comment\n",
        UTF_8);

    List<Diagnostic<? extends JavaFileObject>> diagnostics =
        compile(classes, fixture("good/test/Greeting.java", "test/Greeting.java"));

    assertThat(diagnostics).isEmpty();
    assertThat(Files.readString(services, UTF_8))
        .isEqualTo(
            "aaa.Earlier_Registration\ntest.Greeting_Registration\nzzz.Later_Registration\n");
  }

  @Test
  void secondCompilationIntoTheSameOutputAddsItsRegistration() throws IOException {
    Path classes = tmp.resolve("classes");
    Files.createDirectories(classes);
    Path second = tmp.resolve("second/test/Farewell.java");
    Files.createDirectories(second.getParent());
    Files.writeString(
        second,
        String.join(
            "\n",
            "package test;",
            "import dev.jobkit.*;",
            "@Job(name = \"farewell\")",
            "public class Farewell implements JobHandler<Void> {",
            "  public String recipient;",
            "  @Override public Void run(JobContext ctx) { return null; }",
            "}",
            ""),
        UTF_8);

    assertThat(compile(classes, fixture("good/test/Greeting.java", "test/Greeting.java")))
        .isEmpty();
    assertThat(compile(classes, second)).isEmpty();

    assertThat(Files.readString(classes.resolve(SERVICE_FILE), UTF_8))
        .isEqualTo("test.Farewell_Registration\ntest.Greeting_Registration\n");
  }

  private Path fixture(String resource, String relative) throws IOException {
    Path target = tmp.resolve("src").resolve(relative);
    Files.createDirectories(target.getParent());
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(resource)) {
      assertThat(in).isNotNull();
      Files.copy(in, target);
    }
    return target;
  }

  /** Compiles {@code source} into {@code classes}, also on the class path, with a new processor. */
  private List<Diagnostic<? extends JavaFileObject>> compile(Path classes, Path source)
      throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    Path generated = Files.createDirectories(tmp.resolve("generated"));
    try (StandardJavaFileManager files =
        javac.getStandardFileManager(diagnostics, Locale.ROOT, UTF_8)) {
      files.setLocationFromPaths(StandardLocation.CLASS_OUTPUT, List.of(classes));
      files.setLocationFromPaths(StandardLocation.SOURCE_OUTPUT, List.of(generated));
      JavaCompiler.CompilationTask task =
          javac.getTask(
              null,
              files,
              diagnostics,
              List.of(
                  "-classpath",
                  System.getProperty("java.class.path") + File.pathSeparator + classes,
                  "-Xlint:all,-processing",
                  "-Werror"),
              null,
              files.getJavaFileObjects(source));
      task.setProcessors(List.of(new JobProcessor()));
      boolean ok = task.call();
      assertWithMessage("%s", diagnostics.getDiagnostics()).that(ok).isTrue();
    }
    return diagnostics.getDiagnostics();
  }
}
