/**
 * The PostgreSQL dialect of the job store: jOOQ and plain JDBC on pgjdbc, claims with {@code FOR
 * NO KEY UPDATE SKIP LOCKED}, migrations under an advisory lock, and {@code LISTEN/NOTIFY}
 * wake-ups. See {@code docs/postgres.md}.
 */
package dev.jobkit.runtime.internal.store.postgres;
