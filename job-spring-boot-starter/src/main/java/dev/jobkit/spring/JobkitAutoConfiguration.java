package dev.jobkit.spring;

import dev.jobkit.micrometer.JobkitMetrics;
import dev.jobkit.runtime.ApplicationTransactions;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.RetentionPolicy;
import dev.jobkit.spi.ServiceResolver;
import io.micrometer.core.instrument.MeterRegistry;
import javax.sql.DataSource;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Opens a {@link JobManager} from the {@code jobkit.*} properties ({@link JobkitProperties}) and
 * runs its workers with the application context. Jobs get beans as their {@link
 * dev.jobkit.Service @Service} fields; with {@code jobkit.postgres.use-data-source=true} the
 * manager uses the application's {@code DataSource}, and a dispatch inside a Spring transaction
 * commits or rolls back with it. Each bean backs off when the application declares its own.
 */
@AutoConfiguration(
    afterName = {
      // Boot 3, then Boot 4's module of the same: the DataSource and its transaction manager.
      "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
      "org.springframework.boot.autoconfigure.jdbc.DataSourceTransactionManagerAutoConfiguration",
      "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
      "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration"
    })
@ConditionalOnClass(JobManager.class)
@ConditionalOnProperty(prefix = "jobkit", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(JobkitProperties.class)
public class JobkitAutoConfiguration {

  /** Called by Spring. */
  public JobkitAutoConfiguration() {}

  /** Jobs' services: the application's beans. */
  @Bean
  @ConditionalOnMissingBean
  public ServiceResolver jobkitServiceResolver(ListableBeanFactory beans) {
    return new BeanServiceResolver(beans);
  }

  /**
   * The manager, opened (database created or migrated) when the context creates it; its workers
   * start with the context ({@link JobkitLifecycle}), after every job type's services were found.
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public JobManager jobManager(
      JobkitProperties properties,
      ServiceResolver services,
      ObjectProvider<DataSource> dataSource,
      ObjectProvider<ApplicationTransactions> transactions,
      ObjectProvider<JobManagerCustomizer> customizers) {
    JobManager.Builder b = JobManager.builder().services(services).startLater();
    JobkitProperties.Postgres pg = properties.getPostgres();
    if (pg.isUseDataSource()) {
      DataSource ds = dataSource.getIfUnique();
      if (ds == null) {
        throw new IllegalStateException(
            "jobkit.postgres.use-data-source is true but the application has no single DataSource"
                + " bean; configure spring.datasource.*, or set jobkit.postgres.url instead");
      }
      ApplicationTransactions tx = transactions.getIfAvailable();
      if (tx != null) {
        b.postgres(ds, tx);
      } else {
        b.postgres(ds);
      }
      b.postgresSchema(pg.getSchema());
    } else if (pg.getUrl() != null) {
      b.postgres(pg.getUrl(), pg.getUsername(), pg.getPassword())
          .postgresSchema(pg.getSchema())
          .postgresPoolSize(pg.getPoolSize());
    } else {
      b.database(properties.getDatabase());
    }
    if (!properties.isRunWorkers()) {
      b.noWorkers();
    } else {
      properties.getWorkers().forEach(b::workers);
    }
    if (properties.getLease() != null) {
      b.leaseDuration(properties.getLease());
    }
    b.pollInterval(properties.getPollInterval()).shutdownGrace(properties.getShutdownGrace());
    if (properties.getDataDirectory() != null) {
      b.dataDirectory(properties.getDataDirectory());
    }
    JobkitProperties.Retention retention = properties.getRetention();
    b.retention(
        retention.isEnabled()
            ? RetentionPolicy.keep(retention.getCompleted(), retention.getFailed())
            : RetentionPolicy.none());
    customizers.orderedStream().forEach(c -> c.customize(b));
    return b.open();
  }

  /** Starts the workers with the application context and stops them, gracefully, with it. */
  @Bean
  public JobkitLifecycle jobkitLifecycle(JobManager jobs) {
    return new JobkitLifecycle(jobs);
  }

  /** Spring's transactions, which dispatches join on the application's DataSource. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(
      name = {
        "org.springframework.jdbc.datasource.ConnectionHolder",
        "org.springframework.transaction.support.TransactionSynchronizationManager"
      })
  static class Transactions {
    @Bean
    @ConditionalOnMissingBean
    ApplicationTransactions jobkitApplicationTransactions() {
      return new SpringTransactions();
    }
  }

  /**
   * jobkit's meters ({@code JobkitMetrics} from job-micrometer) in the application's {@code
   * MeterRegistry}, so that they reach {@code /actuator/prometheus} and every other registry the
   * application has. Needs job-micrometer on the class path; off with {@code
   * jobkit.metrics.enabled=false}.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(
      name = {"dev.jobkit.micrometer.JobkitMetrics", "io.micrometer.core.instrument.MeterRegistry"})
  @ConditionalOnProperty(prefix = "jobkit.metrics", name = "enabled", matchIfMissing = true)
  static class Metrics {
    @Bean
    JobManagerCustomizer jobkitMetricsCustomizer(ObjectProvider<MeterRegistry> registry) {
      return b -> registry.ifAvailable(r -> b.intercept(new JobkitMetrics(r)));
    }
  }

  /** The {@code jobkit} component of Actuator's health endpoint. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
  static class Health {
    @Bean
    @ConditionalOnMissingBean(name = "jobkitHealthIndicator")
    HealthIndicator jobkitHealthIndicator(JobManager jobs) {
      return new JobkitHealthIndicator(jobs);
    }
  }

  /**
   * jobkit's HTTP API and dashboard, with {@code jobkit.http.enabled=true} and job-http present.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "dev.jobkit.http.JobkitServer")
  @ConditionalOnProperty(prefix = "jobkit.http", name = "enabled", havingValue = "true")
  static class Http {
    @Bean
    JobkitHttpLifecycle jobkitHttpServer(JobManager jobs, JobkitProperties properties) {
      return new JobkitHttpLifecycle(jobs, properties.getHttp());
    }
  }
}
