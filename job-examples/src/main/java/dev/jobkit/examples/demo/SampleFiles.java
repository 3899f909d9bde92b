package dev.jobkit.examples.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Writes a tree of small text files for the demo's jobs to copy and index. */
final class SampleFiles {
  private static final String[] WORDS = {
    "job", "worker", "queue", "checkpoint", "resume", "lease", "crash", "retry", "state",
    "progress", "durable", "sqlite", "widget", "backup", "index", "crawl", "report", "shell"
  };
  private static final int DIRECTORIES = 6;

  private SampleFiles() {}

  /**
   * Writes {@code count} text files of 2 to 40 KB, spread over a few directories under {@code
   * root}. The contents are the same on every run.
   *
   * @return the bytes written
   */
  static long create(Path root, int count) throws IOException {
    Random random = new Random(42);
    long bytes = 0;
    for (int i = 0; i < count; i++) {
      Path file = root.resolve(String.format("part-%d/file-%03d.txt", i % DIRECTORIES, i));
      Files.createDirectories(file.getParent());
      int size = 2048 + random.nextInt(38 * 1024);
      StringBuilder text = new StringBuilder(size + 16);
      while (text.length() < size) {
        text.append(WORDS[random.nextInt(WORDS.length)])
            .append(random.nextInt(12) == 0 ? '\n' : ' ');
      }
      Files.writeString(file, text);
      bytes += text.length();
    }
    return bytes;
  }
}
