package dev.jobkit.runtime.crash;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/** An append-only text journal shared by processes: one write(2) per line on an O_APPEND file. */
final class Journal {
  private Journal() {}

  static void append(Path file, String line) {
    try {
      Files.write(
          file,
          (line + "\n").getBytes(StandardCharsets.UTF_8),
          StandardOpenOption.CREATE,
          StandardOpenOption.WRITE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The complete lines written so far (a line still being written is left out). */
  static List<String> read(Path file) {
    try {
      String s = Files.readString(file, StandardCharsets.UTF_8);
      List<String> lines = new ArrayList<>(List.of(s.split("\n", -1)));
      lines.remove(lines.size() - 1); // text after the last newline: empty or incomplete
      return lines;
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
