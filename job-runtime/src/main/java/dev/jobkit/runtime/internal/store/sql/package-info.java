/**
 * The one SQL implementation of the job store, for SQLite and PostgreSQL: {@link
 * dev.jobkit.runtime.internal.store.sql.Stores} opens it; {@code SqlJobStore} holds every query
 * written once with jOOQ; a {@code Dialect} holds only what truly differs (claiming, lease renewal,
 * bulk completion, row locks, wake-up signals, migration locking); {@code Tables} is the one table
 * definition and {@code Migrations} the one runner over a script set per dialect. See {@code
 * docs/architecture.md}.
 */
package dev.jobkit.runtime.internal.store.sql;
