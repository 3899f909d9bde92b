/**
 * The jobkit runtime: {@link dev.jobkit.runtime.JobManager} dispatches jobs into a persistent store
 * and runs them on worker pools, with checkpoints, retries, timeouts and recovery after a crash.
 * Everything under {@code dev.jobkit.runtime.internal} is not API.
 */
package dev.jobkit.runtime;
