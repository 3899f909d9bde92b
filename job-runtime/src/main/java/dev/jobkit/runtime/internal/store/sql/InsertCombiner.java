package dev.jobkit.runtime.internal.store.sql;

import dev.jobkit.runtime.internal.store.InsertResult;
import dev.jobkit.runtime.internal.store.NewJob;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Lets threads that dispatch one job each at the same moment share one statement and one commit, as
 * SQLite's {@link GroupCommit} does for its writes; used by the PostgreSQL dialect, where a commit
 * waits for the WAL flush.
 *
 * <p>A thread that finds no other insert running inserts its job alone, exactly as without the
 * combiner (one thread dispatching pays nothing). A thread that finds one running queues its job
 * and waits for the lock; whoever takes the lock next inserts every queued job in one transaction,
 * up to {@link #MAX_BATCH}, and hands each waiting thread its own result. If that shared
 * transaction fails, each of its jobs is inserted alone, so every caller sees its own outcome, as
 * it would have without the combiner.
 */
final class InsertCombiner {
  /**
   * Jobs per shared transaction at most, so that one burst does not delay its first caller long.
   */
  static final int MAX_BATCH = 500;

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
    InsertResult result; // written and read under the lock
    RuntimeException failure;
    boolean done;

    Pending(NewJob job, long now) {
      this.job = job;
      this.now = now;
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
      }
    }
    Pending mine = new Pending(job, now);
    queue.add(mine);
    lock.lock();
    try {
      if (!mine.done) {
        // Still queued: only a holder of the lock takes jobs off the queue, and marks them done.
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
      }
      if (mine.failure != null) {
        throw mine.failure;
      }
      return mine.result;
    } finally {
      lock.unlock();
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
