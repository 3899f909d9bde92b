package dev.jobkit.runtime.internal.worker;

import dev.jobkit.runtime.AttemptOutcome;
import dev.jobkit.runtime.DispatchedJob;
import dev.jobkit.runtime.JobAttempt;
import dev.jobkit.runtime.JobInterceptor;
import dev.jobkit.runtime.internal.store.TraceContexts;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link JobInterceptor}s of a manager (#13), called so that none of them can stop a dispatch
 * or an attempt: an exception is logged and the work goes on.
 */
public final class Interceptors {
  private static final Logger log = LoggerFactory.getLogger(Interceptors.class);

  /** No interceptors: each hook costs a list check. */
  public static final Interceptors NONE = new Interceptors(List.of());

  private final List<JobInterceptor> all;

  /** The interceptors, outermost first. */
  public Interceptors(List<JobInterceptor> all) {
    this.all = List.copyOf(all);
  }

  /** Calls {@code hook} on each interceptor, logging what one throws ({@code name}: the hook's). */
  public void each(String name, Consumer<JobInterceptor> hook) {
    for (JobInterceptor i : all) {
      try {
        hook.accept(i);
      } catch (RuntimeException e) {
        warn(i, name, e);
      }
    }
  }

  /**
   * The trace context to store with a job being dispatched: {@code given} (from the dispatch
   * options), then what each interceptor adds, encoded; null when empty.
   */
  public String dispatching(
      String id, String name, String queue, String tenant, Map<String, String> given) {
    if (all.isEmpty()) {
      return TraceContexts.encode(given);
    }
    DispatchedJob job = new DispatchedJob(id, name, queue, given, tenant);
    Map<String, String> context = new LinkedHashMap<>(given);
    for (JobInterceptor i : all) {
      try {
        Map<String, String> added = i.dispatching(job);
        if (added != null) {
          context.putAll(added);
        }
      } catch (RuntimeException e) {
        warn(i, "dispatching", e);
      }
    }
    try {
      return TraceContexts.encode(context);
    } catch (IllegalArgumentException e) {
      // What the interceptors added is too large or has nulls: the job goes without it.
      log.warn("Job {} ({}): not storing its trace context: {}", id, name, e.getMessage());
      return TraceContexts.encode(given);
    }
  }

  /** Runs {@code body} (the attempt and the recording of its outcome) inside every interceptor. */
  AttemptOutcome around(JobAttempt attempt, Supplier<AttemptOutcome> body) {
    if (all.isEmpty()) {
      return body.get();
    }
    return call(0, attempt, body);
  }

  private AttemptOutcome call(int index, JobAttempt attempt, Supplier<AttemptOutcome> body) {
    if (index == all.size()) {
      return body.get();
    }
    JobInterceptor i = all.get(index);
    Once inner = new Once(() -> call(index + 1, attempt, body));
    AttemptOutcome out;
    try {
      out = i.around(attempt, inner);
    } catch (RuntimeException e) {
      warn(i, "around", e);
      out = null;
    }
    if (!inner.done()) {
      // The interceptor failed before proceeding, or forgot to: the job runs all the same.
      log.warn(
          "Job interceptor {} did not proceed with job {} ({}); running it anyway",
          i.getClass().getName(),
          attempt.id(),
          attempt.name());
      return inner.proceed();
    }
    return out != null ? out : inner.proceed();
  }

  private static void warn(JobInterceptor i, String hook, RuntimeException e) {
    log.warn("Job interceptor {} failed in {}: {}", i.getClass().getName(), hook, e.toString(), e);
  }

  /** The rest of an attempt, run at most once. */
  private static final class Once implements JobInterceptor.Proceed {
    private final Supplier<AttemptOutcome> body;
    private AttemptOutcome outcome;
    private boolean done;

    Once(Supplier<AttemptOutcome> body) {
      this.body = body;
    }

    @Override
    public AttemptOutcome proceed() {
      if (!done) {
        done = true;
        outcome = body.get();
      }
      return outcome;
    }

    boolean done() {
      return done;
    }
  }
}
