package dev.jobkit.runtime.internal.store.sqlite;

import dev.jobkit.runtime.internal.store.Durability;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a SQLite store.
 *
 * @param durability synchronous=NORMAL or FULL
 * @param busyTimeout how long a statement waits for another process's lock before failing with
 *     {@link dev.jobkit.runtime.internal.store.StorageException.Reason#LOCKED}
 */
public record SqliteOptions(Durability durability, Duration busyTimeout) {

  /** Validates. */
  public SqliteOptions {
    Objects.requireNonNull(durability, "durability");
    if (busyTimeout.isNegative() || busyTimeout.toMillis() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("busyTimeout out of range: " + busyTimeout);
    }
  }

  /** NORMAL durability, 5 s busy timeout. */
  public static SqliteOptions defaults() {
    return new SqliteOptions(Durability.NORMAL, Duration.ofSeconds(5));
  }

  /** These options with another durability. */
  public SqliteOptions withDurability(Durability d) {
    return new SqliteOptions(d, busyTimeout);
  }

  /** These options with another busy timeout. */
  public SqliteOptions withBusyTimeout(Duration t) {
    return new SqliteOptions(durability, t);
  }
}
