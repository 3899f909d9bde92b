package dev.jobkit.runtime;

import java.util.Objects;

/**
 * Size of the job database, from {@link JobManager#storageInfo()}.
 *
 * @param location the database file
 * @param sizeBytes size of the main database file
 * @param pageSize database page size in bytes
 * @param pageCount pages in the database
 * @param freePages unused pages (reclaimable by VACUUM)
 * @param walBytes size of the write-ahead log, 0 when absent
 */
public record StorageInfo(
    String location, long sizeBytes, long pageSize, long pageCount, long freePages, long walBytes) {

  /** Validates. */
  public StorageInfo {
    Objects.requireNonNull(location, "location");
  }
}
