package dev.jobkit.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL driver is optional: asking for PostgreSQL without it fails with one clear line.
 */
class PostgresDriverTest {
  @Test
  void driverOnTheClassPathPasses() {
    PostgresDriver.require(PostgresDriverTest.class.getClassLoader());
  }

  @Test
  void missingDriverNamesTheDependency() {
    // The platform loader sees the JDK only, as an application without the driver would.
    JobStorageException e =
        assertThrows(
            JobStorageException.class,
            () -> PostgresDriver.require(ClassLoader.getPlatformClassLoader()));
    assertTrue(e.getMessage().contains("org.postgresql:postgresql"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }

  /** A JVM whose class path lacks the driver opens a PostgreSQL manager: the one-line error. */
  @Test
  void builderReportsTheMissingDriver() throws Exception {
    String classPath =
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(entry -> !Path.of(entry).getFileName().toString().startsWith("postgresql-"))
            .collect(Collectors.joining(File.pathSeparator));
    assertTrue(
        classPath.length() < System.getProperty("java.class.path").length(),
        "the test class path should hold the driver's jar");
    Process p =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dorg.jooq.no-logo=true",
                    "-Dorg.jooq.no-tips=true",
                    "-cp",
                    classPath,
                    OpenWithoutDriver.class.getName()))
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.startsWith("JobStorageException: PostgreSQL was requested"), out);
    assertTrue(out.contains("org.postgresql:postgresql"), out);
  }

  /** Opens a PostgreSQL manager and prints how it failed. */
  public static final class OpenWithoutDriver {
    public static void main(String[] args) {
      try (JobManager m =
          JobManager.builder().postgres("jdbc:postgresql://localhost:1/none").noWorkers().open()) {
        System.out.println("opened " + m);
      } catch (JobStorageException e) {
        System.out.println("JobStorageException: " + e.getMessage());
      }
    }
  }
}
