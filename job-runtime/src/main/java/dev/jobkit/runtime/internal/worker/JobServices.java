package dev.jobkit.runtime.internal.worker;

import dev.jobkit.JobHandler;
import dev.jobkit.spi.JobRegistration;
import dev.jobkit.spi.ServiceResolver;

/**
 * Sets the {@code @Service} fields of a job object that was just decoded for an attempt. Each
 * attempt decodes a fresh object from the stored bytes, so services never leak from one attempt to
 * the next and never reach the stored state (the fields are transient, which the codecs skip).
 */
final class JobServices {
  private JobServices() {}

  /** Injects {@code job}'s services, if its registration declares any. */
  static void inject(JobRegistration<?, ?> registration, JobHandler<?> job, ServiceResolver r) {
    if (!registration.services().isEmpty()) {
      injectTyped(registration, job, r);
    }
  }

  private static <J extends JobHandler<O>, O> void injectTyped(
      JobRegistration<J, O> registration, Object job, ServiceResolver r) {
    registration.injectServices(registration.jobClass().cast(job), r);
  }
}
