package dev.jobkit.runtime.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class JobIdsTest {

  @Test
  void encodesTimeAndSortsByIt() {
    SettableClock clock = new SettableClock(1_700_000_000_000L);
    JobIds ids = new JobIds(clock, new Random(1));
    String a = ids.next();
    clock.advance(1);
    String b = ids.next();
    assertEquals(JobIds.LENGTH, a.length());
    assertTrue(JobIds.isIdChars(a), a);
    assertEquals(1_700_000_000_000L, JobIds.millisOf(a));
    assertEquals(1_700_000_000_001L, JobIds.millisOf(b));
    assertTrue(a.compareTo(b) < 0);
  }

  @Test
  void monotonicWithinOneMillisecondAndWhenClockStepsBack() {
    SettableClock clock = new SettableClock(5_000);
    JobIds ids = new JobIds(clock, new Random(2));
    List<String> seen = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      if (i == 5_000) {
        clock.set(4_000); // stepped back
      }
      seen.add(ids.next());
    }
    for (int i = 1; i < seen.size(); i++) {
      assertTrue(
          seen.get(i - 1).compareTo(seen.get(i)) < 0, seen.get(i - 1) + " !< " + seen.get(i));
    }
  }

  @Test
  void carryAcrossRandomPartIsOrdered() {
    // Low 64 bits all ones: the next id must carry into the upper 16 bits.
    String before = JobIds.encode(7, 3, -1L);
    String after = JobIds.encode(7, 4, 0L);
    assertTrue(before.compareTo(after) < 0);
    assertEquals("0000000007", before.substring(0, 10));
  }

  @Test
  void uniqueAcrossThreadsAndGenerators() throws Exception {
    SettableClock clock = new SettableClock(1_000);
    Set<String> all = ConcurrentHashMap.newKeySet();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        JobIds ids = new JobIds(clock); // separate generators, as in separate processes
        fs.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 5_000; i++) {
                    all.add(ids.next());
                  }
                }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    assertEquals(20_000, all.size());
  }

  @Test
  void rejectsNonIdCharacters() {
    assertFalse(JobIds.isIdChars("01ab"));
    assertFalse(JobIds.isIdChars("01I"));
    assertFalse(JobIds.isIdChars("%"));
    assertTrue(new HashSet<>(List.of("0", "Z")).stream().allMatch(JobIds::isIdChars));
  }
}
