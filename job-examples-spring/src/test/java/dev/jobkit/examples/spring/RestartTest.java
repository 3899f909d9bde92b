package dev.jobkit.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobkit.runtime.JobInfo;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Stopping the application stops its running jobs gracefully (they keep their last checkpoint), and
 * the next start of the application, on the same SQLite file, resumes them there.
 */
class RestartTest {
  @TempDir Path dir;

  private ConfigurableApplicationContext start() {
    return new SpringApplicationBuilder(SampleApplication.class)
        .web(WebApplicationType.NONE)
        .run(
            "--spring.datasource.url=jdbc:sqlite:" + dir.resolve("app.db"),
            "--jobkit.database=" + dir.resolve("jobs.db"),
            "--jobkit.data-directory=" + dir.resolve("jobkit-data"),
            "--jobkit.shutdown-grace=10s");
  }

  @Test
  void aJobStoppedWithTheApplicationResumesAfterItsRestart() throws Exception {
    String id;
    String finished;
    try (ConfigurableApplicationContext first = start()) {
      JobManager jobs = first.getBean(JobManager.class);
      finished = jobs.dispatch(new WelcomeJob("ada")).id();
      Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> jobs.job(finished).map(JobInfo::state).orElseThrow() == JobState.COMPLETED);
      StepGate gate = first.getBean(StepGate.class);
      gate.allow(1); // step 0 runs and is checkpointed; step 1 waits
      id = jobs.dispatch(new StepsJob()).id();
      Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> gate.waitingAt() == 1);
    } // the application stops while the job waits between two steps
    try (ConfigurableApplicationContext second = start()) {
      JobManager jobs = second.getBean(JobManager.class);
      assertThat(jobs.job(finished).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
      // Steps 1 and 2 ran after the restart; step 0 was not run again.
      assertThat(jobs.handle(id).orElseThrow().result().get(20, TimeUnit.SECONDS))
          .isEqualTo(List.of(1, 2));
    }
  }
}
