package dev.jobkit.runtime.internal.worker;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** A signal a claim loop waits on with a timeout; a signal given while nobody waits is not lost. */
final class Wakeup {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition cond = lock.newCondition();
  private boolean pending;

  void signal() {
    lock.lock();
    try {
      pending = true;
      cond.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Waits until signalled or {@code timeoutMs} passed; consumes the signal. */
  void await(long timeoutMs) throws InterruptedException {
    lock.lock();
    try {
      long nanos = TimeUnit.MILLISECONDS.toNanos(Math.max(timeoutMs, 1));
      while (!pending && nanos > 0) {
        nanos = cond.awaitNanos(nanos);
      }
      pending = false;
    } finally {
      lock.unlock();
    }
  }
}
