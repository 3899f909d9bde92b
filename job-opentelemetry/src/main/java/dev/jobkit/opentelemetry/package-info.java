/**
 * OpenTelemetry tracing for jobkit (#13): register {@link dev.jobkit.opentelemetry.JobkitTracing}
 * with {@code JobManager.Builder.intercept}. See docs/integration.md.
 */
package dev.jobkit.opentelemetry;
