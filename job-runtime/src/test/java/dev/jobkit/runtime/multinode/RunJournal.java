package dev.jobkit.runtime.multinode;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The journal all nodes of a multi-node test append to: one text file on this host, opened with
 * O_APPEND in every process, one write(2) per line, so its line order is a global order of events
 * across the processes (a process killed or stopped cannot leave half a line behind another one).
 *
 * <p>A line is {@code type seq node attempt step resumed millis thread [detail]}:
 *
 * <ul>
 *   <li>{@code S}: a run started; step is where it starts (its restored checkpoint);
 *   <li>{@code C}: a checkpoint committed (checkpoint() returned); step is the steps it covers;
 *   <li>{@code E}: the run returned normally (its completion may still be refused by the fence);
 *   <li>{@code X}: the run threw; detail is the exception's class and message.
 * </ul>
 */
final class RunJournal {
  private static final Map<String, FileOutputStream> OPEN = new ConcurrentHashMap<>();

  private RunJournal() {}

  /** The node name of this process: the child's {@code -Dmultinode.node}, "?" elsewhere. */
  static String node() {
    return System.getProperty("multinode.node", "?");
  }

  /** Appends one event of a job run in this process. */
  static void append(
      String file, char type, int seq, int attempt, int step, boolean resumed, String detail) {
    String line =
        type
            + " "
            + seq
            + " "
            + node()
            + " "
            + attempt
            + " "
            + step
            + " "
            + resumed
            + " "
            + System.currentTimeMillis()
            + " "
            + Thread.currentThread().getName().replace(' ', '_')
            + (detail == null ? "" : " " + detail.replaceAll("[^\\x20-\\x7e]", "?"))
            + "\n";
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    FileOutputStream out =
        OPEN.computeIfAbsent(
            file,
            f -> {
              try {
                return new FileOutputStream(
                    f, true); // O_APPEND; unlike a FileChannel, not interruptible
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    try {
      synchronized (out) {
        out.write(bytes); // small: one write(2) of the whole line
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One parsed journal line; {@code index} is its position in the file (0-based). */
  record Entry(
      int index,
      char type,
      int seq,
      String node,
      int attempt,
      int step,
      boolean resumed,
      long at,
      String thread,
      String detail) {
    static Entry parse(int index, String line) {
      String[] f = line.split(" ", 9);
      if (f.length < 8 || f[0].length() != 1) {
        throw new AssertionError("journal line " + index + " is malformed: '" + line + "'");
      }
      return new Entry(
          index,
          f[0].charAt(0),
          Integer.parseInt(f[1]),
          f[2],
          Integer.parseInt(f[3]),
          Integer.parseInt(f[4]),
          Boolean.parseBoolean(f[5]),
          Long.parseLong(f[6]),
          f[7],
          f.length > 8 ? f[8] : "");
    }

    @Override
    public String toString() {
      return "#"
          + index
          + " "
          + type
          + " seq="
          + seq
          + " "
          + node
          + " attempt="
          + attempt
          + " step="
          + step
          + (resumed ? " resumed" : "")
          + " at="
          + at
          + " "
          + thread
          + (detail.isEmpty() ? "" : " " + detail);
    }
  }

  /** Reads a journal as it grows: each {@link #poll()} returns the complete lines added since. */
  static final class Tail {
    private final Path file;
    private long offset;
    private final StringBuilder partial = new StringBuilder();
    private final List<Entry> all = new ArrayList<>();

    Tail(Path file) {
      this.file = file;
    }

    /** Reads what was appended; returns the new complete lines (also kept in {@link #all()}). */
    synchronized List<Entry> poll() {
      if (!Files.exists(file)) {
        return List.of();
      }
      byte[] chunk;
      try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
        long len = f.length();
        if (len <= offset) {
          return List.of();
        }
        chunk = new byte[(int) (len - offset)];
        f.seek(offset);
        f.readFully(chunk);
        offset = len;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      // Lines are ASCII, so a chunk boundary never splits a character.
      partial.append(new String(chunk, StandardCharsets.US_ASCII));
      List<Entry> added = new ArrayList<>();
      int start = 0;
      for (int nl; (nl = partial.indexOf("\n", start)) >= 0; start = nl + 1) {
        Entry e = Entry.parse(all.size(), partial.substring(start, nl));
        all.add(e);
        added.add(e);
      }
      partial.delete(0, start);
      return added;
    }

    /** Reads what was appended and returns every complete line so far, in file order. */
    synchronized List<Entry> pollAll() {
      poll();
      return all();
    }

    /** Every complete line read so far, in file order. */
    synchronized List<Entry> all() {
      return List.copyOf(all);
    }

    /** How many complete lines were read so far. */
    synchronized int size() {
      return all.size();
    }
  }
}
