/**
 * The dialect-neutral storage interface {@link JobStore}, its row records, id generation and
 * storage errors. Dialects live in sub-packages; nothing outside them builds SQL.
 */
package dev.jobkit.runtime.internal.store;
