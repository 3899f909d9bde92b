package dev.jobkit.runtime.internal.store;

import java.util.List;

/**
 * One page of a keyset-paginated list, newest first.
 *
 * @param items the rows
 * @param nextCursor pass to the next call to continue after the last row, or null when no more rows
 */
public record Page<T>(List<T> items, String nextCursor) {

  /** Copies. */
  public Page {
    items = List.copyOf(items);
  }
}
