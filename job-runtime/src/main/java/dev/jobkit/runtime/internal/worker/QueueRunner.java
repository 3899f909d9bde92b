package dev.jobkit.runtime.internal.worker;

import dev.jobkit.runtime.internal.store.ClaimRequest;
import dev.jobkit.runtime.internal.store.ClaimedJob;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The claim loop and workers of one queue. The loop claims due jobs in batches; while a backlog
 * waits it claims ahead into a local buffer, about 20 ms of work per worker at the recent average
 * job duration (none for jobs longer than that), so that a worker that finishes takes its next job
 * without waiting for a database round trip and many short jobs share one claim transaction.
 * Otherwise it waits for a wake-up (an in-process dispatch, a freed worker, a due retry) or the
 * poll interval.
 *
 * <p>A buffered job is already RUNNING under this engine's lease (renewed with the others). Under a
 * backlog, a job of higher priority dispatched meanwhile waits behind at most those ~20 ms of
 * buffered work. At shutdown the workers give buffered jobs back untouched.
 */
final class QueueRunner {
  private static final Logger log = LoggerFactory.getLogger(QueueRunner.class);
  private static final ClaimedJob STOP =
      new ClaimedJob(
          "",
          "",
          new byte[0],
          null,
          0,
          dev.jobkit.Priority.NORMAL,
          "",
          0,
          0,
          0,
          0,
          0,
          false,
          null,
          0);

  /** Claim ahead at most this much work per worker (see {@link #prefetch()}). */
  private static final long PREFETCH_WORK_NANOS = 20_000_000L;

  private static final int MAX_PREFETCH = 256;

  private final EngineServices services;
  private final IntSupplier uncommitted;
  private final String queue;

  /**
   * Moving average of how long a job takes a worker. It starts at 1 s, so that a queue claims
   * nothing ahead until a few dozen short jobs have shown that it pays.
   */
  private volatile double avgJobNanos = 1_000_000_000.0;

  private final int workers;

  /** Jobs claimed and not yet finished by a worker: buffered plus executing. */
  private final AtomicInteger inFlight = new AtomicInteger();

  private final LinkedBlockingQueue<ClaimedJob> buffer = new LinkedBlockingQueue<>();
  private final List<Thread> workerThreads = new ArrayList<>();
  private final Thread claimThread;
  private final Wakeup wakeup = new Wakeup();
  private final AtomicLong nextDue = new AtomicLong(Long.MAX_VALUE);
  private final JobExecutor executor;
  private volatile boolean running = true;

  /**
   * A runner of {@code queue} with {@code workers} threads that run claims through {@code
   * executor}; {@code uncommitted} counts this engine's completions not yet committed.
   */
  QueueRunner(
      EngineServices services,
      String queue,
      int workers,
      IntSupplier uncommitted,
      JobExecutor executor) {
    this.services = services;
    this.uncommitted = uncommitted;
    this.queue = queue;
    this.workers = workers;
    this.executor = executor;
    for (int i = 1; i <= workers; i++) {
      workerThreads.add(daemon("jobkit-" + queue + "-worker-" + i, this::work));
    }
    this.claimThread = daemon("jobkit-" + queue + "-claim", this::loop);
  }

  void start() {
    workerThreads.forEach(Thread::start);
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

  /** Whether the last claim found as many due jobs as it asked for: a backlog is waiting. */
  private boolean backlog;

  /**
   * Room for more claims: one job per idle worker and, while a backlog waits, one more buffered per
   * worker. Without a backlog nothing is claimed ahead, so a job dispatched while all workers are
   * busy still competes on priority with jobs dispatched after it.
   */
  private int capacity() {
    // Finished jobs whose completion is not committed yet still hold a lease: counting them keeps
    // the claim loop from running ahead of a completer that falls behind (on PostgreSQL every
    // RUNNING row of this engine is rewritten by each lease renewal, so an unbounded backlog of
    // them slows the completer further).
    return (backlog ? workers + prefetch() : workers) - inFlight.get() - uncommitted.getAsInt();
  }

  /**
   * How many jobs to claim ahead while a backlog waits: about {@link #PREFETCH_WORK_NANOS} of work
   * per worker at the recent average job duration, so short jobs are claimed in large batches (one
   * transaction for many) while long jobs are not claimed ahead at all.
   */
  private int prefetch() {
    double perJob = avgJobNanos;
    long n = (long) (PREFETCH_WORK_NANOS * workers / Math.max(perJob, 1.0));
    return (int) Math.min(Math.max(n, 0), MAX_PREFETCH);
  }

  private void loop() {
    long poll = services.config().pollInterval().toMillis();
    int failuresInARow = 0;
    while (running) {
      int claimed = 0;
      int free = capacity();
      long wait = poll;
      try {
        if (free > 0) {
          claimed = claimOnce(free);
          failuresInARow = 0;
          services.outage().succeeded("claim " + queue);
        }
      } catch (RuntimeException e) {
        // Backs off (up to a few seconds) while storage fails; a wake-up still claims at once.
        failuresInARow++;
        wait = StorageOutage.retryDelayMs(poll, failuresInARow);
        services.outage().failed("claim " + queue, "claiming from queue '" + queue + "'", e);
      }
      if (claimed > 0 && claimed == free) {
        // Maybe more are due: claim again once a worker has taken one from the buffer.
        if (capacity() > 0) {
          continue;
        }
      }
      long now = services.clock().millis();
      long due = nextDue.get();
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
    long now = services.clock().millis();
    List<ClaimedJob> jobs =
        services
            .store()
            .claim(
                new ClaimRequest(
                    services.owner(),
                    List.of(queue),
                    free,
                    now,
                    now + services.config().leaseDuration().toMillis()));
    backlog = jobs.size() == free;
    for (ClaimedJob job : jobs) {
      log.debug("Claimed {} ({}) epoch {}", job.id(), job.name(), job.epoch());
      inFlight.incrementAndGet();
      buffer.add(job);
    }
    return jobs.size();
  }

  private void work() {
    while (true) {
      ClaimedJob job;
      try {
        job = buffer.take();
      } catch (InterruptedException e) {
        return; // forceStop: whatever is still buffered is recovered when the lease lapses
      }
      if (job == STOP) {
        return;
      }
      long start = System.nanoTime();
      try {
        executor.execute(job);
      } catch (RuntimeException | Error e) {
        log.error("Worker of queue '{}' failed on job {}", queue, job.id(), e);
      } finally {
        // Racy across workers on purpose: an estimate, and a lost update costs nothing.
        avgJobNanos = 0.9 * avgJobNanos + 0.1 * (System.nanoTime() - start);
        inFlight.decrementAndGet();
        wakeup.signal();
      }
    }
  }

  /** Stops claiming; running and buffered jobs continue (buffered ones are given back). */
  void stopClaiming() throws InterruptedException {
    running = false;
    wakeup.signal();
    claimThread.join();
  }

  /**
   * Lets the workers finish (buffered jobs are given back, as the engine is closing) and waits
   * until they ended or {@code deadlineNanos}. Call after {@link #stopClaiming()}.
   */
  boolean awaitWorkers(long deadlineNanos) throws InterruptedException {
    for (int i = 0; i < workers; i++) {
      buffer.add(STOP);
    }
    for (Thread t : workerThreads) {
      long left = deadlineNanos - System.nanoTime();
      if (left > 0) {
        t.join(Math.max(1, left / 1_000_000));
      }
      if (t.isAlive()) {
        return false;
      }
    }
    return true;
  }

  /** Interrupts the workers that outlived the grace period. */
  void forceStop() {
    workerThreads.forEach(Thread::interrupt);
  }

  /** Whether jobs claimed by this loop are buffered or executing (their leases need renewal). */
  boolean holdsClaims() {
    return inFlight.get() > 0;
  }

  /** Whether the claim loop and every worker run. */
  boolean isAlive() {
    return running && claimThread.isAlive() && workerThreads.stream().allMatch(Thread::isAlive);
  }

  int workers() {
    return workers;
  }

  private static Thread daemon(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
