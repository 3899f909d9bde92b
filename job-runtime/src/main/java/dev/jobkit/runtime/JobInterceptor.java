package dev.jobkit.runtime;

import java.util.Map;

/**
 * Observes dispatches and wraps job attempts, for integrations such as metrics and tracing ({@code
 * job-micrometer}, {@code job-opentelemetry}; see docs/integration.md). Registered with {@link
 * JobManager.Builder#intercept}; every method has a default that does nothing, so an interceptor
 * implements only what it needs.
 *
 * <p>An exception thrown by an interceptor is logged and otherwise ignored: observing a job never
 * stops it from being dispatched or run.
 */
public interface JobInterceptor {

  /**
   * Called once when the manager that this interceptor is registered with has opened, before its
   * workers start: an interceptor that reads the manager (queue depths, for instance) keeps it.
   */
  default void opened(JobManager manager) {}

  /**
   * Called on the dispatching thread for each job about to be stored (by {@code dispatch*}, a
   * template, a graph or a copy; not for the jobs a schedule fires). The entries returned are
   * stored with the job as its trace context, merged over {@link DispatchedJob#traceContext()} and
   * over what earlier interceptors returned, and given back to {@link #around} with each attempt.
   * Keep it small (propagation headers such as W3C {@code traceparent}): it is one text column of
   * the job's row, at most 4096 characters.
   *
   * @return entries to store with the job; empty (the default) to add nothing
   */
  default Map<String, String> dispatching(DispatchedJob job) {
    return Map.of();
  }

  /**
   * Wraps one attempt of a job on the worker thread that runs it: call {@code attempt.proceed()}
   * exactly once; it runs the job and records its outcome, and returns that outcome (a job's own
   * exception is an outcome, never thrown). Interceptors nest in the order they were registered,
   * the first one outermost. Not called for a job that cannot be decoded (it is quarantined without
   * running).
   *
   * @return what {@code proceed} returned
   */
  default AttemptOutcome around(JobAttempt attempt, Proceed proceed) {
    return proceed.proceed();
  }

  /** The rest of an attempt: inner interceptors, then the job and the recording of its outcome. */
  @FunctionalInterface
  interface Proceed {
    /** Runs the rest of the attempt once; a second call returns the first one's outcome. */
    AttemptOutcome proceed();
  }
}
