package dev.jobkit.examples;

/**
 * An output that can describe itself in one line, such as {@code "120 files copied (1.2 MB)"}. The
 * {@code report} job and the demo's summary table show this line for each job.
 */
public interface Summarizable {

  /** A one-line, human-readable summary of the output. */
  String summary();
}
