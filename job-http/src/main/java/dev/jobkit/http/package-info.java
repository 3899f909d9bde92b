/**
 * The jobkit HTTP API ({@code /api/v1}) and web dashboard, served by the JDK's own HTTP server next
 * to a {@link dev.jobkit.runtime.JobManager}.
 */
package dev.jobkit.http;
