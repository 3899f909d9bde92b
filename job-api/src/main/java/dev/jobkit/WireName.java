package dev.jobkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Gives a field (or record component) another name in MessagePack state and JSON than its Java
 * name, for example to keep the stored name when the field is renamed in code.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.FIELD, ElementType.RECORD_COMPONENT, ElementType.METHOD})
public @interface WireName {
  /** The name used on the wire; must not be blank and must not start with {@code @}. */
  String value();
}
