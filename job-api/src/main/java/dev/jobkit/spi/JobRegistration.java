package dev.jobkit.spi;

import dev.jobkit.JobHandler;
import dev.jobkit.Priority;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the runtime needs to know about one job type. The annotation processor generates one
 * {@code <Job>_Registration} per {@link dev.jobkit.Job @Job} class and lists it in {@code
 * META-INF/services/dev.jobkit.spi.JobRegistration}; {@link dev.jobkit.JobRegistry#load()} finds it
 * with {@link java.util.ServiceLoader}.
 *
 * @param <J> the job class
 * @param <O> the job's output type
 */
public interface JobRegistration<J extends JobHandler<O>, O> {

  /** The job's stable wire name ({@link dev.jobkit.Job#name()}). */
  String name();

  /** The job's description, or empty. */
  String description();

  /** The job class. */
  Class<J> jobClass();

  /**
   * The output type as written in source, for display (for example {@code
   * java.util.List<java.lang.String>}).
   */
  String outputType();

  /** The current version of the job's state layout ({@link dev.jobkit.Job#version()}). */
  int version();

  /** Whether an interrupted run resumes from its last checkpoint. */
  boolean resumable();

  /** The default queue. */
  String queue();

  /** The default priority. */
  Priority priority();

  /** The default maximum number of attempts, or 0 for the runtime's default. */
  int maxAttempts();

  /** The default timeout of one attempt, if any. */
  Optional<Duration> timeout();

  /** A JSON Schema (draft 2020-12) of the job's parameters, generated at compile time. */
  String schema();

  /** A JSON Schema (draft 2020-12) of the job's output, generated at compile time. */
  String outputSchema();

  /** The codec of the job's state and parameters. */
  JobCodec<J> codec();

  /** The codec of the job's output. */
  JobCodec<O> outputCodec();

  /** A new job object with the values its constructor gives. */
  J newInstance();

  /**
   * Rewrites decoded state of version {@code fromVersion} into version {@code fromVersion + 1} in
   * place, by calling the job's {@link dev.jobkit.Upgrade @Upgrade} step.
   *
   * @throws IllegalArgumentException if the job declares no step from that version
   */
  void upgrade(int fromVersion, Map<String, Object> state);

  /**
   * The services the job needs: its {@link dev.jobkit.Service @Service} fields, in declaration
   * order. The runtime checks them against its {@link ServiceResolver} when a manager with workers
   * opens. Empty by default (registrations generated before services existed have none).
   */
  default List<ServiceRequirement> services() {
    return List.of();
  }

  /**
   * Sets the {@link dev.jobkit.Service @Service} fields of {@code job} from {@code services}; the
   * runtime calls it on the fresh job object of every attempt, before {@link
   * dev.jobkit.JobHandler#run}. Does nothing by default.
   *
   * @throws dev.jobkit.MissingServiceException if a service cannot be found
   */
  default void injectServices(J job, ServiceResolver services) {}

  /** {@code @Job(concurrency)}: most running jobs of this type at once, or 0 (#12 limits). */
  default int concurrency() {
    return 0;
  }

  /** {@code @Job(concurrencyKey)}: the field keying this type's limits, or empty (#12 limits). */
  default String concurrencyKey() {
    return "";
  }

  /** {@code @Job(rateLimit)}: this type's rate limit such as {@code "10/1s"}, or empty (#12). */
  default String rateLimit() {
    return "";
  }
}
