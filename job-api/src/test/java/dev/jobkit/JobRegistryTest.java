package dev.jobkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.spi.JobCodec;
import dev.jobkit.spi.JobRegistration;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Registry behaviour that does not need generated code; codec paths are tested in job-examples. */
class JobRegistryTest {

  static final class FirstJob implements JobHandler<Void> {
    @Override
    public Void run(JobContext ctx) {
      return null;
    }
  }

  static final class SecondJob implements JobHandler<Void> {
    @Override
    public Void run(JobContext ctx) {
      return null;
    }
  }

  @Test
  void twoClassesWithOneNameIsAnErrorNamingBoth() {
    JobRegistryException e =
        assertThrows(
            JobRegistryException.class,
            () ->
                JobRegistry.of(
                    List.of(stub("copy", FirstJob.class), stub("copy", SecondJob.class))));
    assertEquals(
        "two job classes use the name 'copy': dev.jobkit.JobRegistryTest$FirstJob and"
            + " dev.jobkit.JobRegistryTest$SecondJob. Job names must be unique on the class path;"
            + " rename one with @Job(name = ...) or remove the duplicate jar.",
        e.getMessage());
  }

  @Test
  void unknownNameListsTheKnownOnes() {
    JobRegistry registry =
        JobRegistry.of(List.of(stub("b", FirstJob.class), stub("a", SecondJob.class)));
    UnknownJobException e = assertThrows(UnknownJobException.class, () -> registry.schema("c"));
    assertEquals(
        "unknown job 'c': no @Job with that name is on the class path (known: a, b)",
        e.getMessage());
    assertEquals("c", e.jobName());
  }

  @Test
  void anUnregisteredJobClassSaysHowToRegisterIt() {
    JobRegistry registry = JobRegistry.of(List.of(stub("a", FirstJob.class)));
    UnknownJobException e =
        assertThrows(UnknownJobException.class, () -> registry.nameOf(new SecondJob()));
    assertEquals(
        "job class dev.jobkit.JobRegistryTest$SecondJob is not registered: annotate it with @Job"
            + " and compile it with job-processor on the annotation processor path (known: a)",
        e.getMessage());
    assertEquals("dev.jobkit.JobRegistryTest$SecondJob", e.jobName());
  }

  @Test
  void namesAreSortedAndLookupsWork() {
    JobRegistry registry =
        JobRegistry.of(List.of(stub("b", FirstJob.class), stub("a", SecondJob.class)));
    assertEquals(List.of("a", "b"), List.copyOf(registry.names()));
    assertTrue(registry.contains("a"));
    assertFalse(registry.contains("z"));
    assertEquals(SecondJob.class, registry.registration("a").jobClass());
    assertEquals("b", registry.registration(FirstJob.class).name());
    assertTrue(registry.find("z").isEmpty());
  }

  @Test
  void emptyClassPathLoadsAnEmptyRegistry() {
    JobRegistry registry = JobRegistry.load(new ClassLoader(null) {});
    assertTrue(registry.names().isEmpty());
  }

  @Test
  void decodeLimitsComeFromSystemPropertiesAndAreChecked() {
    List<JobRegistration<?, ?>> one = List.of(stub("a", FirstJob.class));
    assertEquals(16 * 1024 * 1024, JobRegistry.of(one).maxLength());
    assertEquals(16L * 1024 * 1024, JobRegistry.of(one).maxJsonBytes());
    try {
      System.setProperty(JobRegistry.MAX_LENGTH_PROPERTY, "1000");
      System.setProperty(JobRegistry.MAX_JSON_BYTES_PROPERTY, "2000");
      JobRegistry r = JobRegistry.of(one);
      assertEquals(1000, r.maxLength());
      assertEquals(2000, r.maxJsonBytes());
      assertEquals(5, r.withMaxLength(5).maxLength());
      assertEquals(2000, r.withMaxLength(5).maxJsonBytes());
      assertEquals(List.of("a"), List.copyOf(r.withMaxJsonBytes(7).names()));

      System.setProperty(JobRegistry.MAX_LENGTH_PROPERTY, "lots");
      JobRegistryException e = assertThrows(JobRegistryException.class, () -> JobRegistry.of(one));
      assertEquals(
          "system property jobkit.decode.maxLength must be a whole number from 1 to 2147483647,"
              + " got 'lots'; fix or remove it",
          e.getMessage());
    } finally {
      System.clearProperty(JobRegistry.MAX_LENGTH_PROPERTY);
      System.clearProperty(JobRegistry.MAX_JSON_BYTES_PROPERTY);
    }
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> JobRegistry.of(one).withMaxJsonBytes(0));
    assertEquals("maxJsonBytes must be at least 1, got 0", e.getMessage());
  }

  private static <J extends JobHandler<Void>> JobRegistration<J, Void> stub(
      String name, Class<J> type) {
    return new JobRegistration<>() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public String description() {
        return "";
      }

      @Override
      public Class<J> jobClass() {
        return type;
      }

      @Override
      public String outputType() {
        return "java.lang.Void";
      }

      @Override
      public int version() {
        return 1;
      }

      @Override
      public boolean resumable() {
        return true;
      }

      @Override
      public String queue() {
        return "default";
      }

      @Override
      public Priority priority() {
        return Priority.NORMAL;
      }

      @Override
      public int maxAttempts() {
        return 0;
      }

      @Override
      public Optional<Duration> timeout() {
        return Optional.empty();
      }

      @Override
      public String schema() {
        return "{}";
      }

      @Override
      public String outputSchema() {
        return "{}";
      }

      @Override
      public JobCodec<J> codec() {
        throw new UnsupportedOperationException("stub");
      }

      @Override
      public JobCodec<Void> outputCodec() {
        throw new UnsupportedOperationException("stub");
      }

      @Override
      public J newInstance() {
        throw new UnsupportedOperationException("stub");
      }

      @Override
      public void upgrade(int fromVersion, Map<String, Object> state) {
        throw new IllegalArgumentException("no upgrade from " + fromVersion);
      }
    };
  }
}
