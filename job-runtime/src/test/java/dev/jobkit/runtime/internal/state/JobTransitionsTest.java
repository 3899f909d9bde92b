package dev.jobkit.runtime.internal.state;

import static dev.jobkit.runtime.internal.state.JobStatus.CANCELLED;
import static dev.jobkit.runtime.internal.state.JobStatus.COMPLETED;
import static dev.jobkit.runtime.internal.state.JobStatus.FAILED;
import static dev.jobkit.runtime.internal.state.JobStatus.PAUSED;
import static dev.jobkit.runtime.internal.state.JobStatus.QUARANTINED;
import static dev.jobkit.runtime.internal.state.JobStatus.QUEUED;
import static dev.jobkit.runtime.internal.state.JobStatus.RUNNING;
import static dev.jobkit.runtime.internal.state.JobStatus.SCHEDULED;
import static dev.jobkit.runtime.internal.state.JobStatus.TIMED_OUT;
import static dev.jobkit.runtime.internal.state.JobStatus.WAITING;
import static dev.jobkit.runtime.internal.state.JobStatus.WAITING_RETRY;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JobTransitionsTest {

  /** The expected table, written out independently of the implementation. */
  static Stream<Arguments> allowed() {
    List<Arguments> a = new ArrayList<>();
    add(a, QUEUED, RUNNING, PAUSED, CANCELLED, QUARANTINED, SCHEDULED);
    add(a, SCHEDULED, RUNNING, QUEUED, PAUSED, CANCELLED, QUARANTINED);
    add(a, WAITING_RETRY, RUNNING, QUEUED, PAUSED, CANCELLED, QUARANTINED);
    add(
        a,
        RUNNING,
        COMPLETED,
        FAILED,
        CANCELLED,
        TIMED_OUT,
        WAITING_RETRY,
        PAUSED,
        QUEUED,
        QUARANTINED);
    add(a, PAUSED, QUEUED, SCHEDULED, CANCELLED);
    add(a, FAILED, QUEUED, WAITING);
    add(a, TIMED_OUT, QUEUED);
    add(a, CANCELLED, QUEUED, WAITING);
    add(a, QUARANTINED, QUEUED, CANCELLED);
    // #12 dependencies
    add(a, WAITING, QUEUED, SCHEDULED, CANCELLED, FAILED);
    return a.stream();
  }

  private static void add(List<Arguments> a, JobStatus from, JobStatus... to) {
    for (JobStatus t : to) {
      a.add(Arguments.of(from, t));
    }
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("allowed")
  void allowedTransitionPasses(JobStatus from, JobStatus to) {
    assertTrue(JobTransitions.isAllowed(from, to));
    assertDoesNotThrow(() -> JobTransitions.check(from, to));
  }

  @Test
  void everythingElseIsForbidden() {
    Set<String> allowed = new java.util.HashSet<>();
    allowed().forEach(a -> allowed.add(a.get()[0] + ">" + a.get()[1]));
    int forbidden = 0;
    for (JobStatus from : JobStatus.values()) {
      for (JobStatus to : JobStatus.values()) {
        if (!allowed.contains(from + ">" + to)) {
          forbidden++;
          assertFalse(JobTransitions.isAllowed(from, to), from + " -> " + to);
          assertThrows(IllegalJobTransitionException.class, () -> JobTransitions.check(from, to));
        }
      }
    }
    assertEquals(JobStatus.values().length * JobStatus.values().length - allowed.size(), forbidden);
  }

  @Test
  void forbiddenSampleCarriesStatusesAndJobId() {
    IllegalJobTransitionException e =
        assertThrows(
            IllegalJobTransitionException.class,
            () -> JobTransitions.check("01ABC", COMPLETED, RUNNING));
    assertEquals(COMPLETED, e.from());
    assertEquals(RUNNING, e.to());
    assertEquals("01ABC", e.jobId());
    assertTrue(
        e.getMessage().contains("Job 01ABC cannot go from COMPLETED to RUNNING"), e.getMessage());
    assertThrows(
        IllegalJobTransitionException.class, () -> JobTransitions.check(QUEUED, COMPLETED));
    assertThrows(IllegalJobTransitionException.class, () -> JobTransitions.check(PAUSED, RUNNING));
    assertThrows(IllegalJobTransitionException.class, () -> JobTransitions.check(FAILED, RUNNING));
    assertThrows(IllegalJobTransitionException.class, () -> JobTransitions.check(RUNNING, RUNNING));
  }

  @Test
  void terminalStatuses() {
    Set<JobStatus> terminal = EnumSet.noneOf(JobStatus.class);
    for (JobStatus s : JobStatus.values()) {
      if (s.isTerminal()) {
        terminal.add(s);
      }
    }
    assertEquals(EnumSet.of(COMPLETED, FAILED, CANCELLED, TIMED_OUT), terminal);
    // Terminal statuses only leave through a user's retry (to QUEUED), or, for jobs that a
    // parent's failure ended, through the retry of that parent (back to WAITING, #12).
    for (JobStatus s : terminal) {
      assertTrue(
          JobTransitions.allowedFrom(s).stream().allMatch(t -> t == QUEUED || t == WAITING),
          s::name);
    }
  }
}
