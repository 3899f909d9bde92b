/**
 * The job lifecycle: {@link JobStatus} and the one table of allowed transitions. Depends on
 * nothing.
 */
package dev.jobkit.runtime.internal.state;
