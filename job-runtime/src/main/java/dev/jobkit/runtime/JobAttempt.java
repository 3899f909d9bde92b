package dev.jobkit.runtime;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One attempt of a job, as {@link JobInterceptor#around} sees it. Read it on the worker thread that
 * runs the attempt.
 */
public interface JobAttempt {

  /** The job's id. */
  String id();

  /** The job's registered name. */
  String name();

  /** The queue whose worker runs it. */
  String queue();

  /**
   * The tenant the job belongs to (#14 tenants; {@link Tenants#DEFAULT} when dispatched without).
   */
  String tenant();

  /** This attempt's number, from 1: greater than 1 for a retry or a run after recovery. */
  int attempt();

  /** The attempts the job has in all. */
  int maxAttempts();

  /** Whether this attempt resumes an interrupted one from its checkpoint. */
  boolean resumed();

  /** When the job was due: dispatched (or its delay over), or its retry due. */
  Instant dueAt();

  /** When this attempt started on this worker (the manager's clock). */
  Instant startedAt();

  /**
   * The trace context stored with the job when it was dispatched (see {@link
   * JobInterceptor#dispatching}); empty when none was stored, as for a schedule's jobs.
   */
  Map<String, String> traceContext();

  /**
   * What the job threw, once {@code proceed} returned: present for {@link
   * AttemptOutcome#RETRY_SCHEDULED} and {@link AttemptOutcome#FAILED}, and for an interruption the
   * job turned into an exception.
   */
  Optional<Throwable> failure();

  /**
   * Sets the trace id written with each log line this attempt writes from now on ({@code
   * JobContext.log}; {@link JobLogLine#traceId()}); null for none.
   */
  void logTraceId(String traceId);
}
