package dev.jobkit.runtime.internal.worker;

import dev.jobkit.JobInterruptedException.Reason;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The attempts running in this process, by job id. Thread-safe. */
final class RunningAttempts {
  private final Map<String, RunningAttempt> byId = new ConcurrentHashMap<>();

  void add(RunningAttempt a) {
    byId.put(a.claim().id(), a);
  }

  /** Removes {@code a}, unless another attempt of the same job has replaced it. */
  void remove(RunningAttempt a) {
    byId.remove(a.claim().id(), a);
  }

  boolean contains(String jobId) {
    return byId.containsKey(jobId);
  }

  boolean isEmpty() {
    return byId.isEmpty();
  }

  int size() {
    return byId.size();
  }

  /** The attempts running now, as a list that later starts and ends do not change. */
  List<RunningAttempt> snapshot() {
    return List.copyOf(byId.values());
  }

  /** Passes a stop request to the attempt of this job running here, if any. */
  void requestStop(String jobId, Reason reason) {
    RunningAttempt a = byId.get(jobId);
    if (a != null) {
      a.requestStop(reason);
    }
  }
}
