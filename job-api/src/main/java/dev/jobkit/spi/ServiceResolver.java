package dev.jobkit.spi;

import dev.jobkit.MissingServiceException;
import java.util.Map;
import java.util.Optional;

/**
 * Where the runtime finds the {@link dev.jobkit.Service services} that jobs need: a map, a lambda,
 * or a container (Spring's application context, CDI, Guice). Configured on the manager ({@code
 * JobManager.Builder.services(...)}); generated registrations call {@link #require} to set a job's
 * service fields.
 *
 * <pre>{@code
 * JobManager.builder().services(Map.of(Mailer.class, mailer))
 * JobManager.builder().services((type, name) -> Optional.ofNullable(injector.getInstance(type)))
 * }</pre>
 *
 * <p>Implementations must be thread-safe: workers call it for every attempt of a job with services.
 */
@FunctionalInterface
public interface ServiceResolver {

  /**
   * The service of {@code type} called {@code name}, or empty if there is none.
   *
   * @param type the type of the job's field; the result must be an instance of it
   * @param name the service's name, or empty to find it by type alone
   */
  Optional<?> find(Class<?> type, String name);

  /**
   * The service of {@code type} called {@code name}.
   *
   * @throws MissingServiceException if there is none, or the resolver gave an object of another
   *     type
   */
  default <T> T require(Class<T> type, String name) {
    Object service = find(type, name).orElse(null);
    String what = type.getName() + (name.isEmpty() ? "" : " named '" + name + "'");
    if (service == null) {
      throw new MissingServiceException(
          "no service "
              + what
              + " is configured; give the JobManager one with its builder's"
              + " services(...), or declare it as a bean in Spring");
    }
    if (!type.isInstance(service)) {
      throw new MissingServiceException(
          "the service found for "
              + what
              + " is a "
              + service.getClass().getName()
              + ", not a "
              + type.getName()
              + "; fix the resolver given to the JobManager's builder services(...)");
    }
    return type.cast(service);
  }

  /** A resolver without services. */
  static ServiceResolver none() {
    return (type, name) -> Optional.empty();
  }

  /**
   * A resolver over a map from the type a job asks for to the service: {@code Map.of(Mailer.class,
   * mailer)}. Services are found by type only; a job that asks for one by name finds none.
   *
   * @throws IllegalArgumentException if a value is not an instance of its key
   */
  static ServiceResolver of(Map<Class<?>, ?> services) {
    Map<Class<?>, Object> copy = Map.copyOf(services);
    copy.forEach(
        (type, service) -> {
          if (!type.isInstance(service)) {
            throw new IllegalArgumentException(
                "service for "
                    + type.getName()
                    + " is a "
                    + service.getClass().getName()
                    + ", which is not one; map each type to an instance of it");
          }
        });
    return (type, name) -> name.isEmpty() ? Optional.ofNullable(copy.get(type)) : Optional.empty();
  }
}
