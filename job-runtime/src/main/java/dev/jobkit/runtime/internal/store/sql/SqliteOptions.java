package dev.jobkit.runtime.internal.store.sql;

import dev.jobkit.runtime.internal.store.Durability;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a SQLite store.
 *
 * @param durability synchronous=NORMAL or FULL
 * @param busyTimeout how long a statement waits for another process's lock before failing with
 *     {@link dev.jobkit.runtime.internal.store.StorageException.Reason#LOCKED}
 * @param groupCommit run writes on one writer thread that commits concurrent callers' writes in one
 *     transaction (so under FULL they share one fsync); off by default until benchmarked
 * @param createIfMissing whether a missing file is created; if false, opening it fails with reason
 *     {@code MISSING}
 */
public record SqliteOptions(
    Durability durability, Duration busyTimeout, boolean groupCommit, boolean createIfMissing) {

  /** Validates. */
  public SqliteOptions {
    Objects.requireNonNull(durability, "durability");
    if (busyTimeout.isNegative() || busyTimeout.toMillis() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("busyTimeout out of range: " + busyTimeout);
    }
  }

  /** NORMAL durability, 5 s busy timeout, no group commit, a missing file is created. */
  public static SqliteOptions defaults() {
    return new SqliteOptions(Durability.NORMAL, Duration.ofSeconds(5), false, true);
  }

  /** These options with another durability. */
  public SqliteOptions withDurability(Durability d) {
    return new SqliteOptions(d, busyTimeout, groupCommit, createIfMissing);
  }

  /** These options with another busy timeout. */
  public SqliteOptions withBusyTimeout(Duration t) {
    return new SqliteOptions(durability, t, groupCommit, createIfMissing);
  }

  /** These options with group commit on or off. */
  public SqliteOptions withGroupCommit(boolean on) {
    return new SqliteOptions(durability, busyTimeout, on, createIfMissing);
  }

  /** These options with {@code createIfMissing} set. */
  public SqliteOptions withCreateIfMissing(boolean create) {
    return new SqliteOptions(durability, busyTimeout, groupCommit, create);
  }
}
