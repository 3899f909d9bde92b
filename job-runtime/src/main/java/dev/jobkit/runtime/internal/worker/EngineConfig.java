package dev.jobkit.runtime.internal.worker;

import dev.jobkit.spi.ServiceResolver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of an {@link Engine}, validated by the public builder.
 *
 * @param dataRoot parent of each job's private data directory
 * @param workersPerQueue worker threads of each queue this engine runs
 * @param pollInterval how often idle claim loops look for jobs dispatched by other processes
 * @param leaseDuration how long a claim is held without renewal
 * @param progressInterval least time between two progress writes of one job
 * @param shutdownGrace how long {@code close} waits for running jobs to stop
 * @param backoffInitial delay before the first retry, before jitter
 * @param backoffMax cap of a retry delay, before jitter
 * @param autoCheckpointInterval least time between automatic checkpoints that {@code
 *     checkInterrupt()} takes for resumable jobs; zero turns them off
 * @param retention how this engine's workers apply automatic retention, or null for none
 * @param interceptors what wraps each attempt (#13 metrics and tracing)
 * @param jobServices where attempts get their jobs' {@code @Service} fields from (#13)
 */
public record EngineConfig(
    Path dataRoot,
    Map<String, Integer> workersPerQueue,
    Duration pollInterval,
    Duration leaseDuration,
    Duration progressInterval,
    Duration shutdownGrace,
    Duration backoffInitial,
    Duration backoffMax,
    Duration autoCheckpointInterval,
    RetentionTask.Settings retention,
    Interceptors interceptors,
    ServiceResolver jobServices) {

  /** Copies. */
  public EngineConfig {
    Objects.requireNonNull(dataRoot, "dataRoot");
    workersPerQueue = Map.copyOf(workersPerQueue);
    Objects.requireNonNull(interceptors, "interceptors");
    Objects.requireNonNull(jobServices, "jobServices");
  }

  /**
   * How often leases are renewed and control flags read: a third of the lease, at most the poll
   * interval.
   */
  Duration heartbeatInterval() {
    Duration third = leaseDuration.dividedBy(3);
    Duration d = third.compareTo(pollInterval) < 0 ? third : pollInterval;
    return d.toMillis() < 10 ? Duration.ofMillis(10) : d;
  }
}
