package dev.jobkit.examples.files;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.nio.file.LinkOption.NOFOLLOW_LINKS;

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
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Indexes a directory tree: writes one tab-separated line per file to an index file and totals the
 * files, directories and bytes per extension.
 *
 * <p>Parameters, as JSON:
 *
 * <pre>{@code
 * {"root": "/data", "mode": "content", "checkpointEvery": 100, "indexFile": "/tmp/index.tsv"}
 * }</pre>
 *
 * <p>Modes:
 *
 * <ul>
 *   <li>{@code metadata} (default): path, size and modification time;
 *   <li>{@code content}: also the SHA-256 of each file's contents;
 *   <li>{@code deep}: also a media type guessed from the extension (or {@code text/plain} / {@code
 *       application/octet-stream} from the contents), and for text files the number of lines and
 *       words, counted like {@code wc -l} and {@code wc -w} on ASCII whitespace. A file with a NUL
 *       byte is binary and has no line or word counts.
 * </ul>
 *
 * <p>The tree is walked depth-first with the entries of each directory sorted by name, so the walk
 * visits entries in the same order on every run. The state records how many entries are done and
 * how long the index file was at that point; a resumed run walks the tree again, skips the entries
 * already done (without reading them) and cuts the index file back to the recorded length, so no
 * line is written twice. If the tree changes while the job is interrupted, the resumed run may
 * index a file twice or miss one. Symbolic links and special files are not followed or indexed.
 */
@Job(
    name = "indexer",
    description = "Indexes a directory tree: sizes, extensions, hashes, text statistics")
public class IndexerJob implements JobHandler<IndexReport> {
  /** The allowed values of {@link #mode}. */
  public static final List<String> MODES = List.of("metadata", "content", "deep");

  private static final int CHUNK_BYTES = 64 * 1024;
  private static final String HEADER = "path\tsize\tmodified\tsha256\ttype\tlines\twords\n";
  private static final Map<String, String> TYPES =
      Map.ofEntries(
          Map.entry("txt", "text/plain"),
          Map.entry("md", "text/markdown"),
          Map.entry("html", "text/html"),
          Map.entry("htm", "text/html"),
          Map.entry("css", "text/css"),
          Map.entry("csv", "text/csv"),
          Map.entry("java", "text/x-java"),
          Map.entry("js", "text/javascript"),
          Map.entry("json", "application/json"),
          Map.entry("xml", "application/xml"),
          Map.entry("pdf", "application/pdf"),
          Map.entry("zip", "application/zip"),
          Map.entry("png", "image/png"),
          Map.entry("jpg", "image/jpeg"),
          Map.entry("jpeg", "image/jpeg"),
          Map.entry("gif", "image/gif"),
          Map.entry("svg", "image/svg+xml"));

  // ---------------------------------------------------------------- parameters

  /** The directory to index. */
  public Path root;

  /** {@code metadata}, {@code content} or {@code deep}; see the class description. */
  public String mode = "metadata";

  /** Checkpoint after every this many files; default 100. */
  public int checkpointEvery = 100;

  /** Where the index goes; default {@code index.tsv} in the job's data directory. */
  public @Nullable Path indexFile;

  /** Milliseconds to wait after each file, to make the job slow enough to watch; default 0. */
  public long throttleMillis;

  // ---------------------------------------------------------------- progress state

  /** Entries (files, directories and others) of the walk already handled. */
  @State long entriesDone;

  /** Length of the index file that matches this state. */
  @State long indexBytes;

  @State long files;
  @State long dirs;
  @State long bytes;
  @State long lines;
  @State long words;
  @State TreeMap<String, Long> filesByExtension = new TreeMap<>();
  @State TreeMap<String, Long> bytesByExtension = new TreeMap<>();
  @State TreeMap<String, Long> filesByType = new TreeMap<>();
  @State List<Failure> errors = new ArrayList<>();
  @State Instant startedAt;

  // ---------------------------------------------------------------- per run, not saved

  /** Position of the entry being visited in the walk. */
  private transient long position;

  private transient long totalEntries;
  private transient int filesSinceCheckpoint;
  private transient FileChannel index;

  @Override
  public IndexReport run(JobContext ctx) throws Exception {
    validate();
    if (startedAt == null) {
      startedAt = Instant.now();
    }
    if (indexFile == null) {
      indexFile = ctx.dataDir().resolve("index.tsv");
    }
    totalEntries = countEntries(ctx);
    if (entriesDone > 0) {
      ctx.log(
          "Resumed from checkpoint at entry "
              + (entriesDone + 1)
              + " of "
              + totalEntries
              + " ("
              + files
              + " files indexed so far)");
    } else {
      ctx.log("Indexing " + totalEntries + " entries under " + root + " in " + mode + " mode");
    }

    try (FileChannel channel =
        FileChannel.open(indexFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      index = channel;
      channel.truncate(indexBytes); // drops lines written after the last checkpoint
      channel.position(indexBytes);
      if (indexBytes == 0) {
        write(HEADER);
      }
      walk(root, entriesDone == 0, ctx);
    } finally {
      index = null;
    }
    ctx.checkpoint();

    Duration duration = Duration.between(startedAt, Instant.now());
    ctx.log(
        "Indexed "
            + files
            + " files in "
            + dirs
            + " directories ("
            + Sizes.bytes(bytes)
            + "), "
            + errors.size()
            + " errors, index at "
            + indexFile);
    return new IndexReport(
        root,
        mode,
        files,
        dirs,
        bytes,
        filesByExtension,
        bytesByExtension,
        filesByType,
        lines,
        words,
        indexFile,
        List.copyOf(errors),
        duration);
  }

  private void validate() {
    if (root == null) {
      throw new NonRetryableException("indexer: 'root' is required");
    }
    if (!MODES.contains(mode)) {
      throw new NonRetryableException(
          "indexer: unknown mode '" + mode + "'; allowed: " + String.join(", ", MODES));
    }
    if (checkpointEvery < 1) {
      throw new NonRetryableException(
          "indexer: 'checkpointEvery' must be at least 1, got " + checkpointEvery);
    }
    if (!Files.isDirectory(root)) {
      throw new NonRetryableException("indexer: root " + root + " is not a directory");
    }
  }

  /** Counts the entries below the root, for progress; unreadable directories are passed over. */
  private long countEntries(JobContext ctx) throws IOException {
    long[] count = {0};
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            ctx.checkInterrupt();
            count[0]++;
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            count[0]++;
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) {
            count[0]++;
            return FileVisitResult.CONTINUE;
          }
        });
    return count[0] - 1; // not the root itself
  }

  /**
   * Visits the entries of {@code dir} in name order. Entries before {@link #entriesDone} were
   * handled by an earlier run: directories among them are still walked, to reach what is left.
   *
   * @param fresh whether {@code dir} itself was reached in this run, so its errors are new
   */
  private void walk(Path dir, boolean fresh, JobContext ctx)
      throws IOException, InterruptedException {
    List<Path> children;
    try (Stream<Path> list = Files.list(dir)) {
      children = list.sorted().toList();
    } catch (IOException e) {
      if (fresh) {
        errors.add(Failure.of(dir, e));
        ctx.log(LogLevel.WARN, "Cannot list " + dir + ": " + Failure.reason(e));
      }
      return;
    }
    for (Path child : children) {
      boolean isDirectory = Files.isDirectory(child, NOFOLLOW_LINKS);
      boolean todo = position++ >= entriesDone;
      if (todo) {
        ctx.checkInterrupt();
        if (isDirectory) {
          dirs++;
        } else if (Files.isRegularFile(child, NOFOLLOW_LINKS)) {
          indexFile(child, ctx);
        }
        entriesDone++;
        afterEntry(ctx);
      }
      if (isDirectory) {
        walk(child, todo, ctx);
      }
    }
  }

  private void afterEntry(JobContext ctx) throws InterruptedException {
    if (filesSinceCheckpoint >= checkpointEvery) {
      ctx.checkpoint();
      filesSinceCheckpoint = 0;
    }
    ctx.progress(
        Progress.count(entriesDone, totalEntries, "entries")
            .with("files", files)
            .with("bytes", bytes));
  }

  /** Adds one file to the totals and the index, or to {@link #errors} if it cannot be read. */
  private void indexFile(Path file, JobContext ctx) throws IOException, InterruptedException {
    FileStats stats;
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(file, BasicFileAttributes.class, NOFOLLOW_LINKS);
      stats = "metadata".equals(mode) ? FileStats.NONE : readContents(file, ctx);
    } catch (IOException e) {
      errors.add(Failure.of(file, e));
      ctx.log(LogLevel.WARN, "Cannot read " + file + ": " + Failure.reason(e));
      return;
    }
    String extension = extension(file);
    String type =
        "deep".equals(mode)
            ? TYPES.getOrDefault(
                extension, stats.binary() ? "application/octet-stream" : "text/plain")
            : "-";
    write(
        root.relativize(file)
            + "\t"
            + attrs.size()
            + "\t"
            + attrs.lastModifiedTime()
            + "\t"
            + stats.sha256()
            + "\t"
            + type
            + "\t"
            + stats.lines()
            + "\t"
            + stats.words()
            + "\n");

    files++;
    bytes += attrs.size();
    filesByExtension.merge(extension, 1L, Long::sum);
    bytesByExtension.merge(extension, attrs.size(), Long::sum);
    if ("deep".equals(mode)) {
      filesByType.merge(type, 1L, Long::sum);
      lines += Math.max(0, stats.lines());
      words += Math.max(0, stats.words());
    }
    filesSinceCheckpoint++;
    if (throttleMillis > 0) {
      Thread.sleep(throttleMillis);
    }
  }

  /** What reading a file's contents found; -1 counts when not computed or binary. */
  private record FileStats(String sha256, boolean binary, long lines, long words) {
    static final FileStats NONE = new FileStats("-", false, -1, -1);
  }

  /** Hashes the file and, in {@code deep} mode, counts its lines and words, chunk by chunk. */
  private FileStats readContents(Path file, JobContext ctx) throws IOException {
    MessageDigest sha256 = newSha256();
    boolean deep = "deep".equals(mode);
    boolean binary = false;
    boolean inWord = false;
    long lineCount = 0;
    long wordCount = 0;
    byte[] buffer = new byte[CHUNK_BYTES];
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        sha256.update(buffer, 0, n);
        for (int i = 0; deep && i < n; i++) {
          byte b = buffer[i];
          binary |= b == 0;
          lineCount += b == '\n' ? 1 : 0;
          boolean space = b == ' ' || (b >= '\t' && b <= '\r');
          wordCount += !space && !inWord ? 1 : 0;
          inWord = !space;
        }
        ctx.checkInterrupt();
      }
    }
    String hash = HexFormat.of().formatHex(sha256.digest());
    if (!deep || binary) {
      return new FileStats(hash, binary, -1, -1);
    }
    return new FileStats(hash, false, lineCount, wordCount);
  }

  private void write(String line) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(line.getBytes(UTF_8));
    while (buffer.hasRemaining()) {
      indexBytes += index.write(buffer);
    }
  }

  private static String extension(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot <= 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
    }
  }
}
