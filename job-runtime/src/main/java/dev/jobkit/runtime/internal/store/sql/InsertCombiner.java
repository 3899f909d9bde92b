package dev.jobkit.runtime.internal.store.sql;

import dev.jobkit.runtime.internal.store.InsertResult;
import dev.jobkit.runtime.internal.store.NewJob;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Lets threads that dispatch one job each at the same moment share one statement and one commit, as
 * SQLite's {@link GroupCommit} does for its writes; used by the PostgreSQL dialect, where a commit
 * waits for the WAL flush.
 *
 * <p>A thread that finds no other insert running inserts its job alone, exactly as without the
 * combiner (one thread dispatching pays nothing). A thread that finds one running queues its job
 * and parks; when the running insert ends, one queued thread takes the lock and inserts every
 * queued job in one transaction, up to {@link #MAX_BATCH}, then wakes each thread it served with
 * its own result (flat combining). If that shared transaction fails, each of its jobs is inserted
 * alone, so every caller sees its own outcome, as it would have without the combiner.
 */
final class InsertCombiner {
  /**
   * Jobs per shared transaction at most, so that one burst does not delay its first caller long.
   */
  static final int MAX_BATCH = 500;

  /** A waiting thread looks again at least this often (a safety net; it is woken when due). */
  private static final long PARK_NANOS = 1_000_000;

  /** Inserts one job alone. */
  interface One {
    InsertResult insert(NewJob job, long now);
  }

  /** Inserts jobs in one transaction: all or none; results in the jobs' order. */
  interface Many {
    List<InsertResult> insert(List<NewJob> jobs, long now);
  }

  private static final class Pending {
    final NewJob job;
    final long now;
    final Thread thread;
    InsertResult result; // written before done, read after it
    RuntimeException failure;
    volatile boolean done;

    Pending(NewJob job, long now, Thread thread) {
      this.job = job;
      this.now = now;
      this.thread = thread;
    }
  }

  private final ReentrantLock lock = new ReentrantLock();
  private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
  private final One one;
  private final Many many;

  InsertCombiner(One one, Many many) {
    this.one = one;
    this.many = many;
  }

  /**
   * Inserts {@code job}, alone or with jobs of other threads; see the class comment. A job that
   * shares a transaction is stored with the latest {@code now} of that transaction's callers (at
   * most the length of one commit later than its own).
   */
  InsertResult insert(NewJob job, long now) {
    if (queue.isEmpty() && lock.tryLock()) {
      try {
        return one.insert(job, now);
      } finally {
        lock.unlock();
        wakeNextLeader();
      }
    }
    Pending mine = new Pending(job, now, Thread.currentThread());
    queue.add(mine);
    // Each waiting thread parks on its own job, not on the lock: a finished batch wakes exactly
    // the threads it served, and one queued thread to lead the next batch (a convoy through the
    // lock would hand it from thread to thread, each with nothing left to do).
    while (!mine.done) {
      if (lock.tryLock()) {
        try {
          if (!mine.done) {
            runQueued(mine);
          }
        } finally {
          lock.unlock();
          wakeNextLeader();
        }
      } else {
        LockSupport.parkNanos(this, PARK_NANOS);
      }
    }
    if (mine.failure != null) {
      throw mine.failure;
    }
    return mine.result;
  }

  /**
   * Inserts what is queued (with {@code mine}, which is). Only a holder of the lock takes jobs off
   * the queue.
   */
  private void runQueued(Pending mine) {
    List<Pending> batch = new ArrayList<>();
    Pending p;
    while (batch.size() < MAX_BATCH && (p = queue.poll()) != null) {
      batch.add(p);
    }
    if (!batch.contains(mine)) {
      // The queue held more than MAX_BATCH before this one: insert it with this batch.
      queue.remove(mine);
      batch.add(mine);
    }
    run(batch);
    for (Pending served : batch) {
      LockSupport.unpark(served.thread);
    }
  }

  /**
   * After the lock was released: a queued thread, if any, is woken to lead the next batch. (A
   * thread that queued while the lock was held failed its {@code tryLock} before this release, so
   * its job is in the queue by now.)
   */
  private void wakeNextLeader() {
    Pending next = queue.peek();
    if (next != null) {
      LockSupport.unpark(next.thread);
    }
  }

  /** Jobs queued behind a running insert (tests watch it). */
  int queued() {
    return queue.size();
  }

  private void run(List<Pending> batch) {
    if (batch.size() > 1) {
      List<NewJob> jobs = new ArrayList<>(batch.size());
      long now = Long.MIN_VALUE;
      for (Pending p : batch) {
        jobs.add(p.job);
        now = Math.max(now, p.now);
      }
      try {
        List<InsertResult> results = many.insert(jobs, now);
        for (int i = 0; i < batch.size(); i++) {
          batch.get(i).result = results.get(i);
          batch.get(i).done = true;
        }
        return;
      } catch (RuntimeException e) {
        // Nothing of the batch was stored: each job on its own, for its own outcome below.
      }
    }
    for (Pending p : batch) {
      try {
        p.result = one.insert(p.job, p.now);
      } catch (RuntimeException e) {
        p.failure = e;
      }
      p.done = true;
    }
  }
}
