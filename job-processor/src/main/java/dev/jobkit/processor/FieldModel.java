package dev.jobkit.processor;

import javax.lang.model.element.Element;

/**
 * One serialized field: read with {@code getter} (a field name or a method call) and written with
 * {@code setter} (null for records and plain fields).
 */
record FieldModel(
    String javaName, String wireName, TypeRef type, Access access, String getter, String setter,
    Element element) {
  enum Access {
    FIELD,
    BEAN,
    RECORD
  }
}
