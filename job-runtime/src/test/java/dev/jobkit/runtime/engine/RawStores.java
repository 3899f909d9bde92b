package dev.jobkit.runtime.engine;

import dev.jobkit.runtime.internal.store.JobStore;
import dev.jobkit.runtime.internal.store.sql.PostgresOptions;
import dev.jobkit.runtime.internal.store.sql.SqliteOptions;
import dev.jobkit.runtime.internal.store.sql.Stores;
import dev.jobkit.runtime.testing.EmbeddedPostgresSupport;
import dev.jobkit.runtime.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Opens the storage layer directly on a test's database, as another process would, for tests that
 * plant rows the public API cannot make (corrupt parameters, a lease taken over) or read what it
 * does not show.
 */
final class RawStores {
  private RawStores() {}

  /** A store of its own on {@code db}; the caller closes it. */
  static JobStore open(TestDatabase db) {
    return switch (db.backend()) {
      case SQLITE ->
          Stores.sqlite(Path.of(db.location()), SqliteOptions.defaults(), Clock.systemUTC());
      case POSTGRES ->
          Stores.postgres(
              db.location(),
              EmbeddedPostgresSupport.user(),
              EmbeddedPostgresSupport.password(),
              PostgresOptions.defaults().withPoolSize(2),
              Clock.systemUTC());
    };
  }
}
