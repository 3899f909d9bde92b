package dev.jobkit.runtime.engine;

import dev.jobkit.JobHandler;
import dev.jobkit.Priority;
import dev.jobkit.spi.JobCodec;
import dev.jobkit.spi.JobRegistration;
import dev.jobkit.spi.ServiceRequirement;
import dev.jobkit.spi.ServiceResolver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * A generated registration with services added, as the processor writes them for {@code @Service}
 * fields: {@code services()} lists them and {@code injectServices} sets them.
 */
final class WithServices<J extends JobHandler<O>, O> implements JobRegistration<J, O> {
  private final JobRegistration<J, O> generated;
  private final List<ServiceRequirement> services;
  private final BiConsumer<J, ServiceResolver> inject;

  WithServices(
      JobRegistration<J, O> generated,
      List<ServiceRequirement> services,
      BiConsumer<J, ServiceResolver> inject) {
    this.generated = generated;
    this.services = services;
    this.inject = inject;
  }

  @Override
  public List<ServiceRequirement> services() {
    return services;
  }

  @Override
  public void injectServices(J job, ServiceResolver resolver) {
    inject.accept(job, resolver);
  }

  @Override
  public String name() {
    return generated.name();
  }

  @Override
  public String description() {
    return generated.description();
  }

  @Override
  public Class<J> jobClass() {
    return generated.jobClass();
  }

  @Override
  public String outputType() {
    return generated.outputType();
  }

  @Override
  public int version() {
    return generated.version();
  }

  @Override
  public boolean resumable() {
    return generated.resumable();
  }

  @Override
  public String queue() {
    return generated.queue();
  }

  @Override
  public Priority priority() {
    return generated.priority();
  }

  @Override
  public int maxAttempts() {
    return generated.maxAttempts();
  }

  @Override
  public Optional<Duration> timeout() {
    return generated.timeout();
  }

  @Override
  public String schema() {
    return generated.schema();
  }

  @Override
  public String outputSchema() {
    return generated.outputSchema();
  }

  @Override
  public JobCodec<J> codec() {
    return generated.codec();
  }

  @Override
  public JobCodec<O> outputCodec() {
    return generated.outputCodec();
  }

  @Override
  public J newInstance() {
    return generated.newInstance();
  }

  @Override
  public void upgrade(int fromVersion, Map<String, Object> state) {
    generated.upgrade(fromVersion, state);
  }
}
