package dev.jobkit.processor;

import java.util.Optional;
import javax.lang.model.element.Element;

/**
 * One serialized field: read with {@code getter} (a field name or a method call) and written with
 * {@code setter} (null for records and plain fields). {@code state} marks a job's {@code @State}
 * field, which JSON leaves out; {@code doc} is what the parameter schema says about it.
 */
record FieldModel(
    String javaName,
    String wireName,
    TypeRef type,
    Access access,
    String getter,
    String setter,
    Element element,
    boolean state,
    Doc doc) {
  enum Access {
    FIELD,
    BEAN,
    RECORD
  }

  /**
   * The parameter schema's view of a field: its description (empty if none), its default as JSON
   * text when known at compile time, and whether it must be given.
   */
  record Doc(String description, Optional<String> defaultJson, boolean required) {}
}
