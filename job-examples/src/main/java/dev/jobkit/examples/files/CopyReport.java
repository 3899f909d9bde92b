package dev.jobkit.examples.files;

import dev.jobkit.examples.Failure;
import dev.jobkit.examples.Sizes;
import dev.jobkit.examples.Summarizable;
import java.time.Duration;
import java.util.List;

/**
 * The output of {@link FileCopyJob}.
 *
 * @param files files found in the sources
 * @param copied files copied
 * @param skipped files left alone because they existed and {@code overwrite} was false
 * @param failed sources and files that could not be copied, each with the reason
 * @param bytes bytes copied
 * @param duration time from the first start of the job to its end, interruptions included
 */
public record CopyReport(
    int files, int copied, int skipped, List<Failure> failed, long bytes, Duration duration)
    implements Summarizable {

  @Override
  public String summary() {
    return "copied "
        + copied
        + " of "
        + files
        + " files ("
        + Sizes.bytes(bytes)
        + ") in "
        + Sizes.duration(duration)
        + (skipped > 0 ? ", " + skipped + " skipped" : "")
        + ", "
        + failed.size()
        + " failed";
  }
}
