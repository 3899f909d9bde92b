package test;

import dev.jobkit.Job;
import dev.jobkit.JobContext;
import dev.jobkit.JobHandler;
import java.util.Map;
import shared.Address;

@Job(name = "invoice", version = 2)
public class Invoice implements JobHandler<Invoice.Sent> {
  public record Sent(Address to, long cents) {}

  public Address billing;
  public Map<String, Address> branches;

  @dev.jobkit.Upgrade(from = 1)
  static void one(Map<String, Object> state) {}

  @Override
  public Sent run(JobContext ctx) {
    return new Sent(billing, 0);
  }
}
