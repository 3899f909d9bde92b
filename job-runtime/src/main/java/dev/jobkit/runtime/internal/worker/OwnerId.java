package dev.jobkit.runtime.internal.worker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Random;

/**
 * The lease owner id of an engine, {@code host:pid:startMillis:random}, and the one check that lets
 * a starting worker requeue the jobs of a dead process at once instead of waiting for their leases
 * to lapse: an owner on this host whose process is gone (or whose pid now belongs to a process that
 * started at another time) is provably dead. Owners on other hosts, or in another PID namespace
 * under the same host name, are never judged here; their leases decide.
 */
public final class OwnerId {
  private static final String HOST = localHost();

  private OwnerId() {}

  /** A new owner id for this process. */
  public static String forThisProcess(Random random) {
    ProcessHandle self = ProcessHandle.current();
    long start = self.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    byte[] suffix = new byte[4];
    random.nextBytes(suffix);
    return HOST + ":" + self.pid() + ":" + start + ":" + HexFormat.of().formatHex(suffix);
  }

  /**
   * Whether {@code owner} names a process on this host that is no longer running. False whenever
   * that cannot be proven (another host, an unparsable id, a pid that is alive and started at the
   * same time).
   */
  public static boolean isProvablyDead(String owner) {
    int c3 = owner.lastIndexOf(':');
    int c2 = c3 > 0 ? owner.lastIndexOf(':', c3 - 1) : -1;
    int c1 = c2 > 0 ? owner.lastIndexOf(':', c2 - 1) : -1;
    if (c1 <= 0 || !owner.substring(0, c1).equals(HOST)) {
      return false;
    }
    long pid;
    long start;
    try {
      pid = Long.parseLong(owner.substring(c1 + 1, c2));
      start = Long.parseLong(owner.substring(c2 + 1, c3));
    } catch (NumberFormatException e) {
      return false;
    }
    if (pid == ProcessHandle.current().pid()) {
      return false; // another engine of this very process: alive while we are
    }
    Optional<ProcessHandle> p = ProcessHandle.of(pid);
    if (p.isEmpty() || !p.get().isAlive()) {
      return true;
    }
    Optional<Instant> startedAt = p.get().info().startInstant();
    // The pid was reused by a process that started later than the owner did.
    return start > 0
        && startedAt.isPresent()
        && Math.abs(startedAt.get().toEpochMilli() - start) > 1_000;
  }

  /**
   * This host's name, without a DNS lookup: the kernel's, else the environment's, else "localhost".
   */
  public static String host() {
    return HOST;
  }

  private static String localHost() {
    try {
      Path p = Path.of("/proc/sys/kernel/hostname");
      if (Files.isReadable(p)) {
        String h = Files.readString(p, StandardCharsets.UTF_8).trim();
        if (!h.isEmpty()) {
          return h.replace(':', '_');
        }
      }
    } catch (IOException | RuntimeException e) {
      // fall through
    }
    String env = System.getenv("HOSTNAME");
    if (env == null || env.isBlank()) {
      env = System.getenv("COMPUTERNAME");
    }
    return env == null || env.isBlank() ? "localhost" : env.trim().replace(':', '_');
  }
}
