package dev.jobkit.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobkit.runtime.JobManager;
import dev.jobkit.spi.ServiceResolver;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/** The starter's auto-configuration in a plain application context. */
class JobkitAutoConfigurationTest {
  @TempDir Path dir;

  private ApplicationContextRunner runner() {
    return new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(JobkitAutoConfiguration.class))
        .withPropertyValues(
            "jobkit.database=" + dir.resolve("jobs.db"),
            "jobkit.data-directory=" + dir.resolve("data"),
            "jobkit.workers.default=1",
            "jobkit.workers.mail=2");
  }

  @Test
  void opensAManagerOnTheConfiguredSqliteFileAndStartsItsWorkersWithTheContext() {
    runner()
        .run(
            context -> {
              assertThat(context).hasSingleBean(JobManager.class);
              JobManager jobs = context.getBean(JobManager.class);
              assertThat(jobs.storageInfo().location()).contains(dir.resolve("jobs.db").toString());
              assertThat(context.getBean(JobkitLifecycle.class).isRunning()).isTrue();
              assertThat(jobs.health().workersAlive()).isTrue();
              HealthIndicator health =
                  context.getBean("jobkitHealthIndicator", HealthIndicator.class);
              assertThat(health.health().getStatus()).isEqualTo(Status.UP);
              assertThat(health.health().getDetails()).containsEntry("databaseReachable", true);
            });
  }

  @Test
  void stoppingTheContextClosesTheManager() {
    JobManager[] jobs = new JobManager[1];
    runner().run(context -> jobs[0] = context.getBean(JobManager.class));
    org.assertj.core.api.Assertions.assertThatThrownBy(jobs[0]::health)
        .hasMessage("JobManager is closed");
  }

  @Test
  void jobkitEnabledFalseConfiguresNothing() {
    runner()
        .withPropertyValues("jobkit.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(JobManager.class));
  }

  @Test
  void useDataSourceWithoutADataSourceFailsWithWhatToDo() {
    runner()
        .withPropertyValues("jobkit.postgres.use-data-source=true")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessage(
                        "jobkit.postgres.use-data-source is true but the application has no single"
                            + " DataSource bean; configure spring.datasource.*, or set"
                            + " jobkit.postgres.url instead"));
  }

  @Test
  void theHttpServerStartsWhenEnabled() {
    runner()
        .withPropertyValues(
            "jobkit.http.enabled=true", "jobkit.http.port=0", "jobkit.http.path=/jobs")
        .run(
            context -> {
              JobkitHttpLifecycle http = context.getBean(JobkitHttpLifecycle.class);
              assertThat(http.isRunning()).isTrue();
              assertThat(http.server().uri().toString()).endsWith("/jobs/");
            });
  }

  @Test
  void noHttpServerUnlessEnabled() {
    runner().run(context -> assertThat(context).doesNotHaveBean(JobkitHttpLifecycle.class));
  }

  interface Mailer {}

  @Configuration(proxyBeanMethods = false)
  static class Beans {
    @Bean
    @Primary
    Mailer mailer() {
      return new Mailer() {};
    }

    @Bean
    Mailer bulkMailer() {
      return new Mailer() {};
    }

    @Bean
    String greeting() {
      return "hello";
    }

    @Bean
    String farewell() {
      return "bye";
    }
  }

  @Test
  void servicesAreBeansByTypeThePrimaryOneOrByName() {
    runner()
        .withUserConfiguration(Beans.class)
        .run(
            context -> {
              ServiceResolver services = context.getBean(ServiceResolver.class);
              assertThat(found(services, Mailer.class, "")).isSameAs(context.getBean("mailer"));
              assertThat(found(services, Mailer.class, "bulkMailer"))
                  .isSameAs(context.getBean("bulkMailer"));
              assertThat(found(services, Mailer.class, "greeting")).isNull();
              assertThat(found(services, Runnable.class, "")).isNull();
              assertThat(found(services, JobManager.class, ""))
                  .isSameAs(context.getBean(JobManager.class));
            });
  }

  private static Object found(ServiceResolver services, Class<?> type, String name) {
    Optional<?> service = services.find(type, name);
    return service.isPresent() ? service.get() : null;
  }

  @Test
  void severalBeansWithoutAPrimaryOneAreReportedWithTheirNames() {
    runner()
        .withUserConfiguration(Beans.class)
        .run(
            context -> {
              ServiceResolver services = context.getBean(ServiceResolver.class);
              org.assertj.core.api.Assertions.assertThatThrownBy(
                      () -> services.find(String.class, ""))
                  .hasMessage(
                      "2 beans have this type and none is @Primary: greeting, farewell; name one"
                          + " with @Service(\"beanName\") or mark one @Primary");
            });
  }
}
