package dev.jobkit.runtime.internal.worker;

import dev.jobkit.runtime.JobAttempt;
import dev.jobkit.runtime.internal.store.ClaimedJob;
import dev.jobkit.runtime.internal.store.TraceContexts;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** One running attempt as {@link dev.jobkit.runtime.JobInterceptor}s see it (#13). */
final class AttemptView implements JobAttempt {
  private final ClaimedJob claim;
  private final RunningAttempt attempt;
  private final long startedAt;
  private Map<String, String> context; // decoded on first use
  private volatile Throwable failure;

  AttemptView(ClaimedJob claim, RunningAttempt attempt, long startedAt) {
    this.claim = claim;
    this.attempt = attempt;
    this.startedAt = startedAt;
  }

  @Override
  public String id() {
    return claim.id();
  }

  @Override
  public String name() {
    return claim.name();
  }

  @Override
  public String queue() {
    return claim.queue();
  }

  @Override
  public String tenant() {
    return claim.tenant();
  }

  @Override
  public int attempt() {
    return claim.attempt();
  }

  @Override
  public int maxAttempts() {
    return claim.maxAttempts();
  }

  @Override
  public boolean resumed() {
    return attempt.isResumed();
  }

  @Override
  public Instant dueAt() {
    return Instant.ofEpochMilli(claim.runAt());
  }

  @Override
  public Instant startedAt() {
    return Instant.ofEpochMilli(startedAt);
  }

  @Override
  public Map<String, String> traceContext() {
    Map<String, String> c = context;
    if (c == null) {
      c = TraceContexts.decode(claim.traceContext());
      context = c;
    }
    return c;
  }

  @Override
  public Optional<Throwable> failure() {
    return Optional.ofNullable(failure);
  }

  void failure(Throwable t) {
    this.failure = t;
  }

  @Override
  public void logTraceId(String traceId) {
    attempt.logTraceId(traceId);
  }
}
