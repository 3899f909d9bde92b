package dev.jobkit.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobkit.runtime.JobManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * On PostgreSQL with the application's DataSource, a dispatch inside a {@code @Transactional}
 * method commits or rolls back with the method's own writes.
 */
@SpringBootTest(properties = "jobkit.postgres.use-data-source=true")
@DirtiesContext // closes the context, and with it the server, after this class
class TransactionalDispatchTest {
  @TempDir static Path dir;

  @DynamicPropertySource
  static void files(DynamicPropertyRegistry p) {
    p.add("jobkit.data-directory", () -> dir.resolve("jobkit-data").toString());
  }

  /**
   * An embedded PostgreSQL server as the application's database; a bean, so that it stops after the
   * DataSource and the JobManager that use it.
   */
  @TestConfiguration(proxyBeanMethods = false)
  static class Postgres {
    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres() throws IOException {
      return EmbeddedPostgres.builder().setServerConfig("fsync", "off").start();
    }

    @Bean
    DataSource dataSource(EmbeddedPostgres pg) {
      return pg.getPostgresDatabase();
    }
  }

  @Autowired SignupService signups;
  @Autowired JobManager jobs;

  @Test
  void theJobIsCommittedWithTheUser() throws Exception {
    String id = signups.signUp("ada", false);
    assertThat(signups.exists("ada")).isTrue();
    assertThat(jobs.handle(id).orElseThrow().result().get(20, TimeUnit.SECONDS))
        .isEqualTo("Welcome, ada!");
    assertThat(jobs.storageInfo().location()).startsWith("jdbc:postgresql:");
  }

  @Test
  void theJobIsRolledBackWithTheUser() {
    assertThatThrownBy(() -> signups.signUp("bob", true))
        .hasMessage("sign-up of bob failed after its dispatch");
    assertThat(signups.exists("bob")).isFalse();
    assertThat(jobs.job(signups.lastJobId())).isEmpty();
  }
}
