package dev.jobkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressTest {

  @Test
  void countComputesPercentWhenTheTotalIsKnown() {
    Progress p = Progress.count(25, 200, "files");
    assertEquals(Progress.Kind.COUNT, p.kind());
    assertEquals(12.5, p.percent());
    assertEquals("25/200 files", p.toString());
  }

  @Test
  void countWithUnknownTotalHasNoPercent() {
    Progress p = Progress.count(7, -5);
    assertEquals(-1, p.total());
    assertTrue(Double.isNaN(p.percent()));
    assertEquals("7", p.toString());
  }

  @Test
  void percentIsChecked() {
    assertEquals(42.0, Progress.percent(42).percent());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Progress.percent(101));
    assertEquals("percent must be between 0 and 100, got 101.0", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Progress.percent(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> Progress.count(-1, 10));
  }

  @Test
  void structuredAndMessagesAreImmutableCopies() {
    Progress p =
        Progress.structured(Map.of("pages", 3)).with("bytes", 1024L).withMessage("crawling");
    assertEquals(Map.of("pages", 3, "bytes", 1024L), p.details());
    assertEquals("crawling", p.message());
    assertThrows(UnsupportedOperationException.class, () -> p.details().put("x", 1));
    assertEquals(
        p, Progress.structured(Map.of("pages", 3)).with("bytes", 1024L).withMessage("crawling"));
  }

  @Test
  void indeterminateCarriesOnlyAMessage() {
    Progress p = Progress.indeterminate("waiting for the server");
    assertEquals(Progress.Kind.INDETERMINATE, p.kind());
    assertEquals("waiting for the server", p.toString());
  }
}
