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
    List<ServiceModel> services,
    Limits limits) {

  ClassName registration() {
    return GeneratedNames.registration(object.type());
  }

  /**
   * The job's concurrency and rate limits (#12 limits): {@code concurrency} 0 and empty strings
   * when it has none; {@code key} is the wire name of the field that keys them.
   */
  record Limits(int concurrency, String key, String rate) {
    static final Limits NONE = new Limits(0, "", "");
  }

  /** An {@code @Upgrade} step. */
  record Upgrade(int from, String method) {}
}
