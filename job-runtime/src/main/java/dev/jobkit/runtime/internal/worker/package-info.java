/**
 * The execution engine behind {@link dev.jobkit.runtime.JobManager}: claim loops per queue, worker
 * pools, the lease heartbeat, outcome handling and in-process result delivery. Not API.
 */
package dev.jobkit.runtime.internal.worker;
