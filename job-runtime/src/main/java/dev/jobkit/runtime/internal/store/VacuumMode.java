package dev.jobkit.runtime.internal.store;

/** How a database gives freed pages back to the file system. */
public enum VacuumMode {
  /** The database server does it (PostgreSQL's autovacuum). */
  SERVER,
  /** Never by itself: a SQLite file created before jobkit's schema version 6 (needs one VACUUM). */
  NONE,
  /** SQLite's {@code auto_vacuum = FULL}: at every commit. */
  FULL,
  /** SQLite's {@code auto_vacuum = INCREMENTAL}: when {@code incremental_vacuum} runs. */
  INCREMENTAL
}
