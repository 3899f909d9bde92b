package dev.jobkit.processor;

import com.palantir.javapoet.ClassName;
import java.util.List;
import javax.lang.model.element.TypeElement;

/** Everything generated code needs about one valid @Job class, with its service fields. */
record JobModel(
    TypeElement element,
    ObjectModel object,
    String name,
    String description,
    int version,
    boolean resumable,
    String queue,
    String priority,
    int maxAttempts,
    String timeout,
    TypeRef output,
    String outputSpelling,
    List<Upgrade> upgrades,
    List<ServiceModel> services) {

  ClassName registration() {
    return GeneratedNames.registration(object.type());
  }

  /** An {@code @Upgrade} step. */
  record Upgrade(int from, String method) {}
}
