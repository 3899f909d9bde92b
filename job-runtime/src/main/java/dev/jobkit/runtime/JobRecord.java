package dev.jobkit.runtime;

import dev.jobkit.Priority;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A job exactly as stored, with its audit trail and log lines: what {@link JobTransfer} exports,
 * imports and migrates. Parameters and checkpoint are the stored MessagePack bytes, so a job whose
 * class is not on the class path still round-trips exactly. Byte arrays are not copied: do not
 * modify them.
 *
 * @param id the job's id
 * @param name its registered name
 * @param params its parameters as MessagePack
 * @param checkpoint its latest checkpoint as MessagePack; empty before the first
 * @param checkpointVersion incremented by each checkpoint
 * @param state its state
 * @param priority its priority
 * @param queue its queue
 * @param attempts attempts started (or spent)
 * @param maxAttempts attempts allowed
 * @param runAt when it is (or was) due
 * @param leaseOwner the process holding it while RUNNING
 * @param leaseExpiresAt when that lease ends
 * @param leaseEpoch the fencing token, incremented by each claim
 * @param cancelRequested whether a cancel waits for its worker
 * @param pauseRequested whether a pause waits for its worker
 * @param resumed whether its next run continues an interrupted one
 * @param progressJson its latest progress as JSON
 * @param outputJson its output as JSON
 * @param error its last error
 * @param tags its tags, in order
 * @param idempotencyKey its idempotency key
 * @param timeout the timeout of one attempt; zero for none
 * @param backoff its own first retry delay; zero for the manager's
 * @param createdBy who dispatched it
 * @param createdAt when it was dispatched
 * @param startedAt when its first attempt started
 * @param finishedAt when it ended
 * @param updatedAt when its row last changed
 * @param events its stored audit trail, oldest first, without the derived CREATED entry
 * @param logs its log lines, oldest first
 * @param parents its parents (#12 dependencies), each with the stored state of the edge, in their
 *     order; empty for a job without parents
 * @param tenant the tenant it belongs to (#14 tenants; {@link Tenants#DEFAULT} for jobs dispatched
 *     without one)
 * @param batchId the batch it is a member of (#12 batches; see {@link JobTransfer.BatchRecord});
 *     empty for a job in no batch and for a batch's callbacks, which are not members
 */
public record JobRecord(
    String id,
    String name,
    byte[] params,
    Optional<byte[]> checkpoint,
    long checkpointVersion,
    JobState state,
    Priority priority,
    String queue,
    int attempts,
    int maxAttempts,
    Instant runAt,
    Optional<String> leaseOwner,
    Optional<Instant> leaseExpiresAt,
    long leaseEpoch,
    boolean cancelRequested,
    boolean pauseRequested,
    boolean resumed,
    Optional<String> progressJson,
    Optional<String> outputJson,
    Optional<String> error,
    List<String> tags,
    Optional<String> idempotencyKey,
    Duration timeout,
    Duration backoff,
    Optional<String> createdBy,
    Instant createdAt,
    Optional<Instant> startedAt,
    Optional<Instant> finishedAt,
    Instant updatedAt,
    List<JobEventInfo> events,
    List<JobLogLine> logs,
    List<ParentEdge> parents,
    String tenant,
    Optional<String> batchId) {

  /**
   * An edge from this job to one of its parents, as stored (#12 dependencies). A job imported with
   * an edge that is {@link EdgeState#WAITING} waits until that parent, in the database it is
   * imported into, ends.
   *
   * @param parentId the parent's id; the parent may be absent (deleted, or not in the export)
   * @param position the parent's place in the job's list of parents
   * @param onFailure what the parent's failure does to this job
   * @param state where the edge stands
   */
  public record ParentEdge(
      String parentId, int position, OnParentFailure onFailure, EdgeState state) {
    /** Checks for nulls. */
    public ParentEdge {
      Objects.requireNonNull(parentId, "parentId");
      Objects.requireNonNull(onFailure, "onFailure");
      Objects.requireNonNull(state, "state");
    }
  }

  /** The stored state of a {@link ParentEdge}. */
  public enum EdgeState {
    /** The parent has not ended: the job waits for it. */
    WAITING,
    /** The parent completed. */
    DONE,
    /** The parent failed and the edge's policy ({@link OnParentFailure#RUN_ANYWAY}) let it pass. */
    PARENT_FAILED,
    /** The parent's failure ended this job; retrying the parent makes it wait again. */
    ENDED_CHILD
  }

  /** A record without parents (the shape before #12 dependencies). */
  public JobRecord(
      String id,
      String name,
      byte[] params,
      Optional<byte[]> checkpoint,
      long checkpointVersion,
      JobState state,
      Priority priority,
      String queue,
      int attempts,
      int maxAttempts,
      Instant runAt,
      Optional<String> leaseOwner,
      Optional<Instant> leaseExpiresAt,
      long leaseEpoch,
      boolean cancelRequested,
      boolean pauseRequested,
      boolean resumed,
      Optional<String> progressJson,
      Optional<String> outputJson,
      Optional<String> error,
      List<String> tags,
      Optional<String> idempotencyKey,
      Duration timeout,
      Duration backoff,
      Optional<String> createdBy,
      Instant createdAt,
      Optional<Instant> startedAt,
      Optional<Instant> finishedAt,
      Instant updatedAt,
      List<JobEventInfo> events,
      List<JobLogLine> logs) {
    this(
        id,
        name,
        params,
        checkpoint,
        checkpointVersion,
        state,
        priority,
        queue,
        attempts,
        maxAttempts,
        runAt,
        leaseOwner,
        leaseExpiresAt,
        leaseEpoch,
        cancelRequested,
        pauseRequested,
        resumed,
        progressJson,
        outputJson,
        error,
        tags,
        idempotencyKey,
        timeout,
        backoff,
        createdBy,
        createdAt,
        startedAt,
        finishedAt,
        updatedAt,
        events,
        logs,
        List.of(),
        Tenants.DEFAULT);
  }

  /** A record of a job in no batch (the shape before #12 batches). */
  public JobRecord(
      String id,
      String name,
      byte[] params,
      Optional<byte[]> checkpoint,
      long checkpointVersion,
      JobState state,
      Priority priority,
      String queue,
      int attempts,
      int maxAttempts,
      Instant runAt,
      Optional<String> leaseOwner,
      Optional<Instant> leaseExpiresAt,
      long leaseEpoch,
      boolean cancelRequested,
      boolean pauseRequested,
      boolean resumed,
      Optional<String> progressJson,
      Optional<String> outputJson,
      Optional<String> error,
      List<String> tags,
      Optional<String> idempotencyKey,
      Duration timeout,
      Duration backoff,
      Optional<String> createdBy,
      Instant createdAt,
      Optional<Instant> startedAt,
      Optional<Instant> finishedAt,
      Instant updatedAt,
      List<JobEventInfo> events,
      List<JobLogLine> logs,
      List<ParentEdge> parents,
      String tenant) {
    this(
        id,
        name,
        params,
        checkpoint,
        checkpointVersion,
        state,
        priority,
        queue,
        attempts,
        maxAttempts,
        runAt,
        leaseOwner,
        leaseExpiresAt,
        leaseEpoch,
        cancelRequested,
        pauseRequested,
        resumed,
        progressJson,
        outputJson,
        error,
        tags,
        idempotencyKey,
        timeout,
        backoff,
        createdBy,
        createdAt,
        startedAt,
        finishedAt,
        updatedAt,
        events,
        logs,
        parents,
        tenant,
        Optional.empty());
  }

  /** This record with other parent edges. */
  public JobRecord withParents(List<ParentEdge> edges) {
    return new JobRecord(
        id,
        name,
        params,
        checkpoint,
        checkpointVersion,
        state,
        priority,
        queue,
        attempts,
        maxAttempts,
        runAt,
        leaseOwner,
        leaseExpiresAt,
        leaseEpoch,
        cancelRequested,
        pauseRequested,
        resumed,
        progressJson,
        outputJson,
        error,
        tags,
        idempotencyKey,
        timeout,
        backoff,
        createdBy,
        createdAt,
        startedAt,
        finishedAt,
        updatedAt,
        events,
        logs,
        edges,
        tenant,
        batchId);
  }

  /** This record in another tenant (#14 tenants). */
  public JobRecord withTenant(String t) {
    return new JobRecord(
        id,
        name,
        params,
        checkpoint,
        checkpointVersion,
        state,
        priority,
        queue,
        attempts,
        maxAttempts,
        runAt,
        leaseOwner,
        leaseExpiresAt,
        leaseEpoch,
        cancelRequested,
        pauseRequested,
        resumed,
        progressJson,
        outputJson,
        error,
        tags,
        idempotencyKey,
        timeout,
        backoff,
        createdBy,
        createdAt,
        startedAt,
        finishedAt,
        updatedAt,
        events,
        logs,
        parents,
        t,
        batchId);
  }

  /** Validates and copies the lists. */
  public JobRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(params, "params");
    Objects.requireNonNull(checkpoint, "checkpoint");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(priority, "priority");
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(runAt, "runAt");
    Objects.requireNonNull(leaseOwner, "leaseOwner");
    Objects.requireNonNull(leaseExpiresAt, "leaseExpiresAt");
    Objects.requireNonNull(progressJson, "progressJson");
    Objects.requireNonNull(outputJson, "outputJson");
    Objects.requireNonNull(error, "error");
    tags = List.copyOf(tags);
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(backoff, "backoff");
    Objects.requireNonNull(createdBy, "createdBy");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(finishedAt, "finishedAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    events = List.copyOf(events);
    logs = List.copyOf(logs);
    parents = List.copyOf(parents);
    tenant = Tenants.checkName(tenant == null ? Tenants.DEFAULT : tenant);
    Objects.requireNonNull(batchId, "batchId");
  }

  /** This record as a member of batch {@code batch} (#12 batches), or of none when empty. */
  public JobRecord withBatchId(Optional<String> batch) {
    return new JobRecord(
        id,
        name,
        params,
        checkpoint,
        checkpointVersion,
        state,
        priority,
        queue,
        attempts,
        maxAttempts,
        runAt,
        leaseOwner,
        leaseExpiresAt,
        leaseEpoch,
        cancelRequested,
        pauseRequested,
        resumed,
        progressJson,
        outputJson,
        error,
        tags,
        idempotencyKey,
        timeout,
        backoff,
        createdBy,
        createdAt,
        startedAt,
        finishedAt,
        updatedAt,
        events,
        logs,
        parents,
        tenant,
        batch);
  }

  /**
   * A SHA-256 over every field, the bytes, events (with their ids) and log lines (with theirs)
   * included, as lower-case hex: two records with the same checksum hold the same job. A migration
   * compares the checksum of each job in the source and the target. Parent edges count when there
   * are any, so a job without parents keeps the checksum it had before #12 dependencies; the tenant
   * counts when it is not the default one, the batch when there is one.
   */
  public String checksum() {
    Digest d = new Digest();
    d.text(id).text(name).bytes(params).bytes(checkpoint.orElse(null));
    d.number(checkpointVersion).text(state.name()).text(priority.name()).text(queue);
    d.number(attempts).number(maxAttempts).time(runAt).text(leaseOwner.orElse(null));
    d.time(leaseExpiresAt.orElse(null)).number(leaseEpoch);
    d.flag(cancelRequested).flag(pauseRequested).flag(resumed);
    d.text(progressJson.orElse(null)).text(outputJson.orElse(null)).text(error.orElse(null));
    d.number(tags.size());
    tags.forEach(d::text);
    d.text(idempotencyKey.orElse(null)).number(timeout.toMillis()).number(backoff.toMillis());
    d.text(createdBy.orElse(null)).time(createdAt).time(startedAt.orElse(null));
    d.time(finishedAt.orElse(null)).time(updatedAt);
    d.number(events.size());
    for (JobEventInfo e : events) {
      d.number(e.id()).time(e.at()).text(e.kind().name());
      d.text(e.from().map(Enum::name).orElse(null)).text(e.to().map(Enum::name).orElse(null));
      d.text(e.detail().orElse(null)).text(e.actor().orElse(null));
    }
    d.number(logs.size());
    for (JobLogLine l : logs) {
      d.number(l.id()).time(l.at()).text(l.level().name()).text(l.message()).number(l.attempt());
    }
    if (!parents.isEmpty()) {
      d.number(parents.size());
      for (ParentEdge p : parents) {
        d.text(p.parentId()).number(p.position()).text(p.onFailure().name());
        d.text(p.state().name());
      }
    }
    if (!tenant.equals(Tenants.DEFAULT)) { // so a job of the default tenant keeps its checksum
      d.text(tenant);
    }
    if (batchId.isPresent()) { // #12 batches; likewise, a job in no batch keeps its checksum
      d.text("batch").text(batchId.get());
    }
    return d.hex();
  }

  /** Length-prefixed fields into SHA-256, so that no two different records feed the same bytes. */
  private static final class Digest {
    private final MessageDigest sha;

    Digest() {
      try {
        sha = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is missing from this JVM", e);
      }
    }

    Digest bytes(byte[] b) {
      if (b == null) {
        number(-1);
      } else {
        number(b.length);
        sha.update(b);
      }
      return this;
    }

    Digest text(String s) {
      return bytes(s == null ? null : s.getBytes(StandardCharsets.UTF_8));
    }

    Digest number(long n) {
      sha.update(ByteBuffer.allocate(Long.BYTES).putLong(n).array());
      return this;
    }

    Digest time(Instant at) {
      return number(at == null ? Long.MIN_VALUE : at.toEpochMilli());
    }

    Digest flag(boolean b) {
      return number(b ? 1 : 0);
    }

    String hex() {
      return HexFormat.of().formatHex(sha.digest());
    }
  }
}
