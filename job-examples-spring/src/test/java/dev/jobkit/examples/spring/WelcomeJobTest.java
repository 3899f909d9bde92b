package dev.jobkit.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobkit.runtime.JobManager;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A job dispatched in the application runs on its workers and uses the application's bean. */
@SpringBootTest
class WelcomeJobTest {
  @TempDir static Path dir;

  @DynamicPropertySource
  static void files(DynamicPropertyRegistry p) {
    p.add("spring.datasource.url", () -> "jdbc:sqlite:" + dir.resolve("app.db"));
    p.add("jobkit.database", () -> dir.resolve("jobs.db").toString());
    p.add("jobkit.data-directory", () -> dir.resolve("jobkit-data").toString());
  }

  @Autowired JobManager jobs;
  @Autowired Greetings greetings;
  @Autowired SignupService signups;

  @Test
  void theJobRunsWithTheApplicationsBean() throws Exception {
    String greeting = jobs.dispatch(new WelcomeJob("ada")).result().get(20, TimeUnit.SECONDS);
    assertThat(greeting).isEqualTo("Welcome, ada!");
    assertThat(greetings.sent()).contains("ada");
  }

  @Test
  void aSignUpStoresTheUserAndItsWelcomeRuns() throws Exception {
    String id = signups.signUp("grace", false);
    assertThat(signups.exists("grace")).isTrue();
    assertThat(jobs.handle(id).orElseThrow().result().get(20, TimeUnit.SECONDS))
        .isEqualTo("Welcome, grace!");
  }

  @Test
  void theServiceIsNotPartOfTheJobsParameters() {
    assertThat(jobs.jobTypes().stream().filter(t -> t.name().equals("spring.welcome")))
        .singleElement()
        .satisfies(t -> assertThat(t.schema()).contains("userName").doesNotContain("greetings"));
  }
}
