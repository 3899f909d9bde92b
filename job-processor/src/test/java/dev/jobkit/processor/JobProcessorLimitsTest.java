package dev.jobkit.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** {@code @Job} concurrency and rate limits (#12 limits): each error, and what is generated. */
class JobProcessorLimitsTest {

  private static JavaFileObject source(String name, String annotation, String fields) {
    return JavaFileObjects.forSourceLines(
        "test." + name,
        "package test;",
        "import dev.jobkit.*;",
        "",
        annotation,
        "public class " + name + " implements JobHandler<Void> {",
        fields,
        "  public Void run(JobContext ctx) { return null; }",
        "}");
  }

  private static Compilation compile(JavaFileObject f) {
    return Compiler.javac().withProcessors(new JobProcessor()).compile(f);
  }

  private static void assertOneError(JavaFileObject f, String message, String line) {
    Compilation c = compile(f);
    assertThat(c).hadErrorContaining(message).inFile(f).onLineContaining(line);
    assertThat(c).hadErrorCount(1);
  }

  @Test
  void limitsAreGeneratedIntoTheRegistration() {
    JavaFileObject f =
        source(
            "Deploy",
            "@Job(name = \"deploy\", concurrency = 1, concurrencyKey = \"host\","
                + " rateLimit = \"10/1m burst 2\")",
            "  public String host; public int build;");
    Compilation c = compile(f);
    assertThat(c).succeededWithoutWarnings();
    assertThat(c)
        .generatedSourceFile("test.Deploy_Registration")
        .contentsAsUtf8String()
        .contains("public int concurrency() {\n    return 1;");
    assertThat(c)
        .generatedSourceFile("test.Deploy_Registration")
        .contentsAsUtf8String()
        .contains("public String concurrencyKey() {\n    return \"host\";");
    assertThat(c)
        .generatedSourceFile("test.Deploy_Registration")
        .contentsAsUtf8String()
        .contains("public String rateLimit() {\n    return \"10/1m burst 2\";");
  }

  @Test
  void aJobWithoutLimitsGetsNoLimitMethods() {
    Compilation c = compile(source("Plain", "@Job(name = \"plain\")", "  public String host;"));
    assertThat(c).succeededWithoutWarnings();
    assertThat(c)
        .generatedSourceFile("test.Plain_Registration")
        .contentsAsUtf8String()
        .doesNotContain("concurrency");
  }

  @Test
  void negativeConcurrency() {
    assertOneError(
        source("Neg", "@Job(name = \"neg\", concurrency = -1)", ""),
        String.format(Messages.INVALID_CONCURRENCY, -1),
        "concurrency = -1");
  }

  @Test
  void badRateLimitSyntax() {
    assertOneError(
        source("Fast", "@Job(name = \"fast\", rateLimit = \"ten per second\")", ""),
        String.format(Messages.INVALID_RATE_LIMIT, "ten per second"),
        "rateLimit =");
  }

  @Test
  void aZeroRateIsRejected() {
    assertOneError(
        source("Zero", "@Job(name = \"zero\", rateLimit = \"0/1s\")", ""),
        String.format(Messages.INVALID_RATE_LIMIT, "0/1s"),
        "rateLimit =");
  }

  @Test
  void unknownConcurrencyKey() {
    assertOneError(
        source(
            "Keyed",
            "@Job(name = \"keyed\", concurrency = 1, concurrencyKey = \"hots\")",
            "  public String host; public int port;"),
        String.format(Messages.UNKNOWN_CONCURRENCY_KEY, "Keyed", "hots", "host, port"),
        "concurrencyKey =");
  }

  @Test
  void aConcurrencyKeyWithoutALimit() {
    assertOneError(
        source(
            "Nolimit",
            "@Job(name = \"nolimit\", concurrencyKey = \"host\")",
            "  public String host;"),
        String.format(Messages.CONCURRENCY_KEY_WITHOUT_LIMIT, "Nolimit", "host"),
        "concurrencyKey =");
  }
}
