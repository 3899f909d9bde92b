package dev.jobkit.examples.files;

import dev.jobkit.examples.Failure;
import dev.jobkit.examples.Sizes;
import dev.jobkit.examples.Summarizable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The output of {@link IndexerJob}.
 *
 * @param root the directory indexed
 * @param mode {@code metadata}, {@code content} or {@code deep}
 * @param files regular files indexed
 * @param dirs directories found below the root
 * @param bytes total size of the files indexed
 * @param filesByExtension number of files per lower-case extension ({@code ""} for none)
 * @param bytesByExtension bytes per lower-case extension
 * @param filesByType number of files per guessed media type ({@code deep} mode only)
 * @param lines newline characters in text files ({@code deep} mode only)
 * @param words whitespace-separated words in text files ({@code deep} mode only)
 * @param indexFile the tab-separated index written, one line per file
 * @param errors files and directories that could not be read, with the reason
 * @param duration time from the first start of the job to its end, interruptions included
 */
public record IndexReport(
    Path root,
    String mode,
    long files,
    long dirs,
    long bytes,
    Map<String, Long> filesByExtension,
    Map<String, Long> bytesByExtension,
    Map<String, Long> filesByType,
    long lines,
    long words,
    Path indexFile,
    List<Failure> errors,
    Duration duration)
    implements Summarizable {

  @Override
  public String summary() {
    return "indexed "
        + Sizes.count(files, "file")
        + " in "
        + Sizes.count(dirs, "dir")
        + " ("
        + Sizes.bytes(bytes)
        + ", "
        + Sizes.count(filesByExtension.size(), "extension")
        + "), mode "
        + mode
        + ("deep".equals(mode)
            ? ", " + Sizes.count(lines, "line") + ", " + Sizes.count(words, "word")
            : "")
        + ", "
        + Sizes.count(errors.size(), "error");
  }
}
