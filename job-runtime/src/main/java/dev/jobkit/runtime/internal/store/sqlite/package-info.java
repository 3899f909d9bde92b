/** The SQLite dialect of the job store: jOOQ on sqlite-jdbc, WAL, one writer connection. */
package dev.jobkit.runtime.internal.store.sqlite;
