package dev.jobkit.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.Test;

/**
 * Golden tests: the generated source of a simple job is compared with files under {@code
 * src/test/resources/expected/}. Review diffs of those files like code.
 *
 * <p>To regenerate them after an intended change of the writers, point {@code GOLDEN_FILE_ROOT} at
 * the expected directory; the tests then write the files instead of comparing:
 *
 * <pre>
 * GOLDEN_FILE_ROOT=$PWD/job-processor/src/test/resources/expected \
 *     mvn -B -o verify -pl job-processor -Dtest=JobProcessorGoldenTest
 * </pre>
 */
class JobProcessorGoldenTest {
  private static final Optional<Path> GOLDEN_FILE_ROOT =
      Optional.ofNullable(System.getenv("GOLDEN_FILE_ROOT")).map(Path::of);

  @Test
  void greetingCodecAndRegistration() throws IOException {
    Compilation c =
        Compiler.javac()
            .withProcessors(new JobProcessor())
            // -processing: javac's "no processor claimed @Job" lint is about us returning false
            // (as we must), not about the generated code.
            .withOptions("-Xlint:all,-processing", "-Werror")
            .compile(JavaFileObjects.forResource("good/test/Greeting.java"));
    assertThat(c).succeededWithoutWarnings();
    assertGolden(c, "test.Greeting_Codec");
    assertGolden(c, "test.Greeting_Registration");
    assertThat(c)
        .generatedFile(
            StandardLocation.CLASS_OUTPUT, "", "META-INF/services/dev.jobkit.spi.JobRegistration")
        .contentsAsUtf8String()
        .isEqualTo("test.Greeting_Registration\n");
  }

  /**
   * A job with {@code @Service} fields: its registration lists them and sets them, and its codec
   * and schema leave them out.
   */
  @Test
  void servicesAreInjectedNotSaved() throws IOException {
    Compilation c =
        Compiler.javac()
            .withProcessors(new JobProcessor())
            .withOptions("-Xlint:all,-processing", "-Werror")
            .compile(JavaFileObjects.forResource("good/test/Welcome.java"));
    assertThat(c).succeededWithoutWarnings();
    assertGolden(c, "test.Welcome_Codec");
    assertGolden(c, "test.Welcome_Registration");
  }

  private static void assertGolden(Compilation c, String qualifiedName) throws IOException {
    String path = qualifiedName.replace('.', '/') + ".java";
    if (GOLDEN_FILE_ROOT.isPresent()) {
      JavaFileObject generated =
          c.generatedSourceFile(qualifiedName)
              .orElseThrow(() -> new AssertionError("not generated: " + qualifiedName));
      Path target = GOLDEN_FILE_ROOT.get().resolve(path);
      Files.createDirectories(target.getParent());
      Files.writeString(target, generated.getCharContent(false).toString(), StandardCharsets.UTF_8);
      return;
    }
    JavaFileObject expected = JavaFileObjects.forResource("expected/" + path);
    // hasSourceEquivalentTo parses with javac internals: job-processor/pom.xml opens them to
    // surefire with --add-exports.
    assertThat(c).generatedSourceFile(qualifiedName).hasSourceEquivalentTo(expected);
  }
}
