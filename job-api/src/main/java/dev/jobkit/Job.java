package dev.jobkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class as a jobkit job type.
 *
 * <p>The annotated class must implement {@link JobHandler}, be a top-level or static nested class
 * that is not private, abstract or generic, and have an accessible no-argument constructor (or be a
 * record). At compile time the jobkit annotation processor generates, next to the class, a {@code
 * <Job>_Codec} that reads and writes the job's state as MessagePack and JSON and a {@code
 * <Job>_Registration} that {@link JobRegistry#load()} finds through {@link
 * java.util.ServiceLoader}.
 *
 * <p>Every non-{@code transient}, non-static field is part of the job's state: its parameters (read
 * from JSON when a job is dispatched by name) and its progress (saved by checkpoints and restored
 * after a restart). See {@code docs/authoring-jobs.md} for the supported field types.
 *
 * <pre>{@code
 * @Job(name = "file_copy", description = "Copy files between locations")
 * public class FileCopyJob implements JobHandler<CopyReport> {
 *   public List<Path> sources;
 *   public Path destination;
 *   int nextIndex;
 *
 *   public CopyReport run(JobContext ctx) throws Exception { ... }
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Job {

  /**
   * The job's stable wire name, matching {@code [a-z][a-z0-9_.-]*}. Stored jobs refer to their type
   * by this name only, so a class may be renamed or moved to another package without breaking jobs
   * already saved. Must be unique among all jobs on the class path.
   */
  String name();

  /** A one-line, human-readable description shown by the CLI and the dashboard. */
  String description() default "";

  /**
   * The version of this job's state layout, starting at 1. Raise it when a change cannot be
   * expressed by adding or removing fields (a rename, a type change) and declare one {@link
   * Upgrade} step for each older version.
   */
  int version() default 1;

  /**
   * Whether an interrupted run resumes from the job's last checkpoint ({@code true}) or starts
   * again from the original parameters ({@code false}).
   */
  boolean resumable() default true;

  /** The queue this job runs on unless the dispatcher says otherwise. */
  String queue() default "default";

  /** The priority this job runs with unless the dispatcher says otherwise. */
  Priority priority() default Priority.NORMAL;

  /** How many times a failing run is attempted in all; {@code 0} means the runtime's default. */
  int maxAttempts() default 0;

  /**
   * The longest one attempt may run, as an ISO-8601 duration such as {@code "PT30M"}; empty means
   * no timeout unless the dispatcher sets one.
   */
  String timeout() default "";

  /**
   * Most jobs of this type running at once on all nodes together (#12 limits); {@code 0} means no
   * concurrency limit. With {@link #concurrencyKey()}, the limit applies to each value separately.
   */
  int concurrency() default 0;

  /**
   * The name of a top-level field whose value keys {@link #concurrency()} and {@link #rateLimit()}:
   * {@code @Job(concurrency = 1, concurrencyKey = "host")} allows one running job per host. Empty
   * means one limit for the whole type.
   */
  String concurrencyKey() default "";

  /**
   * Most starts of this type per period on all nodes together, as {@code "10/1s"}, {@code "100/5m"}
   * or {@code "10/1s burst 20"} (units ms, s, m, h, d; the burst defaults to the count); empty
   * means no rate limit.
   */
  String rateLimit() default "";
}
