package dev.jobkit.spring;

import dev.jobkit.spi.ServiceResolver;
import java.util.Arrays;
import java.util.Optional;
import org.springframework.beans.factory.ListableBeanFactory;

/**
 * Jobs' {@link dev.jobkit.Service services} from the application context: the one bean of the
 * field's type (or the {@code @Primary} one among several), or the bean of that name for
 * {@code @Service("name")}.
 */
final class BeanServiceResolver implements ServiceResolver {
  private final ListableBeanFactory beans;

  BeanServiceResolver(ListableBeanFactory beans) {
    this.beans = beans;
  }

  @Override
  public Optional<?> find(Class<?> type, String name) {
    if (!name.isEmpty()) {
      return beans.containsBean(name) && beans.isTypeMatch(name, type)
          ? Optional.of(beans.getBean(name, type))
          : Optional.empty();
    }
    Object bean = beans.getBeanProvider(type).getIfUnique();
    if (bean == null) {
      String[] candidates = beans.getBeanNamesForType(type);
      if (candidates.length > 1) {
        throw new IllegalStateException(
            candidates.length
                + " beans have this type and none is @Primary: "
                + String.join(", ", Arrays.asList(candidates))
                + "; name one with @Service(\"beanName\") or mark one @Primary");
      }
    }
    return Optional.ofNullable(bean);
  }
}
