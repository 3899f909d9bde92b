package dev.jobkit.runtime.internal.store;

/**
 * Size of the storage, for {@code storageInfo()} and health checks.
 *
 * @param location the file or URL
 * @param sizeBytes the main database file's size
 * @param walBytes the write-ahead log's size, 0 when absent
 */
public record StorageInfo(
    String location,
    long sizeBytes,
    long pageSize,
    long pageCount,
    long freePages,
    long walBytes) {}
