/**
 * jobkit's public API: the {@link dev.jobkit.Job @Job} annotation, {@link dev.jobkit.JobHandler},
 * {@link dev.jobkit.JobContext}, {@link dev.jobkit.Progress}, the {@link dev.jobkit.JobRegistry}
 * that creates jobs by name, and the exception types.
 */
package dev.jobkit;
