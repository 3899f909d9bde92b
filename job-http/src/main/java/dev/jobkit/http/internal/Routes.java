package dev.jobkit.http.internal;

import dev.jobkit.runtime.JobManager;

/** Builds the router with every route of the API. */
public final class Routes {
  private Routes() {}

  /** Every route over {@code jobs}. */
  public static Router all(JobManager jobs) {
    Router router = new Router();
    new ApiRoutes(jobs).register(router);
    new BulkRoutes(jobs).register(router);
    new OpenApi(router, jobs).register(router);
    return router;
  }
}
