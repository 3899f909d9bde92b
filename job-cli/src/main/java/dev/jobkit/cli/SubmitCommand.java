package dev.jobkit.cli;

import dev.jobkit.JobRegistry;
import dev.jobkit.Priority;
import dev.jobkit.runtime.DispatchOptions;
import dev.jobkit.runtime.JobHandle;
import dev.jobkit.runtime.JobInfo;
import dev.jobkit.runtime.JobManager;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/** {@code jobkit submit NAME --json '{...}'}: dispatches a job and prints its id. */
@Command(
    name = "submit",
    description = {
      "Submit a job by its registered name with JSON parameters, and print its id.",
      "The parameters are checked against the job's fields before anything is stored."
    })
final class SubmitCommand extends JobkitCommand {
  @Parameters(
      index = "0",
      paramLabel = "NAME",
      description = "The job's registered name (see 'jobkit types').")
  String name;

  @ArgGroup(exclusive = true)
  Params params;

  static final class Params {
    @Option(
        names = "--json",
        paramLabel = "JSON",
        required = true,
        description = "The parameters as a JSON object. Default: {}.")
    String json;

    @Option(
        names = "--json-file",
        paramLabel = "FILE",
        required = true,
        description = "Read the parameters from FILE ('-' for standard input).")
    String file;
  }

  @Option(
      names = "--priority",
      paramLabel = "PRIORITY",
      description = "LOW, NORMAL, HIGH or CRITICAL. Default: the job's.")
  Priority priority;

  @Option(names = "--queue", paramLabel = "QUEUE", description = "The queue. Default: the job's.")
  String queue;

  @ArgGroup(exclusive = true)
  When when;

  static final class When {
    @Option(
        names = "--delay",
        paramLabel = "DURATION",
        required = true,
        converter = Durations.class,
        description = "Run no earlier than this long from now, such as 10s or 5m.")
    Duration delay;

    @Option(
        names = "--at",
        paramLabel = "TIME",
        required = true,
        converter = InstantConverter.class,
        description = "Run no earlier than this ISO-8601 time, such as 2026-11-23T10:00:00Z.")
    Instant at;
  }

  @Option(names = "--tag", paramLabel = "TAG", description = "A tag for listing; repeatable.")
  List<String> tags = List.of();

  @Option(
      names = "--max-attempts",
      paramLabel = "N",
      description = "Attempts before the job fails for good.")
  Integer maxAttempts;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      converter = Durations.class,
      description = "Timeout of one attempt, such as 5m.")
  Duration timeout;

  @Option(
      names = "--key",
      paramLabel = "KEY",
      description =
          "Idempotency key: submitting again with the same key returns the first job's id.")
  String key;

  // Not --json, which holds the parameters.
  @Option(
      names = "--print-json",
      description =
          "Print the new job as a JSON object (as 'status "
              + "--json' does) instead of only its id.")
  boolean printJson;

  @Override
  public Integer call() {
    JobRegistry registry = jobkit.registry();
    String json = parameters();
    // Checked before the database is opened (or created), so bad input stores nothing.
    registry.fromJson(name, json);
    DispatchOptions.Builder o = DispatchOptions.builder();
    if (priority != null) {
      o.priority(priority);
    }
    if (queue != null) {
      o.queue(queue);
    }
    if (when != null && when.delay != null) {
      o.delay(when.delay);
    }
    if (when != null && when.at != null) {
      o.runAt(when.at);
    }
    o.tags(tags.toArray(String[]::new));
    if (maxAttempts != null) {
      o.maxAttempts(maxAttempts);
    }
    if (timeout != null) {
      o.timeout(timeout);
    }
    if (key != null) {
      o.idempotencyKey(key);
    }
    DispatchOptions options = o.build();
    try (JobManager jobs = jobkit.openClient(true)) {
      JobHandle<?> h = jobs.dispatchByName(name, json, options);
      if (!printJson) {
        out().println(h.id());
        return ExitCodes.OK;
      }
      // With --key, this may be an earlier job, in any state.
      JobInfo job =
          jobs.job(h.id())
              .orElseThrow(
                  () ->
                      new CliException(
                          ExitCodes.NOT_FOUND,
                          "job " + h.id() + " was deleted right after it was submitted"));
      Json.write(out(), false, g -> Json.job(g, job));
    }
    return ExitCodes.OK;
  }

  private String parameters() {
    if (params == null) {
      return "{}";
    }
    if (params.json != null) {
      return params.json;
    }
    String text;
    try {
      text =
          params.file.equals("-")
              ? new String(jobkit.stdin().readAllBytes(), StandardCharsets.UTF_8)
              : Files.readString(Path.of(params.file), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new CliException(ExitCodes.BAD_INPUT, "--json-file " + params.file + ": no such file");
    } catch (IOException e) {
      throw new CliException(
          ExitCodes.BAD_INPUT,
          "--json-file " + params.file + ": cannot read: " + e.getMessage(),
          e);
    }
    if (text.isBlank()) {
      throw new CliException(
          ExitCodes.BAD_INPUT,
          "--json-file "
              + params.file
              + ": "
              + (params.file.equals("-") ? "standard input is empty" : "the file is empty")
              + "; for no parameters pass {}");
    }
    return text;
  }

  /** ISO-8601 instants, with {@code Z} or an offset. */
  static final class InstantConverter implements ITypeConverter<Instant> {
    @Override
    public Instant convert(String value) {
      try {
        return OffsetDateTime.parse(value).toInstant();
      } catch (DateTimeParseException e) {
        throw new TypeConversionException(
            "invalid time '"
                + value
                + "': use ISO-8601 with a zone, such as 2026-11-23T10:00:00Z or 2026-11-23T11:00:00+01:00");
      }
    }
  }
}
