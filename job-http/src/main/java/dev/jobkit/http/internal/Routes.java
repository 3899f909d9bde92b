package dev.jobkit.http.internal;

import dev.jobkit.runtime.JobManager;

/** Builds the router with every route of the API. */
public final class Routes {
  private Routes() {}

  /** Every route over {@code jobs}. */
  public static Router all(JobManager jobs) {
    return all(jobs, new Security(jobs, null, true), false, new EventStream(jobs));
  }

  /** Every route over {@code jobs}, with {@code security} for the session and key routes. */
  public static Router all(
      JobManager jobs, Security security, boolean readOnly, EventStream stream) {
    Router router = new Router();
    stream.register(router);
    new ApiRoutes(jobs).register(router);
    new BulkRoutes(jobs).register(router);
    new ScheduleRoutes(jobs).register(router); // #12 schedules
    new TenantRoutes(jobs).register(router); // #14 tenants and audit
    new AuthRoutes(jobs, security, readOnly).register(router);
    new OpenApi(router, jobs).register(router);
    return router;
  }
}
