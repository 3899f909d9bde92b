package dev.jobkit.http.internal;

import dev.jobkit.runtime.JobQuery;

/** The list's {@code q} search, applied to a query builder. */
final class TextSearch {
  private TextSearch() {}

  static void apply(JobQuery.Builder b, String q) {
    if (q != null && !q.isBlank()) {
      b.text(q);
    }
  }
}
