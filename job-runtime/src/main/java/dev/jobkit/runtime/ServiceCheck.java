package dev.jobkit.runtime;

import dev.jobkit.JobRegistry;
import dev.jobkit.MissingServiceException;
import dev.jobkit.spi.JobRegistration;
import dev.jobkit.spi.ServiceRequirement;
import dev.jobkit.spi.ServiceResolver;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks, when a manager with workers opens, that its resolver has every service that every
 * registered job type needs, so that a missing one fails the start and not a job at 3 a.m.
 */
final class ServiceCheck {
  private ServiceCheck() {}

  /**
   * @throws MissingServiceException naming each job type with each of its missing services
   */
  static void check(JobRegistry registry, ServiceResolver resolver) {
    List<String> problems = new ArrayList<>();
    for (JobRegistration<?, ?> r : registry.registrations()) {
      List<String> missing = new ArrayList<>();
      for (ServiceRequirement s : r.services()) {
        String why = problem(resolver, s);
        if (why != null) {
          missing.add(s.describe() + " for field '" + s.field() + "'" + why);
        }
      }
      if (!missing.isEmpty()) {
        problems.add(
            r.name() + " (" + r.jobClass().getName() + ") needs " + String.join(", ", missing));
      }
    }
    if (!problems.isEmpty()) {
      throw new MissingServiceException(
          "jobs need services that the manager does not have: "
              + String.join("; ", problems)
              + ". Provide them with JobManager.Builder.services(...) (with Spring: declare the"
              + " beans), or open the manager with noWorkers() if it does not run these jobs");
    }
  }

  /** Null when the resolver has the service; otherwise what to add to its description. */
  private static String problem(ServiceResolver resolver, ServiceRequirement s) {
    Object found;
    try {
      found = resolver.find(s.type(), s.name()).orElse(null);
    } catch (RuntimeException e) {
      return " (the lookup failed: " + e.getMessage() + ")";
    }
    if (found == null) {
      return "";
    }
    if (!s.type().isInstance(found)) {
      return " (the resolver gave a " + found.getClass().getName() + ")";
    }
    return null;
  }
}
