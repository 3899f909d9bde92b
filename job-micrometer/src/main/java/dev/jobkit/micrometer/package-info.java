/**
 * Micrometer meters for jobkit (#13): register {@link dev.jobkit.micrometer.JobkitMetrics} with
 * {@code JobManager.Builder.intercept}. See docs/integration.md.
 */
package dev.jobkit.micrometer;
