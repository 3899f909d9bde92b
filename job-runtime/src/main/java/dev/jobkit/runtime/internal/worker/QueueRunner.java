package dev.jobkit.runtime.internal.worker;

import dev.jobkit.runtime.internal.store.ClaimRequest;
import dev.jobkit.runtime.internal.store.ClaimedJob;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The claim loop and worker pool of one queue: claims as many due jobs as it has free workers,
 * hands them to the pool, and otherwise waits for a wake-up (an in-process dispatch, a freed
 * worker, a due retry) or the poll interval.
 */
final class QueueRunner {
  private static final Logger log = LoggerFactory.getLogger(QueueRunner.class);

  private final Engine engine;
  private final String queue;
  private final int workers;
  private final Semaphore freeSlots;
  private final ExecutorService pool;
  private final Thread claimThread;
  private final Wakeup wakeup = new Wakeup();
  private final AtomicLong nextDue = new AtomicLong(Long.MAX_VALUE);
  private final JobExecutor executor;
  private volatile boolean running = true;

  QueueRunner(Engine engine, String queue, int workers) {
    this.engine = engine;
    this.queue = queue;
    this.workers = workers;
    this.freeSlots = new Semaphore(workers);
    this.executor = new JobExecutor(engine);
    this.pool = Executors.newFixedThreadPool(workers, named("jobkit-" + queue + "-worker-"));
    this.claimThread = named("jobkit-" + queue + "-claim").newThread(this::loop);
  }

  void start() {
    claimThread.start();
  }

  void wake() {
    wakeup.signal();
  }

  /** Wakes the loop at {@code at} (epoch millis) at the latest, for a retry due then. */
  void wakeAt(long at) {
    nextDue.accumulateAndGet(at, Math::min);
    wakeup.signal();
  }

  private void loop() {
    long poll = engine.config().pollInterval().toMillis();
    while (running) {
      int claimed = 0;
      int free = freeSlots.availablePermits();
      try {
        if (free > 0) {
          claimed = claimOnce(free);
        }
      } catch (RuntimeException e) {
        log.warn("Claiming from queue '{}' failed; retrying in {} ms", queue, poll, e);
      }
      if (claimed > 0 && claimed == free) {
        continue; // there may be more due jobs and we may have free workers again soon
      }
      long now = engine.clock().millis();
      long due = nextDue.get();
      long wait = poll;
      if (due != Long.MAX_VALUE) {
        if (due <= now) {
          nextDue.compareAndSet(due, Long.MAX_VALUE);
          wait = 0;
        } else {
          wait = Math.min(wait, due - now);
        }
      }
      if (wait > 0) {
        try {
          wakeup.await(wait);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private int claimOnce(int free) {
    long now = engine.clock().millis();
    List<ClaimedJob> jobs = engine.store().claim(new ClaimRequest(engine.owner(), List.of(queue),
        free, now, now + engine.config().leaseDuration().toMillis()));
    for (ClaimedJob job : jobs) {
      if (!freeSlots.tryAcquire()) {
        // Cannot happen: we claimed at most the free slots and only this thread acquires.
        throw new IllegalStateException("no free worker for claimed job " + job.id());
      }
      log.debug("Claimed {} ({}) epoch {}", job.id(), job.name(), job.epoch());
      pool.execute(() -> {
        try {
          executor.execute(job);
        } finally {
          freeSlots.release();
          wakeup.signal();
        }
      });
    }
    return jobs.size();
  }

  /** Stops claiming; running jobs continue. */
  void stopClaiming() throws InterruptedException {
    running = false;
    wakeup.signal();
    claimThread.join();
  }

  /** Stops the pool from taking work and waits until its jobs ended or {@code deadlineNanos}. */
  boolean awaitWorkers(long deadlineNanos) throws InterruptedException {
    pool.shutdown();
    return pool.awaitTermination(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
  }

  void forceStop() {
    pool.shutdownNow();
  }

  /** Whether the claim loop runs and the pool takes work. */
  boolean isAlive() {
    return running && claimThread.isAlive() && !pool.isShutdown();
  }

  int workers() {
    return workers;
  }

  private static ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    boolean single = !prefix.endsWith("-");
    return r -> {
      Thread t = new Thread(r, single ? prefix : prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
