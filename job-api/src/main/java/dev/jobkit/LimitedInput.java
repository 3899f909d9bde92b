package dev.jobkit;

import java.io.FilterInputStream;
import java.io.FilterReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;

/**
 * Readers and streams that fail with {@link TooLong} once more than a limit has been read, so that
 * JSON from an endless or huge source is refused before it is all in memory.
 */
final class LimitedInput {
  private LimitedInput() {}

  /** More than the limit was read; {@link JobRegistry} turns it into a decode error. */
  static final class TooLong extends IOException {
    private static final long serialVersionUID = 1L;

    TooLong(long limit) {
      super("input exceeds " + limit + " bytes");
    }
  }

  /** What was read so far, against the limit: the one counter of both wrappers. */
  private static final class Budget {
    private final long limit;
    private long read;

    Budget(long limit) {
      this.limit = limit;
    }

    void spend(long n) throws TooLong {
      read += n;
      if (read > limit) {
        throw new TooLong(limit);
      }
    }
  }

  /** A reader that fails after {@code limit} characters. */
  static final class Chars extends FilterReader {
    private final Budget budget;

    Chars(Reader in, long limit) {
      super(in);
      this.budget = new Budget(limit);
    }

    @Override
    public int read() throws IOException {
      int c = super.read();
      if (c >= 0) {
        budget.spend(1);
      }
      return c;
    }

    @Override
    public int read(char[] buf, int off, int len) throws IOException {
      int n = super.read(buf, off, len);
      if (n > 0) {
        budget.spend(n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(n);
      budget.spend(skipped);
      return skipped;
    }
  }

  /** A stream that fails after {@code limit} bytes. */
  static final class Bytes extends FilterInputStream {
    private final Budget budget;

    Bytes(InputStream in, long limit) {
      super(in);
      this.budget = new Budget(limit);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        budget.spend(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      int n = super.read(buf, off, len);
      if (n > 0) {
        budget.spend(n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(n);
      budget.spend(skipped);
      return skipped;
    }
  }
}
