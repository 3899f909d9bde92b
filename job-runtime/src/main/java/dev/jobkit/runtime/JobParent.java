package dev.jobkit.runtime;

import java.util.Optional;

/**
 * A parent of a job ({@link JobManager#parents(String)}), with the state of the edge between them.
 *
 * @param id the parent's id
 * @param name the parent's job name; empty when the parent was deleted (by retention or cleanup)
 * @param state the parent's state; empty when it was deleted
 * @param onFailure what the parent's failure does to the child
 * @param satisfied whether the child no longer waits for this parent: it completed, or it failed
 *     and the policy is {@link OnParentFailure#RUN_ANYWAY}
 */
public record JobParent(
    String id,
    Optional<String> name,
    Optional<JobState> state,
    OnParentFailure onFailure,
    boolean satisfied) {}
