package dev.jobkit.examples.shell;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Stops a process together with every process it started. */
public final class ProcessTree {
  private ProcessTree() {}

  /**
   * Asks {@code process} and all its descendants to stop (SIGTERM on Unix), waits up to {@code
   * grace} for them to exit, then kills those still alive (SIGKILL).
   *
   * <p>The descendants are listed before anything is signalled: once their parent is gone they are
   * re-parented and no longer show up as its descendants.
   *
   * @return the processes that had to be killed forcibly
   */
  public static List<ProcessHandle> stop(Process process, Duration grace) {
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    tree.add(process.toHandle());
    tree.forEach(ProcessHandle::destroy);

    long deadline = System.nanoTime() + grace.toNanos();
    try {
      for (ProcessHandle p : tree) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        p.onExit().get(left, TimeUnit.NANOSECONDS);
      }
    } catch (TimeoutException | ExecutionException e) {
      // some are still running: they are killed below
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // no more waiting: kill them now
    }

    List<ProcessHandle> killed = new ArrayList<>();
    for (ProcessHandle p : tree) {
      if (p.isAlive()) {
        p.destroyForcibly();
        killed.add(p);
      }
    }
    return killed;
  }
}
