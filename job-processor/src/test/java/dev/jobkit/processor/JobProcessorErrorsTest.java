package dev.jobkit.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** One test per processor error message. */
class JobProcessorErrorsTest {

  private static JavaFileObject source(String name, String... body) {
    String[] lines = new String[body.length + 11];
    lines[0] = "package test;";
    lines[1] = "import dev.jobkit.*;";
    lines[2] = "import java.util.*;";
    lines[3] = "import java.io.File;";
    lines[4] = "import java.nio.file.Path;";
    lines[5] = "";
    lines[6] = "";
    lines[7] = "";
    lines[8] = "";
    lines[9] = "";
    lines[10] = "";
    System.arraycopy(body, 0, lines, 11, body.length);
    return JavaFileObjects.forSourceLines("test." + name, lines);
  }

  private static Compilation compile(JavaFileObject... files) {
    return Compiler.javac().withProcessors(new JobProcessor()).compile(files);
  }

  private static void assertOneError(JavaFileObject f, String message, String line) {
    Compilation c = compile(f);
    assertThat(c).hadErrorContaining(message).inFile(f).onLineContaining(line);
    assertThat(c).hadErrorCount(1);
  }

  @Test
  void invalidName() {
    JavaFileObject f =
        source(
            "BadName",
            "@Job(",
            "    name = \"Bad Name\")",
            "public class BadName implements JobHandler<Void> {",
            "  public Void run(JobContext ctx) { return null; }",
            "}");
    assertOneError(f, String.format(Messages.INVALID_NAME, "Bad Name", "BadName"), "name = \"Bad");
  }

  @Test
  void duplicateNameIsReportedOnBoth() {
    JavaFileObject a =
        source(
            "A",
            "@Job(name = \"same\")",
            "public class A implements JobHandler<Void> {",
            "  public Void run(JobContext ctx) { return null; }",
            "}");
    JavaFileObject b =
        source(
            "B",
            "@Job(name = \"same\")",
            "public class B implements JobHandler<Void> {",
            "  public Void run(JobContext ctx) { return null; }",
            "}");
    Compilation c = compile(a, b);
    String msg = String.format(Messages.DUPLICATE_NAME, "same", "test.A", "test.B");
    assertThat(c).hadErrorContaining(msg).inFile(a).onLineContaining("class A");
    assertThat(c).hadErrorContaining(msg).inFile(b).onLineContaining("name = \"same\"");
    assertThat(c).hadErrorCount(2);
  }

  @Test
  void notAHandler() {
    JavaFileObject f = source("NotHandler", "@Job(name = \"x\")", "public class NotHandler {}");
    assertOneError(f, String.format(Messages.NOT_HANDLER, "NotHandler"), "class NotHandler");
  }

  @Test
  void abstractClass() {
    JavaFileObject f =
        source(
            "Abs",
            "@Job(name = \"x\")",
            "public abstract class Abs implements JobHandler<Void> {}");
    assertOneError(f, String.format(Messages.NOT_CONCRETE, "Abs", "abstract"), "class Abs");
  }

  @Test
  void interfaceJob() {
    JavaFileObject f =
        source("Iface", "@Job(name = \"x\")", "public interface Iface extends JobHandler<Void> {}");
    assertOneError(f, String.format(Messages.NOT_CONCRETE, "Iface", "an interface"), "Iface");
  }

  @Test
  void enumJob() {
    JavaFileObject f =
        source(
            "Mode",
            "@Job(name = \"x\")",
            "public enum Mode implements JobHandler<Void> {",
            "  ON;",
            "  public Void run(JobContext ctx) { return null; }",
            "}");
    assertOneError(f, String.format(Messages.NOT_CONCRETE, "Mode", "an enum"), "enum Mode");
  }

  @Test
  void innerClass() {
    JavaFileObject f =
        source(
            "Outer",
            "public class Outer {",
            "  @Job(name = \"x\")",
            "  public class Inner implements JobHandler<Void> {",
            "    public Void run(JobContext ctx) { return null; }",
            "  }",
            "}");
    assertOneError(f, String.format(Messages.INNER_CLASS, "@Job Inner"), "class Inner");
  }

  @Test
  void genericJob() {
    JavaFileObject f =
        source(
            "Gen",
            "@Job(name = \"x\")",
            "public class Gen<T> implements JobHandler<Void> {",
            "  public Void run(JobContext ctx) { return null; }",
            "}");
    assertOneError(f, String.format(Messages.GENERIC, "Gen"), "class Gen");
  }

  @Test
  void noConstructor() {
    JavaFileObject f =
        source(
            "NoCtor",
            "@Job(name = \"x\")",
            "public class NoCtor implements JobHandler<Void> {",
            "  public NoCtor(int x) {}",
            "  public Void run(JobContext ctx) { return null; }",
            "}");
    assertOneError(f, String.format(Messages.NO_CONSTRUCTOR, "@Job NoCtor"), "class NoCtor");
  }

  @Test
  void privateClass() {
    JavaFileObject f =
        source(
            "Holder",
            "public class Holder {",
            "  @Job(name = \"x\")",
            "  private static class Hidden implements JobHandler<Void> {",
            "    Hidden() {}",
            "    public Void run(JobContext ctx) { return null; }",
            "  }",
            "}");
    assertOneError(f, String.format(Messages.PRIVATE_CLASS, "@Job Hidden"), "class Hidden");
  }

  @Test
  void privateFieldWithoutAccessors() {
    JavaFileObject f =
        source(
            "PrivField",
            "@Job(name = \"x\")",
            "public class PrivField implements JobHandler<Void> {",
            "  private String secret;",
            "  public Void run(JobContext ctx) { return null; }",
            "}");
    assertOneError(
        f,
        String.format(Messages.PRIVATE_FIELD, "secret", "PrivField", "Secret", "Secret"),
        "private String secret");
  }

  @Test
  void finalField() {
    JavaFileObject f =
        source(
            "FinalField",
            "@Job(name = \"x\")",
            "public class FinalField implements JobHandler<Void> {",
            "  public final String fixed = \"a\";",
            "  public Void run(JobContext ctx) { return null; }",
            "}");
    assertOneError(f, String.format(Messages.FINAL_FIELD, "fixed", "FinalField"), "String fixed");
  }

  @Test
  void unsupportedField() {
    JavaFileObject f =
        source(
            "FileCopyJob",
            "@Job(name = \"file_copy\")",
            "public class FileCopyJob implements JobHandler<Void> {",
            "  public File source;",
            "  public Void run(JobContext ctx) { return null; }",
            "}");
    assertOneError(
        f,
        "[JobUnsupportedField] Field 'source' of @Job FileCopyJob has type java.io.File, which has"
            + " no codec. Use String or java.nio.file.Path, or mark the field transient.",
        "File source");
  }

  @Test
  void unsupportedFieldInsideNestedRecord() {
    JavaFileObject f =
        source(
            "NestedBad",
            "@Job(name = \"x\")",
            "public class NestedBad implements JobHandler<Void> {",
            "  public record Where(File file) {}",
            "  public List<Where> places;",
            "  public Void run(JobContext ctx) { return null; }",
            "}");
    assertOneError(
        f,
        String.format(
            Messages.UNSUPPORTED_FIELD,
            "places.file",
            "NestedBad",
            "java.io.File",
            "String or java.nio.file.Path"),
        "List<Where> places");
  }

  @Test
  void unsupportedMapKey() {
    JavaFileObject f =
        source(
            "MapKey",
            "@Job(name = \"x\")",
            "public class MapKey implements JobHandler<Void> {",
            "  public Map<Path, String> byPath;",
            "  public Void run(JobContext ctx) { return null; }",
            "}");
    assertOneError(
        f,
        String.format(Messages.UNSUPPORTED_MAP_KEY, "byPath", "MapKey", "java.nio.file.Path"),
        "byPath");
  }

  @Test
  void unsupportedOutput() {
    JavaFileObject f =
        source(
            "BadOut",
            "@Job(name = \"x\")",
            "public class BadOut implements JobHandler<Object> {",
            "  public Object run(JobContext ctx) { return null; }",
            "}");
    assertOneError(
        f,
        String.format(Messages.UNSUPPORTED_OUTPUT, "BadOut", "java.lang.Object"),
        "class BadOut");
  }

  @Test
  void invalidVersion() {
    JavaFileObject f =
        source(
            "V0",
            "@Job(name = \"x\",",
            "    version = 0)",
            "public class V0 implements JobHandler<Void> {",
            "  public Void run(JobContext ctx) { return null; }",
            "}");
    assertOneError(f, String.format(Messages.INVALID_VERSION, "V0", 0), "version = 0");
  }

  @Test
  void upgradeMissing() {
    JavaFileObject f =
        source(
            "Gap",
            "@Job(name = \"x\",",
            "    version = 3)",
            "public class Gap implements JobHandler<Void> {",
            "  @Upgrade(from = 1) static void one(Map<String, Object> s) {}",
            "  public Void run(JobContext ctx) { return null; }",
            "}");
    assertOneError(f, String.format(Messages.UPGRADE_MISSING, "Gap", 3, 2, 2), "version = 3");
  }

  @Test
  void upgradeDuplicate() {
    JavaFileObject f =
        source(
            "Dup",
            "@Job(name = \"x\", version = 2)",
            "public class Dup implements JobHandler<Void> {",
            "  @Upgrade(from = 1) static void one(Map<String, Object> s) {}",
            "  @Upgrade(from = 1) static void again(Map<String, Object> s) {}",
            "  public Void run(JobContext ctx) { return null; }",
            "}");
    assertOneError(f, String.format(Messages.UPGRADE_DUPLICATE, "Dup", 1), "void again");
  }

  @Test
  void upgradeOutOfRange() {
    JavaFileObject f =
        source(
            "Range",
            "@Job(name = \"x\", version = 2)",
            "public class Range implements JobHandler<Void> {",
            "  @Upgrade(from = 1) static void one(Map<String, Object> s) {}",
            "  @Upgrade(from = 2) static void two(Map<String, Object> s) {}",
            "  public Void run(JobContext ctx) { return null; }",
            "}");
    assertOneError(f, String.format(Messages.UPGRADE_RANGE, 2, "Range", 2, 1), "void two");
  }

  @Test
  void upgradeSignature() {
    JavaFileObject f =
        source(
            "Sig",
            "@Job(name = \"x\", version = 2)",
            "public class Sig implements JobHandler<Void> {",
            "  @Upgrade(from = 1) void one(Map<String, String> s) {}",
            "  public Void run(JobContext ctx) { return null; }",
            "}");
    assertOneError(f, String.format(Messages.UPGRADE_SIGNATURE, "one"), "void one");
  }

  @Test
  void upgradeOutsideJob() {
    JavaFileObject f =
        source(
            "Stray",
            "public class Stray {",
            "  @Upgrade(from = 1) static void one(Map<String, Object> s) {}",
            "}");
    assertOneError(f, String.format(Messages.UPGRADE_OUTSIDE_JOB, "one"), "void one");
  }

  @Test
  void invalidTimeout() {
    JavaFileObject f =
        source(
            "Slow",
            "@Job(name = \"x\",",
            "    timeout = \"30 minutes\")",
            "public class Slow implements JobHandler<Void> {",
            "  public Void run(JobContext ctx) { return null; }",
            "}");
    assertOneError(f, String.format(Messages.INVALID_TIMEOUT, "30 minutes"), "timeout =");
  }

  @Test
  void invalidMaxAttempts() {
    JavaFileObject f =
        source(
            "Attempts",
            "@Job(name = \"x\",",
            "    maxAttempts = -1)",
            "public class Attempts implements JobHandler<Void> {",
            "  public Void run(JobContext ctx) { return null; }",
            "}");
    assertOneError(f, String.format(Messages.INVALID_MAX_ATTEMPTS, -1), "maxAttempts =");
  }

  @Test
  void invalidWireName() {
    JavaFileObject f =
        source(
            "Wire",
            "@Job(name = \"x\")",
            "public class Wire implements JobHandler<Void> {",
            "  @WireName(\"@version\") public int v;",
            "  public Void run(JobContext ctx) { return null; }",
            "}");
    assertOneError(f, String.format(Messages.INVALID_WIRE_NAME, "@version", "v"), "public int v");
  }

  @Test
  void duplicateWireName() {
    JavaFileObject f =
        source(
            "Wire2",
            "@Job(name = \"x\")",
            "public class Wire2 implements JobHandler<Void> {",
            "  public int a;",
            "  @WireName(\"a\") public int b;",
            "  public Void run(JobContext ctx) { return null; }",
            "}");
    assertOneError(
        f, String.format(Messages.DUPLICATE_WIRE_NAME, "a", "Wire2", "a", "b"), "public int b");
  }

  @Test
  void stateOnAStaticField() {
    JavaFileObject f =
        source(
            "StaticState",
            "@Job(name = \"x\")",
            "public class StaticState implements JobHandler<Void> {",
            "  @State static int counter;",
            "  public Void run(JobContext ctx) { return null; }",
            "}");
    assertOneError(
        f, String.format(Messages.STATE_STATIC, "counter", "StaticState"), "static int counter");
  }

  @Test
  void stateOnATransientField() {
    JavaFileObject f =
        source(
            "TransientState",
            "@Job(name = \"x\")",
            "public class TransientState implements JobHandler<Void> {",
            "  @State transient int done;",
            "  public Void run(JobContext ctx) { return null; }",
            "}");
    assertOneError(
        f, String.format(Messages.STATE_TRANSIENT, "done", "TransientState"), "transient int done");
  }

  @Test
  void stateOnAComponentOfARecordJob() {
    JavaFileObject f =
        source(
            "RecordState",
            "@Job(name = \"x\")",
            "public record RecordState(",
            "    String name,",
            "    @State int done) implements JobHandler<Void> {",
            "  public Void run(JobContext ctx) { return null; }",
            "}");
    assertOneError(f, String.format(Messages.STATE_IN_RECORD, "done", "RecordState"), "int done");
  }

  @Test
  void stateOnAFieldOfANestedType() {
    JavaFileObject f =
        source(
            "NestedState",
            "@Job(name = \"x\")",
            "public class NestedState implements JobHandler<Void> {",
            "  public static class Window { public int size; @State public int position; }",
            "  public Window window;",
            "  public Void run(JobContext ctx) { return null; }",
            "}");
    assertOneError(
        f,
        String.format(Messages.STATE_OUTSIDE_JOB, "position", "Window", "Window"),
        "class Window");
  }

  @Test
  void stateOnARecordComponentOutsideAJobIsReportedOnce() {
    JavaFileObject f = source("Cursor", "public record Cursor(", "    @State int offset) {}");
    assertOneError(
        f, String.format(Messages.STATE_OUTSIDE_JOB, "offset", "Cursor", "Cursor"), "int offset");
  }

  // ---------------------------------------------------------------- @Service

  /** A job {@code name} whose body is {@code field} plus a run method. */
  private static JavaFileObject serviceJob(String name, String field) {
    return source(
        name,
        "@Job(name = \"x\")",
        "public class " + name + " implements JobHandler<Void> {",
        field,
        "  public Void run(JobContext ctx) { return null; }",
        "}");
  }

  @Test
  void serviceThatIsNotTransient() {
    JavaFileObject f = serviceJob("Mail", "  @Service java.util.concurrent.Executor executor;");
    assertOneError(
        f,
        String.format(Messages.SERVICE_NOT_TRANSIENT, "executor", "Mail", "Executor", "executor"),
        "Executor executor");
  }

  @Test
  void serviceOnAStaticField() {
    JavaFileObject f =
        serviceJob("Mail", "  @Service static transient java.util.concurrent.Executor executor;");
    assertOneError(
        f, String.format(Messages.SERVICE_STATIC, "executor", "Mail"), "Executor executor");
  }

  @Test
  void serviceOnAFinalField() {
    JavaFileObject f =
        serviceJob(
            "Mail", "  @Service final transient java.util.concurrent.Executor executor = null;");
    assertOneError(
        f, String.format(Messages.SERVICE_FINAL, "executor", "Mail"), "Executor executor");
  }

  @Test
  void serviceOnAPrivateField() {
    JavaFileObject f =
        serviceJob("Mail", "  @Service private transient java.util.concurrent.Executor executor;");
    assertOneError(
        f, String.format(Messages.SERVICE_PRIVATE, "executor", "Mail"), "Executor executor");
  }

  @Test
  void serviceThatIsAlsoState() {
    JavaFileObject f =
        serviceJob("Mail", "  @Service @State transient java.util.concurrent.Executor executor;");
    assertOneError(
        f, String.format(Messages.SERVICE_STATE, "executor", "Mail"), "Executor executor");
  }

  @Test
  void serviceOfAPrimitiveType() {
    JavaFileObject f = serviceJob("Mail", "  @Service transient int port;");
    assertOneError(
        f,
        String.format(Messages.SERVICE_TYPE, "port", "Mail", "int", "it is a primitive type"),
        "int port");
  }

  @Test
  void serviceOfAGenericType() {
    JavaFileObject f = serviceJob("Mail", "  @Service transient List<String> names;");
    assertOneError(
        f,
        String.format(
            Messages.SERVICE_TYPE,
            "names",
            "Mail",
            "java.util.List<java.lang.String>",
            "its type arguments are lost at run time, so services of different arguments cannot"
                + " be told apart"),
        "List<String> names");
  }

  @Test
  void serviceOfAnArrayType() {
    JavaFileObject f = serviceJob("Mail", "  @Service transient String[] names;");
    assertOneError(
        f,
        String.format(
            Messages.SERVICE_TYPE, "names", "Mail", "java.lang.String[]", "it is an array"),
        "String[] names");
  }

  @Test
  void serviceOnAComponentOfARecordJob() {
    JavaFileObject f =
        source(
            "RecordMail",
            "@Job(name = \"x\")",
            "public record RecordMail(",
            "    String to,",
            "    @Service java.util.concurrent.Executor executor) implements JobHandler<Void> {",
            "  public Void run(JobContext ctx) { return null; }",
            "}");
    assertOneError(
        f,
        String.format(Messages.SERVICE_IN_RECORD, "executor", "RecordMail"),
        "Executor executor");
  }

  @Test
  void serviceOutsideAJob() {
    JavaFileObject f =
        source(
            "Helper",
            "public class Helper {",
            "  @Service transient java.util.concurrent.Executor executor;",
            "}");
    assertOneError(
        f,
        String.format(Messages.SERVICE_OUTSIDE_JOB, "executor", "Helper", "Helper"),
        "Executor executor");
  }

  /** Every problem of a job's services is reported, each on its own field. */
  @Test
  void everyServiceProblemIsReported() {
    JavaFileObject f =
        serviceJob(
            "Mail",
            "  @Service java.util.concurrent.Executor executor;\n  @Service transient int port;");
    Compilation c = compile(f);
    assertThat(c)
        .hadErrorContaining("[JobServiceNotTransient]")
        .inFile(f)
        .onLineContaining("executor");
    assertThat(c).hadErrorContaining("[JobServiceType]").inFile(f).onLineContaining("int port");
    assertThat(c).hadErrorCount(2);
  }

  @Test
  void unresolvedFieldType() {
    JavaFileObject f =
        source(
            "UsesMissing",
            "@Job(name = \"x\")",
            "public class UsesMissing implements JobHandler<Void> {",
            "  public Missing thing;",
            "  public Void run(JobContext ctx) { return null; }",
            "}");
    Compilation c = compile(f);
    // javac's own error for the missing class, plus ours on the job once processing is over.
    assertThat(c)
        .hadErrorContaining("cannot find symbol")
        .inFile(f)
        .onLineContaining("Missing thing");
    assertThat(c)
        .hadErrorContaining(String.format(Messages.UNRESOLVED_TYPE, "UsesMissing"))
        .inFile(f)
        .onLineContaining("class UsesMissing");
    assertThat(c).hadErrorCount(2);
  }

  @Test
  void unresolvedOutputTypeDoesNotCrash() {
    JavaFileObject f =
        source(
            "MissingOut",
            "@Job(name = \"x\")",
            "public class MissingOut implements JobHandler<Missing> {",
            "  public Missing run(JobContext ctx) { return null; }",
            "}");
    Compilation c = compile(f);
    assertThat(c)
        .hadErrorContaining(String.format(Messages.UNRESOLVED_TYPE, "MissingOut"))
        .inFile(f)
        .onLineContaining("class MissingOut");
    assertThat(c).hadErrorCount(3);
    for (Diagnostic<? extends JavaFileObject> d : c.errors()) {
      assertThat(d.getMessage(Locale.ROOT)).doesNotContain("[JobProcessorCrash]");
    }
  }

  @Test
  void severalProblemsAreAllReported() {
    JavaFileObject f =
        source(
            "Many",
            "@Job(name = \"Many\", maxAttempts = -2)",
            "public class Many implements JobHandler<Void> {",
            "  public File one;",
            "  public final int two = 2;",
            "  public Void run(JobContext ctx) { return null; }",
            "}");
    assertThat(compile(f)).hadErrorCount(4);
  }
}
