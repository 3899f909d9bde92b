package dev.jobkit.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything stored about one job, for a job's page: its snapshot plus its parameters and latest
 * checkpoint decoded to JSON, from {@link JobManager#detail(String)}.
 *
 * @param info the snapshot {@link JobManager#job(String)} returns
 * @param paramsJson the parameters it was dispatched with, as JSON; empty when they cannot be
 *     decoded here (see {@code decodeError})
 * @param stateJson its latest checkpoint as JSON; empty before the first checkpoint or when it
 *     cannot be decoded here
 * @param runAt its earliest start (of the next attempt, once one failed)
 * @param timeout the timeout of one attempt, if any
 * @param idempotencyKey the key it was dispatched with, if any
 * @param decodeError why the parameters or the checkpoint are missing although stored: the job type
 *     is not registered in this process, or the bytes do not decode
 */
public record JobDetail(
    JobInfo info,
    Optional<String> paramsJson,
    Optional<String> stateJson,
    Instant runAt,
    Optional<Duration> timeout,
    Optional<String> idempotencyKey,
    Optional<String> decodeError) {

  /** Validates. */
  public JobDetail {
    Objects.requireNonNull(info, "info");
    Objects.requireNonNull(paramsJson, "paramsJson");
    Objects.requireNonNull(stateJson, "stateJson");
    Objects.requireNonNull(runAt, "runAt");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    Objects.requireNonNull(decodeError, "decodeError");
  }
}
