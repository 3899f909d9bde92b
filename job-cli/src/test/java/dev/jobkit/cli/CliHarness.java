package dev.jobkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jobkit.runtime.JobInfo;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobState;
import dev.jobkit.runtime.testing.EmbeddedPostgresSupport;
import dev.jobkit.runtime.testing.TestDatabase;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.awaitility.Awaitility;

/** Runs the CLI in-process against one database, capturing its output. */
final class CliHarness {
  /** One run: exit code, stdout and stderr. */
  record Result(int code, String out, String err) {
    Result expect(int expected) {
      assertEquals(expected, code, () -> "exit code; stdout:\n" + out + "\nstderr:\n" + err);
      return this;
    }

    Result ok() {
      return expect(0);
    }

    String line() {
      return out.strip();
    }
  }

  /** The SQLite file, or null on PostgreSQL. */
  final Path db;

  /** The {@code --db} value: the SQLite file or the JDBC URL. */
  final String location;

  private final Supplier<JobManager.Builder> builders;
  final Map<String, String> env = new HashMap<>();
  boolean terminal;
  List<CliPlugin> plugins = List.of();

  /** Standard input of the next runs. */
  String stdin = "";

  CliHarness(Path db) {
    this.db = db;
    this.location = db.toString();
    this.builders = () -> JobManager.builder().database(db);
  }

  /**
   * A harness on {@code database}: on PostgreSQL, {@code --db} is its URL and the login is passed
   * as the CLI reads it, in {@code PGUSER} and {@code PGPASSWORD}.
   */
  CliHarness(TestDatabase database) {
    this.db =
        database.backend() == TestDatabase.Backend.SQLITE ? Path.of(database.location()) : null;
    this.location = database.location();
    this.builders = database::builder;
    if (db == null) {
      putIfNotNull(env, "PGUSER", EmbeddedPostgresSupport.user());
      putIfNotNull(env, "PGPASSWORD", EmbeddedPostgresSupport.password());
    }
  }

  static void putIfNotNull(Map<? super String, ? super String> map, String key, String value) {
    if (value != null) {
      map.put(key, value);
    }
  }

  /** A builder on the harness's database, with every other setting at its default. */
  JobManager.Builder builder() {
    return builders.get();
  }

  /** Runs {@code jobkit --db DB args...}. */
  Result run(String... args) {
    List<String> all = new ArrayList<>(List.of("--db", location));
    all.addAll(Arrays.asList(args));
    return raw(all.toArray(String[]::new));
  }

  /** Runs {@code jobkit args...} as given. */
  Result raw(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        new Jobkit(env, terminal, plugins)
            .stdin(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)))
            .run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }

  /** Submits and returns the id. */
  String submit(String name, String json, String... options) {
    List<String> args = new ArrayList<>(List.of("submit", name, "--json", json));
    args.addAll(Arrays.asList(options));
    return run(args.toArray(String[]::new)).ok().line();
  }

  /** A manager running workers on the database, polling fast. */
  JobManager workers() {
    return builder()
        .pollInterval(Duration.ofMillis(50))
        .workers("default", 2)
        .shutdownGrace(Duration.ofSeconds(2))
        .backoff(Duration.ofMillis(50), Duration.ofMillis(100))
        .open();
  }

  /** Waits until the job is in {@code state}. */
  static JobInfo await(JobManager jobs, String id, JobState state) {
    return Awaitility.await("job " + id + " to be " + state)
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> jobs.job(id).orElseThrow(), j -> j.state() == state);
  }
}
