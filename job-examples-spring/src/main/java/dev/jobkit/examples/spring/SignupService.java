package dev.jobkit.examples.spring;

import dev.jobkit.runtime.JobManager;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Signs users up: stores the user and dispatches their {@link WelcomeJob} in one transaction. With
 * {@code jobkit.postgres.use-data-source=true} the job commits or rolls back with the user's row.
 */
@Component
public class SignupService {
  private final JdbcTemplate jdbc;
  private final JobManager jobs;
  private final AtomicReference<String> lastJobId = new AtomicReference<>();

  /** Called by Spring. */
  public SignupService(JdbcTemplate jdbc, JobManager jobs) {
    this.jdbc = jdbc;
    this.jobs = jobs;
  }

  /**
   * Stores {@code name} and dispatches its welcome; returns the job's id.
   *
   * @param failAfterDispatch throw after the dispatch, so that the transaction rolls back
   */
  @Transactional
  public String signUp(String name, boolean failAfterDispatch) {
    jdbc.update("INSERT INTO users (name) VALUES (?)", name);
    String id = jobs.dispatch(new WelcomeJob(name)).id();
    lastJobId.set(id);
    if (failAfterDispatch) {
      throw new IllegalStateException("sign-up of " + name + " failed after its dispatch");
    }
    return id;
  }

  /** Whether {@code name} is stored. */
  public boolean exists(String name) {
    Integer n =
        jdbc.queryForObject("SELECT count(*) FROM users WHERE name = ?", Integer.class, name);
    return n != null && n > 0;
  }

  /** The id of the last job {@link #signUp} dispatched, committed or not. */
  public String lastJobId() {
    return lastJobId.get();
  }
}
