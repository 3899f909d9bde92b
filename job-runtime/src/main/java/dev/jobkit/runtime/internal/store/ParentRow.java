package dev.jobkit.runtime.internal.store;

import dev.jobkit.runtime.internal.state.JobStatus;

/**
 * A parent of a job, with the edge between them (#12 dependencies).
 *
 * @param parentId the parent's id
 * @param name the parent's job name, or null when the parent was deleted
 * @param status the parent's status, or null when it was deleted
 * @param output the parent's output as JSON, or null
 * @param onFailure the edge's failure policy
 * @param state the edge's state
 */
public record ParentRow(
    String parentId,
    String name,
    JobStatus status,
    String output,
    DependencyEdge.OnFailure onFailure,
    DependencyEdge.State state) {}
