package dev.jobkit.runtime.internal.worker;

import dev.jobkit.Progress;
import dev.jobkit.runtime.JobFailedException;
import dev.jobkit.runtime.JobState;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In-process result futures and progress listeners, by job id. An entry exists only once a handle
 * asks for a result or progress, so jobs nobody watches cost nothing here; it is dropped when the
 * job ends.
 */
final class JobWatchers {
  private static final Logger log = LoggerFactory.getLogger(JobWatchers.class);

  /** One watched job. */
  static final class Entry {
    final CompletableFuture<Object> future = new CompletableFuture<>();
    final List<Consumer<Progress>> listeners = new CopyOnWriteArrayList<>();
    volatile Progress last;
  }

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  Entry entry(String id) {
    return entries.computeIfAbsent(id, k -> new Entry());
  }

  /** Ids of watched jobs whose future is still pending. */
  Iterable<Map.Entry<String, Entry>> pending() {
    return entries.entrySet();
  }

  boolean isWatched(String id) {
    return entries.containsKey(id);
  }

  Optional<Progress> lastProgress(String id) {
    Entry e = entries.get(id);
    return e == null ? Optional.empty() : Optional.ofNullable(e.last);
  }

  void progress(String id, Progress p) {
    Entry e = entries.get(id);
    if (e == null) {
      return;
    }
    e.last = p;
    for (Consumer<Progress> l : e.listeners) {
      try {
        l.accept(p);
      } catch (RuntimeException ex) {
        // A listener's bug must not fail the job that reported progress.
        log.warn("Progress listener of job {} threw", id, ex);
      }
    }
  }

  void completed(String id, Object output) {
    Entry e = entries.remove(id);
    if (e != null) {
      e.future.complete(output);
    }
  }

  void ended(String id, JobState state, String error) {
    Entry e = entries.remove(id);
    if (e != null) {
      e.future.completeExceptionally(new JobFailedException(id, state, error));
    }
  }

  void fail(String id, RuntimeException cause) {
    Entry e = entries.remove(id);
    if (e != null) {
      e.future.completeExceptionally(cause);
    }
  }

  void failAll(RuntimeException cause) {
    for (String id : List.copyOf(entries.keySet())) {
      Entry e = entries.remove(id);
      if (e != null) {
        e.future.completeExceptionally(cause);
      }
    }
  }
}
