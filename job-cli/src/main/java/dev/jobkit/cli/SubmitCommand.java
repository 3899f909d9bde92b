package dev.jobkit.cli;

import dev.jobkit.JobHandler;
import dev.jobkit.JobRegistry;
import dev.jobkit.Priority;
import dev.jobkit.runtime.DispatchOptions;
import dev.jobkit.runtime.JobHandle;
import dev.jobkit.runtime.JobInfo;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.OnParentFailure;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
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
      "The parameters are checked against the job's fields before anything is stored.",
      "Or submit a saved template: jobkit submit --template NAME [--set field=value ...]."
    })
final class SubmitCommand extends JobkitCommand {
  /** The most JSON text read for the parameters, from {@code --json-file} or standard input. */
  static final int MAX_JSON_BYTES = 8 << 20;

  /**
   * The largest parameters accepted, in MessagePack bytes as stored: the runtime's default {@code
   * maxParamBytes}, set explicitly on the CLI's managers so that both always agree.
   */
  static final int MAX_PARAM_BYTES = 1 << 20;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "NAME",
      description = "The job's registered name (see 'jobkit types'); not with --template.")
  String name;

  // #12 templates
  @Option(
      names = "--template",
      paramLabel = "TEMPLATE",
      description = "Submit a saved template (see 'jobkit templates') instead of NAME and --json.")
  String template;

  @Option(
      names = "--set",
      paramLabel = "FIELD=VALUE",
      description =
          "With --template: set a field (a dotted path such as target.port) to VALUE, read as"
              + " JSON when it is valid JSON, else as a string; repeatable.")
  List<String> sets = List.of();

  // end #12 templates

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

  @Option(
      names = "--queue",
      paramLabel = "QUEUE",
      converter = QueueNames.class,
      description = "The queue. Default: the job's.")
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

  // #12 dependencies
  @Option(
      names = "--depends-on",
      paramLabel = "ID[,ID...]",
      split = ",",
      description =
          "Wait for these jobs (ids or unique prefixes): the job is stored WAITING and queued once "
              + "they have all completed; repeatable.")
  List<String> dependsOn = List.of();

  @Option(
      names = "--on-parent-failure",
      paramLabel = "POLICY",
      converter = ParentFailureConverter.class,
      description =
          "What a parent's failure does to the job: cancel (default; its own children follow), "
              + "fail, or run-anyway.")
  OnParentFailure onParentFailure;

  /** Reads {@code cancel}, {@code fail} and {@code run-anyway}, in any case. */
  static final class ParentFailureConverter implements ITypeConverter<OnParentFailure> {
    @Override
    public OnParentFailure convert(String value) {
      try {
        return OnParentFailure.valueOf(
            value.strip().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(
            "invalid policy '" + value + "': use cancel, fail or run-anyway");
      }
    }
  }

  /** The options' parents, each id or prefix resolved to a stored job. */
  private DispatchOptions withParents(JobManager jobs, DispatchOptions.Builder o) {
    if (onParentFailure != null && dependsOn.isEmpty()) {
      throw new CliException(
          ExitCodes.USAGE, "--on-parent-failure needs --depends-on: name the jobs to wait for");
    }
    for (String idOrPrefix : dependsOn) {
      if (idOrPrefix.isBlank()) {
        throw new CliException(ExitCodes.USAGE, "--depends-on: an id is empty; remove the comma");
      }
      String s = idOrPrefix.strip();
      String parent =
          tenant()
              .map(t -> findInTenant(jobs, s, t)) // #14 tenants: parents of the same tenant
              .orElseGet(() -> jobs.findByPrefix(s))
              .orElseThrow(
                  () ->
                      new CliException(
                          ExitCodes.NOT_FOUND,
                          "--depends-on: no job with id or id prefix '"
                              + s
                              + "' in "
                              + jobkit.scopeForDisplay()))
              .id();
      o.dependsOn(parent, onParentFailure == null ? OnParentFailure.CANCEL : onParentFailure);
    }
    return o.build();
  }

  // end #12 dependencies

  // Not --json, which holds the parameters.
  @Option(
      names = "--print-json",
      description =
          "Print the new job as a JSON object (as 'status "
              + "--json' does) instead of only its id.")
  boolean printJson;

  @Override
  public Integer call() {
    // #12 templates
    Map<String, String> setMap = TemplateSubmit.check(name, template, params != null, sets);
    String json = template == null ? parameters() : null;
    if (json != null) {
      // Checked before the database is opened (or created), so bad input stores nothing.
      checkParameters(jobkit.registry(), json);
    }
    // end #12 templates
    DispatchOptions.Builder o = DispatchOptions.builder().createdBy(KeysCommand.ACTOR);
    tenant().ifPresent(o::tenant); // #14 tenants
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
    // #12 templates: a template is in the database, which must exist
    try (JobManager jobs = jobkit.openClient(template == null)) {
      DispatchOptions options = withParents(jobs, o); // #12 dependencies
      JobHandle<?> h =
          template == null
              ? jobs.dispatchByName(name, json, options)
              : TemplateSubmit.dispatch(jobkit, jobs, template, setMap, options);
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
      StatusCommand.printJson(out(), jobs, job);
    }
    return ExitCodes.OK;
  }

  /**
   * Decodes the parameters as the manager will, and refuses what it would refuse before the
   * database is opened: JSON that is not the job's parameters (a JSON {@code null} included), and
   * parameters over {@link #MAX_PARAM_BYTES}.
   */
  private void checkParameters(JobRegistry registry, String json) {
    JobHandler<?> job = registry.fromJson(name, json);
    int size = registry.toMsgpack(job).length;
    if (size > MAX_PARAM_BYTES) {
      throw new CliException(
          ExitCodes.BAD_INPUT,
          "bad job parameters: "
              + name
              + ": they take "
              + size
              + " bytes encoded, more than the limit of "
              + MAX_PARAM_BYTES
              + " bytes (1 MiB); pass large data by reference, such as a path or URL");
    }
  }

  private String parameters() {
    if (params == null) {
      return "{}";
    }
    if (params.json != null) {
      return params.json;
    }
    boolean stdin = params.file.equals("-");
    String where = "--json-file " + params.file + ": ";
    byte[] bytes;
    try (InputStream in = stdin ? jobkit.stdin() : Files.newInputStream(Path.of(params.file))) {
      // One byte more than the limit tells "too large" from "exactly the limit".
      bytes = in.readNBytes(MAX_JSON_BYTES + 1);
    } catch (NoSuchFileException e) {
      throw new CliException(ExitCodes.BAD_INPUT, where + "no such file");
    } catch (IOException e) {
      throw new CliException(ExitCodes.BAD_INPUT, where + "cannot read: " + e.getMessage(), e);
    }
    if (bytes.length > MAX_JSON_BYTES) {
      throw new CliException(
          ExitCodes.BAD_INPUT,
          where
              + (stdin ? "standard input has more than " : "more than ")
              + (MAX_JSON_BYTES >> 20)
              + " MiB ("
              + MAX_JSON_BYTES
              + " bytes), the most jobkit reads for job parameters;"
              + " pass large data by reference, such as a path or URL");
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new CliException(ExitCodes.BAD_INPUT, where + "not UTF-8 text; save it as UTF-8", e);
    }
    if (text.isBlank()) {
      throw new CliException(
          ExitCodes.BAD_INPUT,
          where
              + (stdin ? "standard input is empty" : "the file is empty")
              + "; for no parameters pass {}");
    }
    return text;
  }

  /** ISO-8601 instants, with {@code Z} or an offset, within {@link Durations#MAX} of now. */
  static final class InstantConverter implements ITypeConverter<Instant> {
    @Override
    public Instant convert(String value) {
      Instant at;
      try {
        at = OffsetDateTime.parse(value).toInstant();
      } catch (DateTimeParseException e) {
        throw new TypeConversionException(
            "invalid time '"
                + value
                + "': use ISO-8601 with a zone, such as 2026-11-23T10:00:00Z or 2026-11-23T11:00:00+01:00");
      }
      Instant now = Instant.now();
      if (at.isAfter(now.plus(Durations.MAX)) || at.isBefore(now.minus(Durations.MAX))) {
        throw new TypeConversionException(
            "time '" + value + "' is out of range: it must be within 100 years of now");
      }
      return at;
    }
  }
}
