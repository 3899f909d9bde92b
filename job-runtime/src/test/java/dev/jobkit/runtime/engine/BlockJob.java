package dev.jobkit.runtime.engine;

import dev.jobkit.Job;
import dev.jobkit.JobContext;
import dev.jobkit.JobHandler;

/**
 * Signals "{@code gate}.started", then waits for gate {@code gate}, calling {@code
 * checkInterrupt()} all the while (unless {@code hard}: then it blocks without safe points), and
 * appends {@code gate} to list "order".
 */
@Job(name = "test.block")
public class BlockJob implements JobHandler<String> {
  public String gate;
  public boolean hard;

  public BlockJob() {}

  BlockJob(String gate) {
    this.gate = gate;
  }

  static BlockJob hard(String gate) {
    BlockJob j = new BlockJob(gate);
    j.hard = true;
    return j;
  }

  @Override
  public String run(JobContext ctx) throws InterruptedException {
    Gates.open(gate + ".started");
    if (hard) {
      Gates.await(gate); // throws InterruptedException when the runtime interrupts the thread
    }
    while (!Gates.awaitBriefly(gate)) {
      ctx.checkInterrupt();
    }
    Gates.list("order").add(gate);
    return gate + " done";
  }
}
