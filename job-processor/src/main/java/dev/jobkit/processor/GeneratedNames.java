package dev.jobkit.processor;

import com.palantir.javapoet.ClassName;
import javax.lang.model.element.TypeElement;

/** Names of generated types: {@code Outer_Inner_Codec}, {@code FileCopyJob_Registration}. */
final class GeneratedNames {
  static final String GENERATOR = "dev.jobkit.processor.JobProcessor";
  static final String SERVICE_FILE = "META-INF/services/dev.jobkit.spi.JobRegistration";

  private GeneratedNames() {}

  static ClassName codec(ClassName type) {
    return sibling(type, "_Codec");
  }

  static ClassName codec(TypeElement type) {
    return codec(ClassName.get(type));
  }

  static ClassName registration(ClassName type) {
    return sibling(type, "_Registration");
  }

  private static ClassName sibling(ClassName type, String suffix) {
    return ClassName.get(type.packageName(), String.join("_", type.simpleNames()) + suffix);
  }
}
