package dev.jobkit.runtime.internal.store;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.function.LongSupplier;

/**
 * The database server's clock as seen from this process: the local clock plus an offset measured
 * against {@link SharedJobStore#databaseTimeMillis()}. Every node of a shared database stamps
 * leases, heartbeats and run-at times with it, so hosts whose own clocks disagree still agree on
 * when a lease expired; the remaining error is about half a round trip.
 *
 * <p>{@link #resync()} measures again (the engine calls it now and then, so local clock steps are
 * followed). The offset is taken from the fastest of a few round trips.
 */
public final class DatabaseClock extends Clock {
  private static final int SAMPLES = 3;

  private final LongSupplier databaseMillis;
  private volatile long offsetMillis;

  private DatabaseClock(LongSupplier databaseMillis) {
    this.databaseMillis = databaseMillis;
  }

  /**
   * A clock following {@code store}'s server, measured once now.
   *
   * @throws StorageException if the database cannot be reached
   */
  public static DatabaseClock of(SharedJobStore store) {
    DatabaseClock c = new DatabaseClock(store::databaseTimeMillis);
    c.resync();
    return c;
  }

  /**
   * Measures the offset to the database's clock again.
   *
   * @throws StorageException if the database cannot be reached; the old offset stays
   */
  public void resync() {
    long bestRoundTrip = Long.MAX_VALUE;
    long best = offsetMillis;
    for (int i = 0; i < SAMPLES; i++) {
      long before = System.currentTimeMillis();
      long server = databaseMillis.getAsLong();
      long after = System.currentTimeMillis();
      long roundTrip = after - before;
      if (roundTrip < bestRoundTrip) {
        bestRoundTrip = roundTrip;
        best = server - (before + roundTrip / 2);
      }
    }
    offsetMillis = best;
  }

  /** Database time minus local time, in millis, as last measured. */
  public long offsetMillis() {
    return offsetMillis;
  }

  @Override
  public long millis() {
    return System.currentTimeMillis() + offsetMillis;
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    // Zones do not matter to jobkit, which works in epoch millis; keep the offset.
    return this;
  }
}
