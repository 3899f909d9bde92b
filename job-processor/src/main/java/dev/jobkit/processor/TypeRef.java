package dev.jobkit.processor;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.TypeName;
import java.util.List;

/** The codec-relevant shape of a field or output type. */
sealed interface TypeRef {
  TypeName typeName();

  /** Whether a value can be {@code null}. */
  default boolean nullable() {
    return !typeName().isPrimitive();
  }

  /** A primitive, box, string or value type written as one scalar. */
  record Scalar(ScalarKind kind, TypeName typeName) implements TypeRef {}

  record EnumRef(ClassName typeName, List<String> constants) implements TypeRef {}

  record ArrayRef(ArrayTypeName typeName, TypeRef component) implements TypeRef {}

  record CollectionRef(TypeName typeName, ClassName impl, boolean set, TypeRef element)
      implements TypeRef {}

  record MapRef(TypeName typeName, ClassName impl, TypeRef key, TypeRef value) implements TypeRef {}

  record OptionalRef(TypeName typeName, TypeRef value) implements TypeRef {}

  /** OptionalInt, OptionalLong or OptionalDouble; {@code kind} is INT, LONG or DOUBLE. */
  record OptionalPrimitive(ClassName typeName, ScalarKind kind) implements TypeRef {}

  /** A record or class with its own codec. */
  record ObjectRef(ClassName typeName, ClassName codec, String qualifiedName) implements TypeRef {}

  record VoidRef(TypeName typeName) implements TypeRef {}
}
