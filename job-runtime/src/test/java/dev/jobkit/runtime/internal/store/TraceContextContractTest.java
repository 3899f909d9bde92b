package dev.jobkit.runtime.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jobkit.LogLevel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Schema version 11 (#13 tracing) on both databases (a subclass per dialect): a job's trace context
 * is written with its row by each insert path and read back at claim with its due time, and a log
 * line's trace id is stored and read back.
 */
public abstract class TraceContextContractTest {
  protected static final long T0 = 1_700_000_000_000L;

  protected final SettableClock clock = new SettableClock(T0);
  private final JobIds ids = new JobIds(clock);
  private JobStore store;
  private final List<JobStore> opened = new ArrayList<>();

  /** A store on this test's database. */
  protected abstract JobStore openStore();

  @BeforeEach
  void open() {
    store = openStore();
    opened.add(store);
  }

  @AfterEach
  void closeAll() {
    opened.forEach(JobStore::close);
  }

  private static final String PARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  private NewJob job(String queue, Map<String, String> context) {
    return NewJob.of(ids.next(), "trace", "p".getBytes(StandardCharsets.UTF_8), T0)
        .withQueue(queue)
        .withTraceContext(TraceContexts.encode(context));
  }

  private ClaimedJob claimOne(String queue) {
    List<ClaimedJob> c = store.claim(new ClaimRequest("w", List.of(queue), 1, T0, T0 + 30_000));
    assertEquals(1, c.size(), "claimed from " + queue);
    return c.get(0);
  }

  @Test
  void aSingleInsertKeepsTheContextUntilTheClaim() {
    Map<String, String> context = Map.of("traceparent", PARENT, "tracestate", "k=v,x=y=z");
    NewJob j = job("single", context);
    store.insert(j, T0);
    ClaimedJob c = claimOne("single");
    assertEquals(j.id(), c.id());
    assertEquals(context, TraceContexts.decode(c.traceContext()));
    assertEquals(T0, c.runAt());
  }

  @Test
  void aBatchInsertKeepsEachJobsOwnContextAndNoneForAJobWithout() {
    NewJob with = job("batch", Map.of("traceparent", PARENT));
    NewJob without = job("batch", Map.of());
    store.insertAll(List.of(with, without), T0);
    Map<String, String> byId = new LinkedHashMap<>();
    for (ClaimedJob c : store.claim(new ClaimRequest("w", List.of("batch"), 10, T0, T0 + 30_000))) {
      byId.put(c.id(), c.traceContext());
    }
    assertEquals(Map.of("traceparent", PARENT), TraceContexts.decode(byId.get(with.id())));
    assertNull(byId.get(without.id()));
  }

  @Test
  void aRetryIsClaimedWithTheSameContextAndItsOwnDueTime() {
    NewJob j = job("retry", Map.of("traceparent", PARENT));
    store.insert(j, T0);
    ClaimedJob first = claimOne("retry");
    store.scheduleRetry(j.id(), first.epoch(), "boom", T0 + 5, T0);
    clock.set(T0 + 10);
    List<ClaimedJob> c =
        store.claim(new ClaimRequest("w", List.of("retry"), 1, T0 + 10, T0 + 30_000));
    assertEquals(2, c.get(0).attempt());
    assertEquals(T0 + 5, c.get(0).runAt());
    assertEquals(first.traceContext(), c.get(0).traceContext());
  }

  @Test
  void logLinesKeepTheirTraceId() {
    NewJob j = job("logs", Map.of());
    store.insert(j, T0);
    ClaimedJob c = claimOne("logs");
    store.appendLogs(
        j.id(),
        c.epoch(),
        List.of(
            new LogLine(
                0, j.id(), T0, LogLevel.INFO, "traced", 1, "4bf92f3577b34da6a3ce929d0e0e4736"),
            new LogLine(0, j.id(), T0, LogLevel.INFO, "plain", 1)));
    List<LogLine> lines = store.logs(j.id(), LogLevel.DEBUG, 0, 10);
    assertEquals(List.of("traced", "plain"), lines.stream().map(LogLine::message).toList());
    assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", lines.get(0).traceId());
    assertNull(lines.get(1).traceId());
    List<FeedLog> feed = store.logsAfter(0, List.of(), 10);
    assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", feed.get(0).line().traceId());
  }

  @Test
  void encodingIsAJsonObjectAndEmptyIsNull() {
    assertNull(TraceContexts.encode(Map.of()));
    assertEquals("{\"a\":\"1\",\"b\":\"\\\"\"}", TraceContexts.encode(Map.of("b", "\"", "a", "1")));
    assertEquals(Map.of(), TraceContexts.decode("not json"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TraceContexts.encode(Map.of("traceparent", "x".repeat(5000))));
    assertEquals(
        "trace context takes 5018 characters, more than the limit of 4096; store only the"
            + " propagation headers (traceparent, tracestate)",
        e.getMessage());
  }
}
