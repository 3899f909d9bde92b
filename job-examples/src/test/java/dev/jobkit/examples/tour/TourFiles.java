package dev.jobkit.examples.tour;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Text files with known line and word counts, and the JSON that names them. */
final class TourFiles {
  final List<Path> files = new ArrayList<>();
  long lines;
  long words;

  /** {@code n} files in {@code dir}; file i has i + 1 lines of three words and one blank line. */
  static TourFiles write(Path dir, int n) throws IOException {
    TourFiles t = new TourFiles();
    Files.createDirectories(dir);
    for (int i = 0; i < n; i++) {
      StringBuilder text = new StringBuilder();
      for (int line = 0; line <= i; line++) {
        text.append("  the quick\tfox ").append('\n');
      }
      text.append('\n');
      Path file = dir.resolve("file" + i + ".txt");
      Files.writeString(file, text);
      t.files.add(file);
      t.lines += i + 2;
      t.words += 3L * (i + 1);
    }
    return t;
  }

  /** The word_count parameters as JSON. */
  String json(long throttleMillis) {
    StringBuilder s = new StringBuilder("{\"files\": [");
    for (int i = 0; i < files.size(); i++) {
      s.append(i == 0 ? "" : ", ")
          .append('"')
          .append(files.get(i).toString().replace("\\", "\\\\").replace("\"", "\\\""))
          .append('"');
    }
    return s.append("], \"throttleMillis\": ").append(throttleMillis).append('}').toString();
  }

  WordCount expected() {
    return new WordCount(files.size(), lines, words);
  }
}
