package dev.jobkit.runtime.internal.store;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Random;

/**
 * Generates ULIDs: 26 Crockford base32 characters, 48 bits of epoch millis then 80 random bits.
 * They sort by creation time as plain strings, need no coordination between processes or nodes, and
 * are monotonic within one generator (the random part is incremented within a millisecond, and a
 * clock that steps back does not make ids go back), so a FIFO order by id is stable.
 */
public final class JobIds {
  private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

  /** Length of an id. */
  public static final int LENGTH = 26;

  private final Clock clock;
  private final Random random;
  private long lastMillis = -1;
  private long randHi; // upper 16 of the 80 random bits
  private long randLo; // lower 64 bits

  /** A generator on {@code clock} with a {@link SecureRandom}. */
  public JobIds(Clock clock) {
    this(clock, new SecureRandom());
  }

  /** A generator on {@code clock} and {@code random} (tests). */
  public JobIds(Clock clock, Random random) {
    this.clock = clock;
    this.random = random;
  }

  /** A new id, greater than every id this generator returned before. */
  public synchronized String next() {
    long now = clock.millis();
    if (now > lastMillis) {
      lastMillis = now;
      randHi = random.nextInt(1 << 16);
      randLo = random.nextLong();
    } else {
      // Same millisecond (or the clock stepped back): increment the 80-bit random part.
      randLo++;
      if (randLo == 0) {
        randHi++;
        if (randHi == (1 << 16)) {
          // 2^80 ids in one millisecond cannot happen in practice; borrow the next millisecond.
          lastMillis++;
          randHi = 0;
        }
      }
    }
    return encode(lastMillis, randHi, randLo);
  }

  static String encode(long millis, long hi16, long lo64) {
    char[] out = new char[LENGTH];
    // 48-bit time -> 10 chars (50 bits, top 2 zero).
    for (int i = 9; i >= 0; i--) {
      out[i] = CROCKFORD[(int) (millis & 31)];
      millis >>>= 5;
    }
    // 80-bit random -> 16 chars, from the least significant end.
    for (int i = 25; i >= 10; i--) {
      out[i] = CROCKFORD[(int) (lo64 & 31)];
      lo64 = (lo64 >>> 5) | ((hi16 & 31) << 59);
      hi16 >>>= 5;
    }
    return new String(out);
  }

  /**
   * The greatest id that can be made at {@code millis} (its random part all ones): every id made at
   * or before that millisecond sorts at or below it, every later one above it.
   */
  public static String maxAt(long millis) {
    return encode(Math.max(0, millis), (1 << 16) - 1, -1L);
  }

  /** The creation time encoded in {@code id}, epoch millis. */
  public static long millisOf(String id) {
    long millis = 0;
    for (int i = 0; i < 10; i++) {
      millis = (millis << 5) | indexOf(id.charAt(i));
    }
    return millis;
  }

  /** Whether {@code s} has only characters an id can contain (upper-case Crockford base32). */
  public static boolean isIdChars(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (indexOf(s.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }

  private static int indexOf(char c) {
    for (int i = 0; i < CROCKFORD.length; i++) {
      if (CROCKFORD[i] == c) {
        return i;
      }
    }
    return -1;
  }
}
