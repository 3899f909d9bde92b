package dev.jobkit.cli;

import java.util.Collection;
import java.util.Locale;

/** "Did you mean" hints for mistyped names. */
final class Suggest {
  private Suggest() {}

  /** {@code "; did you mean 'x'?"} for the known name closest to {@code typed}, or empty. */
  static String didYouMean(String typed, Collection<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    String t = typed.toLowerCase(Locale.ROOT);
    for (String k : known) {
      String c = k.toLowerCase(Locale.ROOT);
      int d = c.endsWith("." + t) || c.endsWith("_" + t) ? 1 : distance(t, c);
      if (d < bestDistance) {
        bestDistance = d;
        best = k;
      }
    }
    if (best == null || bestDistance > Math.max(2, typed.length() / 3)) {
      return "";
    }
    return "; did you mean '" + best + "'?";
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] swap = prev;
      prev = cur;
      cur = swap;
    }
    return prev[b.length()];
  }
}
