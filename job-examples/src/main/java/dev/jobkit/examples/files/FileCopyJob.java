package dev.jobkit.examples.files;

import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;

import dev.jobkit.Job;
import dev.jobkit.JobContext;
import dev.jobkit.JobHandler;
import dev.jobkit.LogLevel;
import dev.jobkit.NonRetryableException;
import dev.jobkit.Progress;
import dev.jobkit.State;
import dev.jobkit.examples.Failure;
import dev.jobkit.examples.Sizes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Copies files and directory trees into a destination directory.
 *
 * <p>Parameters, as JSON:
 *
 * <pre>{@code
 * {"sources": ["/data/photos", "/data/notes.txt"], "destination": "/backup",
 *  "overwrite": true, "checkpointEvery": 1, "throttleMillis": 0}
 * }</pre>
 *
 * <p>A directory is copied with its whole tree under its own name ({@code /data/photos/a.jpg} goes
 * to {@code /backup/photos/a.jpg}), a file directly into the destination. Empty directories are not
 * recreated.
 *
 * <p>On its first run the job lists every file to copy (its <em>plan</em>) and saves it with a
 * checkpoint, so that item numbers stay the same however often the job is interrupted. It then
 * copies the files in order and checkpoints after each one (or every {@code checkpointEvery}); a
 * resumed run starts at the first file not yet done. Each file is written to a {@code .part} file
 * first and moved into place when complete, so an interruption never leaves a half-copied file
 * under the real name.
 *
 * <p>A source or file that cannot be read is listed in {@link CopyReport#failed()} with the reason;
 * the job carries on with the others.
 */
@Job(
    name = "file_copy",
    description = "Copies files and directory trees into a destination directory")
public class FileCopyJob implements JobHandler<CopyReport> {
  private static final int CHUNK_BYTES = 256 * 1024;

  // ---------------------------------------------------------------- parameters

  /** The files and directories to copy. */
  public List<Path> sources;

  /** The directory to copy into; created if missing. */
  public Path destination;

  /** Whether files already at the destination are replaced (default) or skipped. */
  public boolean overwrite = true;

  /** Checkpoint after every this many files; default 1, after each file. */
  public int checkpointEvery = 1;

  /** Milliseconds to wait after each file, to make the job slow enough to watch; default 0. */
  public long throttleMillis;

  // ---------------------------------------------------------------- progress state

  /** Every file to copy, listed on the first run; {@code null} until then. */
  @State List<CopyItem> plan;

  /** How many items of {@link #plan} are done: the index of the next file to copy. */
  @State int nextIndex;

  @State int copied;
  @State int skipped;
  @State long bytesCopied;
  @State List<Failure> failed = new ArrayList<>();
  @State Instant startedAt;

  /** A job without parameters, as the runtime creates it before reading its state. */
  public FileCopyJob() {}

  /** A job copying {@code sources} into {@code destination}. */
  public FileCopyJob(List<Path> sources, Path destination) {
    this.sources = new ArrayList<>(sources);
    this.destination = destination;
  }

  @Override
  public CopyReport run(JobContext ctx) throws Exception {
    validate();
    if (plan == null) {
      startedAt = Instant.now();
      plan = plan(ctx);
      long total = plan.stream().mapToLong(CopyItem::size).sum();
      ctx.log("Copying " + plan.size() + " files (" + Sizes.bytes(total) + ") to " + destination);
      ctx.checkpoint(); // from here on, a restart uses this plan and its item numbers
    } else {
      ctx.log(
          "Resumed from checkpoint at item "
              + (nextIndex + 1)
              + " of "
              + plan.size()
              + " ("
              + nextIndex
              + " files already done)");
    }

    long totalBytes = plan.stream().mapToLong(CopyItem::size).sum();
    long runStart = System.nanoTime();
    long bytesAtRunStart = bytesCopied;
    while (nextIndex < plan.size()) {
      ctx.checkInterrupt();
      copy(plan.get(nextIndex), ctx);
      nextIndex++;
      if (nextIndex % checkpointEvery == 0 || nextIndex == plan.size()) {
        ctx.checkpoint();
      }
      double seconds = Math.max(1e-3, (System.nanoTime() - runStart) / 1e9);
      ctx.progress(
          Progress.count(nextIndex, plan.size(), "files")
              .with("bytes", bytesCopied)
              .with("totalBytes", totalBytes)
              .with("bytesPerSecond", Math.round((bytesCopied - bytesAtRunStart) / seconds)));
      if (throttleMillis > 0 && nextIndex < plan.size()) {
        Thread.sleep(throttleMillis);
      }
    }

    Duration duration = Duration.between(startedAt, Instant.now());
    ctx.log(
        "Copied "
            + copied
            + " files ("
            + Sizes.bytes(bytesCopied)
            + ")"
            + (skipped > 0 ? ", skipped " + skipped : "")
            + ", "
            + failed.size()
            + " failed, in "
            + Sizes.duration(duration));
    return new CopyReport(plan.size(), copied, skipped, List.copyOf(failed), bytesCopied, duration);
  }

  private void validate() {
    if (destination == null) {
      throw new NonRetryableException("file_copy: 'destination' is required");
    }
    if (sources == null || sources.isEmpty()) {
      throw new NonRetryableException(
          "file_copy: 'sources' must name at least one file or directory");
    }
    if (checkpointEvery < 1) {
      throw new NonRetryableException(
          "file_copy: 'checkpointEvery' must be at least 1, got " + checkpointEvery);
    }
  }

  /**
   * Lists the files to copy, in a stable order; sources that cannot be read go to {@link #failed}.
   */
  private List<CopyItem> plan(JobContext ctx) {
    List<CopyItem> items = new ArrayList<>();
    for (Path source : sources) {
      ctx.checkInterrupt();
      try {
        if (Files.isDirectory(source)) {
          Path base = destination.resolve(source.getFileName().toString());
          try (Stream<Path> tree = Files.walk(source)) {
            for (Path file : tree.filter(Files::isRegularFile).sorted().toList()) {
              items.add(
                  new CopyItem(
                      file, base.resolve(source.relativize(file).toString()), Files.size(file)));
            }
          }
        } else if (Files.exists(source)) {
          items.add(
              new CopyItem(
                  source,
                  destination.resolve(source.getFileName().toString()),
                  Files.size(source)));
        } else {
          throw new NoSuchFileException(source.toString());
        }
      } catch (IOException | UncheckedIOException e) {
        Failure failure =
            Failure.of(source, e instanceof UncheckedIOException u ? u.getCause() : e);
        failed.add(failure);
        ctx.log(LogLevel.WARN, "Cannot read source " + source + ": " + failure.reason());
      }
    }
    return items;
  }

  /** Copies one file, recording the outcome in the counters or in {@link #failed}. */
  private void copy(CopyItem item, JobContext ctx) {
    try {
      if (!overwrite && Files.exists(item.target())) {
        skipped++;
        ctx.log(LogLevel.DEBUG, "Skipped " + item.source() + ": " + item.target() + " exists");
        return;
      }
      long bytes = copyFile(item.source(), item.target(), ctx);
      copied++;
      bytesCopied += bytes;
      ctx.log(LogLevel.DEBUG, "Copied " + item.source() + " (" + Sizes.bytes(bytes) + ")");
    } catch (IOException e) {
      Failure failure = Failure.of(item.source(), e);
      failed.add(failure);
      ctx.log(LogLevel.WARN, "Cannot copy " + item.source() + ": " + failure.reason());
    }
  }

  /**
   * Copies {@code source} to {@code target} through a {@code .part} file, checking for interruption
   * between chunks so that a large file does not hold up cancel or pause.
   */
  private static long copyFile(Path source, Path target, JobContext ctx) throws IOException {
    Files.createDirectories(target.getParent());
    Path partial = target.resolveSibling(target.getFileName() + ".part");
    long bytes = 0;
    try {
      try (InputStream in = Files.newInputStream(source);
          OutputStream out = Files.newOutputStream(partial)) {
        byte[] buffer = new byte[CHUNK_BYTES];
        int n;
        while ((n = in.read(buffer)) > 0) {
          out.write(buffer, 0, n);
          bytes += n;
          ctx.checkInterrupt();
        }
      }
      Files.setLastModifiedTime(partial, Files.getLastModifiedTime(source));
      Files.move(partial, target, REPLACE_EXISTING, ATOMIC_MOVE);
      return bytes;
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(partial);
      throw e;
    }
  }
}
