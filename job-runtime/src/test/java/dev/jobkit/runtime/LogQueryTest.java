package dev.jobkit.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.LogLevel;
import org.junit.jupiter.api.Test;

class LogQueryTest {
  @Test
  void allReadsEveryLevelFromTheStartUpToTheDefaultLimit() {
    LogQuery q = LogQuery.all();
    assertEquals(LogLevel.DEBUG, q.minLevel());
    assertEquals(0, q.afterId());
    assertEquals(LogQuery.DEFAULT_LIMIT, q.limit());
  }

  @Test
  void eachSetterReturnsANewQueryAndLeavesTheOriginalAsItWas() {
    LogQuery base = LogQuery.all();
    LogQuery q = base.minLevel(LogLevel.WARN).after(42).limit(7);
    assertEquals(LogLevel.WARN, q.minLevel());
    assertEquals(42, q.afterId());
    assertEquals(7, q.limit());
    assertEquals(LogQuery.all(), base);
    assertNotEquals(base, q);
    assertEquals(q, LogQuery.all().limit(7).after(42).minLevel(LogLevel.WARN));
    assertEquals(
        q.hashCode(), LogQuery.all().limit(7).after(42).minLevel(LogLevel.WARN).hashCode());
    assertEquals("LogQuery[minLevel=WARN, afterId=42, limit=7]", q.toString());
  }

  @Test
  void limitsOutsideOneToTheMaximumAreRefusedWithTheValue() {
    assertEquals(1, LogQuery.all().limit(1).limit());
    assertEquals(LogQuery.MAX_LIMIT, LogQuery.all().limit(LogQuery.MAX_LIMIT).limit());
    IllegalArgumentException zero =
        assertThrows(IllegalArgumentException.class, () -> LogQuery.all().limit(0));
    assertEquals("LogQuery.limit must be 1 to 100000, got 0", zero.getMessage());
    IllegalArgumentException big =
        assertThrows(
            IllegalArgumentException.class, () -> LogQuery.all().limit(LogQuery.MAX_LIMIT + 1));
    assertTrue(big.getMessage().endsWith("got 100001"), big.getMessage());
  }

  @Test
  void aNegativeLineIdIsRefusedAndANullLevelNamed() {
    assertEquals(0, LogQuery.all().after(5).after(0).afterId());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LogQuery.all().after(-1));
    assertEquals("LogQuery.after: a log line id is 0 (the start) or more, got -1", e.getMessage());
    NullPointerException npe =
        assertThrows(NullPointerException.class, () -> LogQuery.all().minLevel(null));
    assertEquals("LogQuery.minLevel: level", npe.getMessage());
  }
}
