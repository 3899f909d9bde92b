package dev.jobkit.runtime.internal.worker;

import dev.jobkit.runtime.JobInfo;
import dev.jobkit.runtime.JobState;
import dev.jobkit.runtime.internal.state.JobStatus;
import dev.jobkit.runtime.internal.store.JobRow;
import java.time.Instant;
import java.util.Optional;

/** Maps stored rows and statuses to the public types. */
public final class States {
  private States() {}

  /** The public state of an internal status; the two enums have the same constants. */
  public static JobState toPublic(JobStatus status) {
    return JobState.valueOf(status.name());
  }

  /** A public snapshot of a stored row. */
  public static JobInfo toInfo(JobRow r) {
    return new JobInfo(
        r.id(),
        r.name(),
        toPublic(r.status()),
        r.priority(),
        r.queue(),
        r.attempts(),
        r.maxAttempts(),
        Optional.ofNullable(r.progress()),
        Optional.ofNullable(r.output()),
        Optional.ofNullable(r.error()),
        r.tags(),
        Instant.ofEpochMilli(r.createdAt()),
        r.startedAt() == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(r.startedAt())),
        r.finishedAt() == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(r.finishedAt())),
        Optional.ofNullable(r.createdBy()),
        r.tenant());
  }

  /** Whether a job in {@code status} will not run again without a user's action. */
  static boolean isEnded(JobStatus status) {
    return status.isTerminal() || status == JobStatus.QUARANTINED;
  }

  /** A one-line error message: exception class and message, without line breaks, bounded. */
  static String oneLine(Throwable t) {
    String msg = t.getMessage();
    String s = t.getClass().getName() + (msg == null ? "" : ": " + msg);
    s = s.replace('\r', ' ').replace('\n', ' ');
    return s.length() > 2000 ? s.substring(0, 2000) + "..." : s;
  }
}
