package dev.jobkit.runtime.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A size-limited tmpfs mounted on a directory, to fill a disk for real. Mounting needs root (CI
 * runs as root); where it cannot mount, {@link #mount} skips the test with the reason.
 */
public final class SmallDisk implements AutoCloseable {
  private final Path dir;
  private final Path filler;

  private SmallDisk(Path dir) {
    this.dir = dir;
    this.filler = dir.resolve("filler");
  }

  /**
   * Mounts a tmpfs of {@code sizeKib} KiB on {@code dir} (created if absent), or skips the calling
   * test when this machine does not let the test mount one.
   */
  public static SmallDisk mount(Path dir, int sizeKib) throws IOException {
    Files.createDirectories(dir);
    String why =
        run("mount", "-t", "tmpfs", "-o", "size=" + sizeKib + "k", "tmpfs", dir.toString());
    assumeTrue(
        why == null,
        "cannot mount a size-limited tmpfs here (needs root and mount rights): " + why);
    return new SmallDisk(dir);
  }

  /** The mounted directory. */
  public Path dir() {
    return dir;
  }

  /** Fills the disk up with a filler file until the file system refuses another byte. */
  public void fill() throws IOException {
    byte[] block = new byte[4096];
    try (OutputStream out = Files.newOutputStream(filler)) {
      while (true) {
        out.write(block);
        out.flush();
      }
    } catch (IOException full) {
      // ENOSPC: the disk is full, which is what was asked for.
    }
  }

  /** Deletes the filler file: the space is free again. */
  public void free() throws IOException {
    Files.deleteIfExists(filler);
  }

  @Override
  public void close() throws IOException {
    String why = run("umount", "-l", dir.toString());
    if (why != null) {
      throw new IOException("cannot unmount the tmpfs on " + dir + ": " + why);
    }
  }

  /** Runs a command; null when it succeeded, else its output. */
  private static String run(String... command) throws IOException {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      return e.getMessage();
    }
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return String.join(" ", command) + " did not finish within 30 s";
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      return String.join(" ", command) + " was interrupted";
    }
    String out = new String(p.getInputStream().readAllBytes()).strip();
    return p.exitValue() == 0 ? null : "exit " + p.exitValue() + ": " + out;
  }
}
