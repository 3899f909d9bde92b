package dev.jobkit.runtime.internal.worker;

import dev.jobkit.JobContext;
import dev.jobkit.JobHandler;
import dev.jobkit.JobInterruptedException;
import dev.jobkit.JobInterruptedException.Reason;
import dev.jobkit.LogLevel;
import dev.jobkit.Progress;
import dev.jobkit.runtime.JobEventType;
import dev.jobkit.runtime.internal.store.ClaimedJob;
import dev.jobkit.runtime.internal.store.LogLine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt of one claimed job and the {@link JobContext} it sees: why it must stop (set by the
 * heartbeat, a control call or shutdown), its buffered log lines and coalesced progress, and its
 * fenced checkpoint.
 */
final class RunningAttempt implements JobContext {
  private static final Logger log = LoggerFactory.getLogger(RunningAttempt.class);
  private static final int LOG_BATCH = 64;

  private final EngineServices services;
  private final ClaimedJob claim;
  private final boolean resumed;

  /** Least millis between automatic checkpoints at checkInterrupt(); 0 = off (or not resumable). */
  private final long autoCheckpointMs;

  private long lastCheckpoint; // guarded by this
  private final long deadline; // epoch millis, 0 = none
  private final AtomicReference<Reason> stopReason = new AtomicReference<>();
  private volatile boolean leaseLost;
  private volatile JobHandler<?> job;
  private Thread thread; // guarded by this
  private volatile String traceId; // #13: written with each log line, set by an interceptor

  // Buffered writes, guarded by this: jobs may log and report progress from their own threads.
  private final List<LogLine> logBuffer = new ArrayList<>();
  private long lastLogFlush;
  private String pendingProgress;
  private long lastProgressWrite;

  RunningAttempt(
      EngineServices services,
      ClaimedJob claim,
      boolean resumed,
      boolean resumable,
      long startedAt,
      Thread thread) {
    this.services = services;
    this.claim = claim;
    this.resumed = resumed;
    this.autoCheckpointMs = resumable ? services.config().autoCheckpointInterval().toMillis() : 0;
    this.lastCheckpoint = startedAt;
    this.deadline = claim.timeoutMs() > 0 ? startedAt + claim.timeoutMs() : 0;
    this.thread = thread;
    this.lastLogFlush = startedAt;
  }

  ClaimedJob claim() {
    return claim;
  }

  /** The trace id written with this attempt's log lines from now on, or null (#13). */
  void logTraceId(String id) {
    this.traceId = id;
  }

  void attach(JobHandler<?> job) {
    this.job = job;
  }

  // ---------------------------------------------------------------- stop signals

  /** Asks the job to stop at its next safe point; the first reason wins. */
  void requestStop(Reason reason) {
    if (reason == Reason.LEASE_LOST) {
      leaseLost = true;
    } else {
      stopReason.compareAndSet(null, reason);
    }
  }

  /** Interrupts the worker thread, if it is still running this attempt. */
  synchronized void interruptThread() {
    if (thread != null) {
      thread.interrupt();
    }
  }

  /**
   * Called by the worker thread when the attempt is over, so no later interrupt hits another job.
   */
  synchronized void detach() {
    thread = null;
  }

  boolean isLeaseLost() {
    return leaseLost;
  }

  Reason stopReason() {
    return leaseLost ? Reason.LEASE_LOST : stopReason.get();
  }

  /** Checks the deadline against {@code now}; marks and reports a timeout. */
  boolean checkDeadline(long now) {
    if (deadline > 0 && now >= deadline) {
      requestStop(Reason.TIMED_OUT);
      return true;
    }
    return false;
  }

  // ---------------------------------------------------------------- JobContext

  @Override
  public String id() {
    return claim.id();
  }

  @Override
  public String name() {
    return claim.name();
  }

  @Override
  public int attempt() {
    return claim.attempt();
  }

  @Override
  public boolean isResumed() {
    return resumed;
  }

  @Override
  public Path dataDir() {
    Path dir = services.config().dataRoot().resolve(claim.id());
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "job " + claim.id() + ": cannot create data directory " + dir, e);
    }
  }

  @Override
  public void log(LogLevel level, String message) {
    long now = services.clock().millis();
    boolean flush;
    synchronized (this) {
      logBuffer.add(
          new LogLine(
              0, claim.id(), now, level, String.valueOf(message), claim.attempt(), traceId));
      flush = logBuffer.size() >= LOG_BATCH;
    }
    if (flush) {
      flushLogs();
    }
  }

  @Override
  public void progress(Progress progress) {
    services.watchers().progress(claim.id(), progress);
    String json = ProgressJson.write(progress);
    services
        .events()
        .publish(claim.id(), claim.name(), JobEventType.PROGRESS, json, claim.tenant());
    long now = services.clock().millis();
    boolean write;
    synchronized (this) {
      pendingProgress = json;
      write = now - lastProgressWrite >= services.config().progressInterval().toMillis();
    }
    if (write) {
      flushProgress();
    }
  }

  @Override
  public void checkInterrupt() {
    Reason r = stopReason();
    if (r == null && checkDeadline(services.clock().millis())) {
      r = stopReason();
    }
    if (r != null) {
      throw new JobInterruptedException(claim.id(), r);
    }
    long now = services.clock().millis();
    boolean due;
    synchronized (this) {
      due = now - lastLogFlush >= services.config().progressInterval().toMillis();
    }
    if (due) {
      flushAll();
    }
    if (autoCheckpointMs > 0 && now - lastCheckpoint() >= autoCheckpointMs) {
      saveCheckpoint();
    }
    if (leaseLost) {
      throw new JobInterruptedException(claim.id(), Reason.LEASE_LOST);
    }
  }

  private synchronized long lastCheckpoint() {
    return lastCheckpoint;
  }

  @Override
  public void checkpoint() {
    if (leaseLost) {
      throw new JobInterruptedException(claim.id(), Reason.LEASE_LOST);
    }
    if (!saveCheckpoint()) {
      throw new JobInterruptedException(claim.id(), Reason.LEASE_LOST);
    }
    flushAll();
  }

  // ---------------------------------------------------------------- fenced writes

  /** Writes the job object's state; false (and lease lost) when the claim is no longer held. */
  boolean saveCheckpoint() {
    byte[] state = services.registry().toMsgpack(job);
    long now = services.clock().millis();
    boolean ok = services.store().checkpoint(claim.id(), claim.epoch(), state, now);
    synchronized (this) {
      lastCheckpoint = now;
    }
    if (!ok) {
      lostLease("checkpoint");
    }
    return ok;
  }

  /** Writes buffered logs and pending progress; false when the lease was lost. */
  boolean flushAll() {
    return flushLogs() && flushProgress();
  }

  private boolean flushLogs() {
    List<LogLine> batch;
    synchronized (this) {
      lastLogFlush = services.clock().millis();
      if (logBuffer.isEmpty()) {
        return !leaseLost;
      }
      batch = List.copyOf(logBuffer);
      logBuffer.clear();
    }
    boolean ok = services.store().appendLogs(claim.id(), claim.epoch(), batch);
    if (!ok) {
      lostLease("appendLogs");
    }
    return ok;
  }

  private boolean flushProgress() {
    String json;
    synchronized (this) {
      json = pendingProgress;
      pendingProgress = null;
      lastProgressWrite = services.clock().millis();
    }
    if (json == null) {
      return !leaseLost;
    }
    boolean ok =
        services.store().updateProgress(claim.id(), claim.epoch(), json, services.clock().millis());
    if (!ok) {
      lostLease("updateProgress");
    }
    return ok;
  }

  private void lostLease(String write) {
    if (!leaseLost) {
      log.warn(
          "Job {} ({}) lost its lease (noticed at {}); another worker owns it now, stopping",
          claim.id(),
          claim.name(),
          write);
    }
    leaseLost = true;
  }

  // ---------------------------------------------------------------- #12 dependencies

  private volatile List<dev.jobkit.runtime.internal.store.ParentRow> parents;

  private volatile java.util.Optional<String> batchId; // #12 batches, read once per attempt

  @Override
  public String batchId() {
    java.util.Optional<String> b = batchId;
    if (b == null) {
      b = services.store().batchOf(claim.id());
      batchId = b;
    }
    return b.orElse(null);
  }

  /** The job's parents, read once per attempt (their outputs do not change while it runs). */
  private List<dev.jobkit.runtime.internal.store.ParentRow> parents() {
    List<dev.jobkit.runtime.internal.store.ParentRow> p = parents;
    if (p == null) {
      p = services.store().parents(claim.id());
      parents = p;
    }
    return p;
  }

  @Override
  public List<String> parentIds() {
    return parents().stream().map(dev.jobkit.runtime.internal.store.ParentRow::parentId).toList();
  }

  @Override
  public <T> List<T> parentOutputs(Class<T> outputType) {
    List<T> out = new ArrayList<>();
    for (dev.jobkit.runtime.internal.store.ParentRow p : parents()) {
      out.add(decode(p, outputType));
    }
    return java.util.Collections.unmodifiableList(out);
  }

  @Override
  public <T> T parentOutput(String parentId, Class<T> outputType) {
    for (dev.jobkit.runtime.internal.store.ParentRow p : parents()) {
      if (p.parentId().equals(parentId)) {
        return decode(p, outputType);
      }
    }
    throw new IllegalArgumentException(
        "job " + claim.id() + " has no parent " + parentId + "; its parents are " + parentIds());
  }

  private <T> T decode(dev.jobkit.runtime.internal.store.ParentRow p, Class<T> outputType) {
    if (p.status() != dev.jobkit.runtime.internal.state.JobStatus.COMPLETED || p.output() == null) {
      return null;
    }
    Object value = services.registry().outputFromJson(p.name(), p.output());
    if (value != null && !outputType.isInstance(value)) {
      throw new ClassCastException(
          "parent "
              + p.parentId()
              + " ("
              + p.name()
              + ") of job "
              + claim.id()
              + " has an output of type "
              + value.getClass().getName()
              + ", not "
              + outputType.getName()
              + "; read it with parentOutput(id, type) and its own type");
    }
    return outputType.cast(value);
  }
}
