package test;

import dev.jobkit.Job;
import dev.jobkit.JobContext;
import dev.jobkit.JobHandler;
import java.util.Set;
import shared.Address;

@Job(name = "shipment")
public record Shipment(Address from, Address to, Set<Address.Country> via, Invoice invoice)
    implements JobHandler<Address> {
  @Override
  public Address run(JobContext ctx) {
    return to;
  }
}
