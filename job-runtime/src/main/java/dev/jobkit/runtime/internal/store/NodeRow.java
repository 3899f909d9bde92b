package dev.jobkit.runtime.internal.store;

/**
 * A worker node registered in a {@link SharedJobStore}. Times are epoch millis on the database's
 * clock.
 *
 * @param id the node's lease owner id, as stored on the jobs it runs
 * @param host the host name it runs on
 * @param queues the queues it works, comma-separated
 * @param startedAt when it registered
 * @param heartbeatAt its last heartbeat
 * @param leaseMs its lease duration: it is dead once its heartbeat is older than this
 */
public record NodeRow(
    String id, String host, String queues, long startedAt, long heartbeatAt, long leaseMs) {}
