package dev.jobkit.runtime.internal.worker;

import dev.jobkit.runtime.JobEventType;
import dev.jobkit.runtime.internal.store.ClaimedJob;
import dev.jobkit.runtime.internal.store.Completion;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records successful job outcomes in batches: workers hand a finished job over and take their next
 * one at once, while this thread commits every completion waiting at that moment in one
 * transaction. Only after the commit are result futures completed and COMPLETED events published,
 * so nobody learns of a completion that a crash could still undo (the job would run again: at least
 * once). Until then the job stays RUNNING under this engine's lease, fenced by its epoch.
 */
final class Completer {
  private static final Logger log = LoggerFactory.getLogger(Completer.class);
  private static final int MAX_BATCH = 512;
  private static final long RETRY_MS = 200;

  /** A finished job and its output, waiting to be committed. */
  record Done(ClaimedJob claim, String outputJson, Object output) {}

  private static final Done STOP = new Done(null, null, null);

  private final EngineServices services;

  /** Called after each commit: claim loops held back by uncommitted completions may claim again. */
  private final Runnable afterCommit;

  private final LinkedBlockingQueue<Done> queue = new LinkedBlockingQueue<>();

  /** Completions handed over and not yet committed (queued or in the batch being committed). */
  private final AtomicInteger outstanding = new AtomicInteger();

  private final Thread thread;

  Completer(EngineServices services, Runnable afterCommit) {
    this.services = services;
    this.afterCommit = afterCommit;
    this.thread = new Thread(this::loop, "jobkit-completer");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  void submit(ClaimedJob claim, String outputJson, Object output) {
    outstanding.incrementAndGet();
    queue.add(new Done(claim, outputJson, output));
  }

  /**
   * Completions handed over and not yet committed. Their jobs are still RUNNING under this engine's
   * lease, which must be renewed until they are.
   */
  int outstanding() {
    return outstanding.get();
  }

  /** Commits what is queued and stops, waiting at most until {@code deadlineNanos}. */
  void stop(long deadlineNanos) throws InterruptedException {
    queue.add(STOP);
    thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime())));
    if (thread.isAlive()) {
      thread.interrupt();
      thread.join(1_000);
    }
  }

  private void loop() {
    List<Done> batch = new ArrayList<>();
    boolean stopping = false;
    int failuresInARow = 0;
    while (!stopping || !batch.isEmpty()) {
      try {
        if (batch.isEmpty()) {
          batch.add(queue.take());
        }
        queue.drainTo(batch, MAX_BATCH - batch.size());
      } catch (InterruptedException e) {
        return; // past the grace period: uncommitted jobs are recovered and run again
      }
      if (batch.remove(STOP)) {
        stopping = true;
        batch.removeIf(d -> d == STOP);
      }
      if (batch.isEmpty()) {
        continue;
      }
      try {
        commit(batch);
        services.outage().succeeded("completer");
        failuresInARow = 0;
        outstanding.addAndGet(-batch.size());
        batch.clear();
        afterCommit.run();
      } catch (RuntimeException e) {
        // Storage trouble: keep the batch (still ours under the lease) and try again.
        failuresInARow++;
        services.outage().failed("completer", "recording " + batch.size() + " completion(s)", e);
        try {
          Thread.sleep(StorageOutage.retryDelayMs(RETRY_MS, failuresInARow));
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  private void commit(List<Done> batch) {
    List<Completion> completions = new ArrayList<>(batch.size());
    for (Done d : batch) {
      completions.add(new Completion(d.claim().id(), d.claim().epoch(), d.outputJson()));
    }
    Set<String> won =
        new HashSet<>(services.store().completeAll(completions, services.clock().millis()));
    for (Done d : batch) {
      ClaimedJob c = d.claim();
      if (won.contains(c.id())) {
        log.debug("Completed {} ({})", c.id(), c.name());
        services.watchers().completed(c.id(), d.output());
        services.events().publish(c.id(), c.name(), JobEventType.COMPLETED, null, c.tenant());
      } else {
        log.debug("Job {} ({}): lease lost, not writing its completion", c.id(), c.name());
      }
    }
  }
}
