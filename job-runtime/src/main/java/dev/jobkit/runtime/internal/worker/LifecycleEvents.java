package dev.jobkit.runtime.internal.worker;

import dev.jobkit.runtime.JobEventListener;
import dev.jobkit.runtime.JobEventType;
import dev.jobkit.runtime.JobLifecycleEvent;
import dev.jobkit.runtime.JobSubscription;
import dev.jobkit.runtime.Tenants;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands lifecycle events from the engine's status-changing choke points to subscribed listeners on
 * one dispatcher thread, so that a slow or failing listener never blocks or fails a worker.
 *
 * <p>The queue is bounded: when listeners fall {@value #CAPACITY} events behind, new events are
 * dropped (counted and logged) rather than letting memory grow or workers wait. With no subscriber
 * of a type, publishing it costs one volatile read.
 */
final class LifecycleEvents implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LifecycleEvents.class);
  static final int CAPACITY = 65_536;
  private static final JobLifecycleEvent STOP =
      new JobLifecycleEvent("-", "-", JobEventType.DISPATCHED, Instant.EPOCH, Optional.empty());

  /** One listener and the types it wants. */
  private record Subscription(JobEventListener listener, Set<JobEventType> types) {}

  private final Clock clock;
  private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
  private final BlockingQueue<JobLifecycleEvent> queue = new ArrayBlockingQueue<>(CAPACITY);
  private final AtomicLong dropped = new AtomicLong();
  private volatile Set<JobEventType> wanted = EnumSet.noneOf(JobEventType.class);
  private final Thread thread;
  private volatile boolean closed;

  LifecycleEvents(Clock clock) {
    this.clock = clock;
    this.thread = new Thread(this::loop, "jobkit-events");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Adds a listener of {@code types} (every type when empty); closing the returned handle removes
   * it. Events published before this call are not delivered to it.
   */
  public JobSubscription subscribe(JobEventListener listener, Set<JobEventType> types) {
    Set<JobEventType> t =
        types.isEmpty() ? EnumSet.allOf(JobEventType.class) : EnumSet.copyOf(types);
    Subscription s = new Subscription(listener, t);
    subscriptions.add(s);
    recomputeWanted();
    return () -> {
      subscriptions.remove(s);
      recomputeWanted();
    };
  }

  private synchronized void recomputeWanted() {
    Set<JobEventType> w = EnumSet.noneOf(JobEventType.class);
    for (Subscription s : subscriptions) {
      w.addAll(s.types());
    }
    wanted = w;
  }

  /** Whether any listener wants {@code type}; lets callers skip building a costly detail. */
  boolean wants(JobEventType type) {
    return wanted.contains(type);
  }

  /** Queues an event of a job of the default tenant for the listeners; never blocks. */
  void publish(String jobId, String name, JobEventType type, String detail) {
    publish(jobId, name, type, detail, Tenants.DEFAULT);
  }

  /** Queues an event for the listeners; never blocks. */
  void publish(String jobId, String name, JobEventType type, String detail, String tenant) {
    if (closed || !wanted.contains(type)) {
      return;
    }
    JobLifecycleEvent e =
        new JobLifecycleEvent(
            jobId,
            name,
            type,
            Instant.ofEpochMilli(clock.millis()),
            Optional.ofNullable(detail),
            tenant);
    if (!queue.offer(e)) {
      long n = dropped.incrementAndGet();
      if (Long.bitCount(n) == 1) { // 1, 2, 4, 8...: visible without flooding the log
        log.warn(
            "Event listeners are {} events behind; dropped {} event(s) so far (latest: {} of"
                + " job {})",
            CAPACITY,
            n,
            type,
            jobId);
      }
    }
  }

  private void loop() {
    while (true) {
      JobLifecycleEvent e;
      try {
        e = queue.take();
      } catch (InterruptedException ex) {
        return; // close() gave up waiting for the listeners
      }
      if (e == STOP) {
        return;
      }
      for (Subscription s : subscriptions) {
        if (!s.types().contains(e.type())) {
          continue;
        }
        try {
          s.listener().onEvent(e);
        } catch (RuntimeException ex) {
          // A listener's bug must not stop delivery to others nor reach the job.
          log.warn(
              "Event listener {} threw on {} of job {}", s.listener(), e.type(), e.jobId(), ex);
        }
      }
    }
  }

  /**
   * Delivers the events already queued (waiting up to {@code timeoutMs} for slow listeners), then
   * stops the dispatcher thread.
   */
  void close(long timeoutMs) {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (!queue.offer(STOP, timeoutMs, TimeUnit.MILLISECONDS)) {
        thread.interrupt();
        return;
      }
      thread.join(Math.max(1, timeoutMs));
      if (thread.isAlive()) {
        log.warn("Event listeners did not finish within {} ms of close; stopping them", timeoutMs);
        thread.interrupt();
      }
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      thread.interrupt();
    }
  }

  @Override
  public void close() {
    close(1000);
  }
}
