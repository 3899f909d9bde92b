package dev.jobkit.processor;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import javax.lang.model.SourceVersion;

/**
 * Emits inline code that reads or writes one value of a {@link TypeRef}. Uses {@code out} and
 * {@code in} as the packer/generator and MessagePack/JSON reader; locals get unique numbered names.
 */
final class ValueCode {
  static final ClassName MSGPACK_SUPPORT = ClassName.get("dev.jobkit.spi", "MsgpackSupport");
  static final ClassName JSON_SUPPORT = ClassName.get("dev.jobkit.spi", "JsonSupport");
  static final ClassName JSON_TOKEN = ClassName.get("com.fasterxml.jackson.core", "JsonToken");
  static final ClassName DECODE_EXCEPTION = ClassName.get("dev.jobkit", "JobDecodeException");
  private static final ClassName ARRAYS = ClassName.get("java.util", "Arrays");
  private static final ClassName OPTIONAL = ClassName.get("java.util", "Optional");
  private static final ClassName MAP_ENTRY = ClassName.get("java.util", "Map", "Entry");

  private int counter;

  private String local(String base) {
    return base + (++counter);
  }

  /**
   * A name for {@code expr} that can be read more than once: {@code expr} itself when it is already
   * a local or parameter, otherwise a new local holding it.
   */
  private String once(CodeBlock.Builder b, TypeRef t, String expr) {
    if (SourceVersion.isIdentifier(expr)) {
      return expr;
    }
    String v = local("v");
    b.addStatement("$T $L = $L", t.typeName(), v, expr);
    return v;
  }

  // ---------------------------------------------------------------- MessagePack write

  /** Writes {@code expr} (evaluated once) as MessagePack. */
  void writeMsgpack(CodeBlock.Builder b, TypeRef t, String expr) {
    write(b, t, expr, "writeMsgpack", "out.packNil()", this::writeMsgpackValue);
  }

  /** How one format writes a value known not to be null. */
  private interface ValueWriter {
    void write(CodeBlock.Builder b, TypeRef t, String v);
  }

  /**
   * Writes {@code expr} in one format: nested objects through their codec's {@code codecMethod},
   * null and empty optionals with {@code writeNull}, anything else with {@code value}.
   */
  private void write(
      CodeBlock.Builder b,
      TypeRef t,
      String expr,
      String codecMethod,
      String writeNull,
      ValueWriter value) {
    if (t instanceof TypeRef.ObjectRef o) {
      b.addStatement("$T.INSTANCE.$L(out, $L)", o.codec(), codecMethod, expr);
      return;
    }
    if (t instanceof TypeRef.VoidRef) {
      b.addStatement(writeNull);
      return;
    }
    if (!t.nullable()) {
      value.write(b, t, expr);
      return;
    }
    String v = once(b, t, expr);
    if (t instanceof TypeRef.OptionalRef || t instanceof TypeRef.OptionalPrimitive) {
      b.beginControlFlow("if ($L == null || $L.isEmpty())", v, v);
    } else {
      b.beginControlFlow("if ($L == null)", v);
    }
    b.addStatement(writeNull);
    b.nextControlFlow("else");
    value.write(b, t, v);
    b.endControlFlow();
  }

  private void writeMsgpackValue(CodeBlock.Builder b, TypeRef t, String v) {
    if (t instanceof TypeRef.Scalar s) {
      switch (s.kind()) {
        case BOOLEAN -> b.addStatement("out.packBoolean($L)", v);
        case BYTE, SHORT, INT -> b.addStatement("out.packInt($L)", v);
        case LONG -> b.addStatement("out.packLong($L)", v);
        case FLOAT -> b.addStatement("out.packFloat($L)", v);
        case DOUBLE -> b.addStatement("out.packDouble($L)", v);
        case CHAR -> b.addStatement("out.packString($T.valueOf($L))", String.class, v);
        case STRING -> b.addStatement("out.packString($L)", v);
        case INSTANT -> b.addStatement("out.packTimestamp($L)", v);
        case BYTES -> {
          b.addStatement("out.packBinaryHeader($L.length)", v);
          b.addStatement("out.writePayload($L)", v);
        }
        default -> b.addStatement("out.packString($L.toString())", v);
      }
    } else if (t instanceof TypeRef.EnumRef) {
      b.addStatement("out.packString($L.name())", v);
    } else if (t instanceof TypeRef.ArrayRef a) {
      b.addStatement("out.packArrayHeader($L.length)", v);
      String e = local("e");
      b.beginControlFlow("for ($T $L : $L)", a.component().typeName(), e, v);
      writeMsgpack(b, a.component(), e);
      b.endControlFlow();
    } else if (t instanceof TypeRef.CollectionRef c) {
      b.addStatement("out.packArrayHeader($L.size())", v);
      String e = local("e");
      b.beginControlFlow("for ($T $L : $L)", c.element().typeName(), e, v);
      writeMsgpack(b, c.element(), e);
      b.endControlFlow();
    } else if (t instanceof TypeRef.MapRef m) {
      b.addStatement("out.packMapHeader($L.size())", v);
      String e = local("e");
      b.beginControlFlow(
          "for ($T $L : $L.entrySet())",
          ParameterizedTypeName.get(MAP_ENTRY, m.key().typeName(), m.value().typeName()),
          e,
          v);
      writeMsgpackValue(b, m.key(), e + ".getKey()");
      writeMsgpack(b, m.value(), e + ".getValue()");
      b.endControlFlow();
    } else if (t instanceof TypeRef.OptionalRef o) {
      writeMsgpack(b, o.value(), v + ".get()");
    } else if (t instanceof TypeRef.OptionalPrimitive p) {
      switch (p.kind()) {
        case INT -> b.addStatement("out.packInt($L.getAsInt())", v);
        case LONG -> b.addStatement("out.packLong($L.getAsLong())", v);
        default -> b.addStatement("out.packDouble($L.getAsDouble())", v);
      }
    } else {
      throw new IllegalArgumentException(t.toString());
    }
  }

  // ---------------------------------------------------------------- MessagePack read

  /** Emits statements reading one value; returns the expression holding it. */
  CodeBlock readMsgpack(CodeBlock.Builder b, TypeRef t) {
    return read(
        b,
        t,
        CodeBlock.of("readMsgpack(in)"),
        "in.skipValue()",
        CodeBlock.of("in.tryReadNil()"),
        this::readMsgpackValue);
  }

  /** How one format reads a value that is not null. */
  private interface ValueReader {
    CodeBlock read(CodeBlock.Builder b, TypeRef t);
  }

  /**
   * Reads one value in one format: nested objects through their codec's {@code codecCall}, {@code
   * Void} by skipping, and nullable types by testing {@code isNull} before {@code value}.
   */
  private CodeBlock read(
      CodeBlock.Builder b,
      TypeRef t,
      CodeBlock codecCall,
      String skip,
      CodeBlock isNull,
      ValueReader value) {
    if (t instanceof TypeRef.ObjectRef o) {
      return CodeBlock.of("$T.INSTANCE.$L", o.codec(), codecCall);
    }
    if (t instanceof TypeRef.VoidRef) {
      b.addStatement(skip);
      return CodeBlock.of("null");
    }
    if (!t.nullable()) {
      return value.read(b, t);
    }
    String v = local("v");
    b.addStatement("$T $L", t.typeName(), v);
    b.beginControlFlow("if ($L)", isNull);
    if (t instanceof TypeRef.OptionalRef) {
      b.addStatement("$L = $T.empty()", v, OPTIONAL);
    } else if (t instanceof TypeRef.OptionalPrimitive p) {
      b.addStatement("$L = $T.empty()", v, p.typeName());
    } else {
      b.addStatement("$L = null", v);
    }
    b.nextControlFlow("else");
    CodeBlock read = value.read(b, t);
    b.addStatement("$L = $L", v, read);
    b.endControlFlow();
    return CodeBlock.of("$L", v);
  }

  private CodeBlock readMsgpackValue(CodeBlock.Builder b, TypeRef t) {
    if (t instanceof TypeRef.Scalar s) {
      return readMsgpackScalar(s.kind());
    }
    if (t instanceof TypeRef.EnumRef e) {
      return CodeBlock.of("in.readEnum($T.class)", e.typeName());
    }
    if (t instanceof TypeRef.OptionalRef o) {
      CodeBlock inner = readMsgpack(b, o.value());
      return CodeBlock.of("$T.ofNullable($L)", OPTIONAL, inner);
    }
    if (t instanceof TypeRef.OptionalPrimitive p) {
      return CodeBlock.of("$T.of($L)", p.typeName(), readMsgpackScalar(p.kind()));
    }
    String n = local("n");
    String r = local("r");
    String i = local("i");
    if (t instanceof TypeRef.MapRef m) {
      b.addStatement("int $L = in.readMapHeader()", n);
      b.addStatement("$T $L = $L", m.typeName(), r, newCollection(m.impl(), n));
      String k = local("k");
      b.addStatement("$T $L = null", m.key().typeName(), k);
      b.beginControlFlow("try");
      b.beginControlFlow("for (int $L = 0; $L < $L; $L++)", i, i, n, i);
      b.addStatement("$L = $L", k, readMsgpackValue(b, m.key()));
      CodeBlock value = readMsgpack(b, m.value());
      b.addStatement("$L.put($L, $L)", r, k, value);
      b.endControlFlow();
      b.nextControlFlow("catch ($T e)", DECODE_EXCEPTION);
      if (isString(m.key())) {
        b.addStatement("throw $T.atField(e, $L)", MSGPACK_SUPPORT, k);
      } else {
        b.addStatement("throw $T.atField(e, $T.valueOf($L))", MSGPACK_SUPPORT, String.class, k);
      }
      b.endControlFlow();
      return CodeBlock.of("$L", r);
    }
    b.addStatement("int $L = in.readArrayHeader()", n);
    TypeRef element;
    if (t instanceof TypeRef.ArrayRef a) {
      element = a.component();
      b.addStatement("$T $L = $L", a.typeName(), r, newArray(a.typeName(), n));
    } else {
      TypeRef.CollectionRef c = (TypeRef.CollectionRef) t;
      element = c.element();
      b.addStatement("$T $L = $L", c.typeName(), r, newCollection(c.impl(), n));
    }
    b.addStatement("int $L = 0", i);
    b.beginControlFlow("try");
    b.beginControlFlow("for (; $L < $L; $L++)", i, n, i);
    CodeBlock value = readMsgpack(b, element);
    if (t instanceof TypeRef.ArrayRef) {
      b.addStatement("$L[$L] = $L", r, i, value);
    } else if (sortedWithNullable(t)) {
      b.addStatement("$L.add($T.notNull($L))", r, MSGPACK_SUPPORT, value);
    } else {
      b.addStatement("$L.add($L)", r, value);
    }
    b.endControlFlow();
    b.nextControlFlow("catch ($T e)", DECODE_EXCEPTION);
    b.addStatement("throw $T.atIndex(e, $L)", MSGPACK_SUPPORT, i);
    b.endControlFlow();
    return CodeBlock.of("$L", r);
  }

  /**
   * Reads a scalar: what MessagePack has a type for straight from the reader ({@code
   * in.readInt()}), what is stored as a string through {@code MsgpackSupport} ({@code
   * MsgpackSupport.readUuid(in)}).
   */
  private static CodeBlock readMsgpackScalar(ScalarKind kind) {
    switch (kind) {
      case BOOLEAN:
      case BYTE:
      case SHORT:
      case INT:
      case LONG:
      case FLOAT:
      case DOUBLE:
      case STRING:
      case INSTANT:
      case BYTES:
        return CodeBlock.of("in.read$L()", kind.suffix);
      default:
        return CodeBlock.of("$T.read$L(in)", MSGPACK_SUPPORT, kind.suffix);
    }
  }

  private static CodeBlock newCollection(ClassName impl, String size) {
    String simple = impl.simpleName();
    if (simple.equals("ArrayList")
        || simple.equals("HashMap")
        || simple.equals("LinkedHashMap")
        || simple.equals("HashSet")
        || simple.equals("LinkedHashSet")) {
      return CodeBlock.of("new $T<>($L)", impl, size);
    }
    return CodeBlock.of("new $T<>()", impl);
  }

  private static CodeBlock newArray(ArrayTypeName type, String size) {
    TypeName base = type.componentType();
    int dims = 0;
    while (base instanceof ArrayTypeName inner) {
      base = inner.componentType();
      dims++;
    }
    return CodeBlock.of("new $T[$L]$L", base, size, "[]".repeat(dims));
  }

  // ---------------------------------------------------------------- JSON write

  /** Writes {@code expr} (evaluated once) as JSON. */
  void writeJson(CodeBlock.Builder b, TypeRef t, String expr) {
    write(b, t, expr, "writeJson", "out.writeNull()", this::writeJsonValue);
  }

  private void writeJsonValue(CodeBlock.Builder b, TypeRef t, String v) {
    if (t instanceof TypeRef.Scalar s) {
      switch (s.kind()) {
        case BOOLEAN -> b.addStatement("out.writeBoolean($L)", v);
        case BYTE, SHORT, INT, LONG, FLOAT, DOUBLE, BIG_DECIMAL, BIG_INTEGER ->
            b.addStatement("out.writeNumber($L)", v);
        case CHAR -> b.addStatement("out.writeString($T.valueOf($L))", String.class, v);
        case STRING -> b.addStatement("out.writeString($L)", v);
        case BYTES -> b.addStatement("out.writeBinary($L)", v);
        case INSTANT -> b.addStatement("$T.writeInstant(out, $L)", JSON_SUPPORT, v);
        default -> b.addStatement("out.writeString($L.toString())", v);
      }
    } else if (t instanceof TypeRef.EnumRef) {
      b.addStatement("out.writeString($L.name())", v);
    } else if (t instanceof TypeRef.ArrayRef a) {
      b.addStatement("out.writeStartArray()");
      String e = local("e");
      b.beginControlFlow("for ($T $L : $L)", a.component().typeName(), e, v);
      writeJson(b, a.component(), e);
      b.endControlFlow();
      b.addStatement("out.writeEndArray()");
    } else if (t instanceof TypeRef.CollectionRef c) {
      b.addStatement("out.writeStartArray()");
      String e = local("e");
      b.beginControlFlow("for ($T $L : $L)", c.element().typeName(), e, v);
      writeJson(b, c.element(), e);
      b.endControlFlow();
      b.addStatement("out.writeEndArray()");
    } else if (t instanceof TypeRef.MapRef m) {
      b.addStatement("out.writeStartObject()");
      String e = local("e");
      b.beginControlFlow(
          "for ($T $L : $L.entrySet())",
          ParameterizedTypeName.get(MAP_ENTRY, m.key().typeName(), m.value().typeName()),
          e,
          v);
      if (m.key() instanceof TypeRef.EnumRef) {
        b.addStatement("out.writeFieldName($L.getKey().name())", e);
      } else if (isString(m.key())) {
        b.addStatement("out.writeFieldName($L.getKey())", e);
      } else {
        b.addStatement("out.writeFieldName($T.valueOf($L.getKey()))", String.class, e);
      }
      writeJson(b, m.value(), e + ".getValue()");
      b.endControlFlow();
      b.addStatement("out.writeEndObject()");
    } else if (t instanceof TypeRef.OptionalRef o) {
      writeJson(b, o.value(), v + ".get()");
    } else if (t instanceof TypeRef.OptionalPrimitive p) {
      switch (p.kind()) {
        case INT -> b.addStatement("out.writeNumber($L.getAsInt())", v);
        case LONG -> b.addStatement("out.writeNumber($L.getAsLong())", v);
        default -> b.addStatement("out.writeNumber($L.getAsDouble())", v);
      }
    } else {
      throw new IllegalArgumentException(t.toString());
    }
  }

  // ---------------------------------------------------------------- JSON read

  /** Emits statements reading the JSON value at the current token; returns its expression. */
  CodeBlock readJson(CodeBlock.Builder b, TypeRef t) {
    return read(
        b,
        t,
        CodeBlock.of("readJson(in, strict)"),
        "in.skipChildren()",
        CodeBlock.of("in.currentToken() == $T.VALUE_NULL", JSON_TOKEN),
        this::readJsonValue);
  }

  private CodeBlock readJsonValue(CodeBlock.Builder b, TypeRef t) {
    if (t instanceof TypeRef.Scalar s) {
      return CodeBlock.of("$T.read$L(in)", JSON_SUPPORT, s.kind().suffix);
    }
    if (t instanceof TypeRef.EnumRef e) {
      return CodeBlock.of("$T.readEnum(in, $T.class)", JSON_SUPPORT, e.typeName());
    }
    if (t instanceof TypeRef.OptionalRef o) {
      CodeBlock inner = readJson(b, o.value());
      return CodeBlock.of("$T.ofNullable($L)", OPTIONAL, inner);
    }
    if (t instanceof TypeRef.OptionalPrimitive p) {
      return CodeBlock.of("$T.of($T.read$L(in))", p.typeName(), JSON_SUPPORT, p.kind().suffix);
    }
    String r = local("r");
    if (t instanceof TypeRef.MapRef m) {
      b.addStatement("$T.expectObject(in)", JSON_SUPPORT);
      b.addStatement("$T $L = new $T<>()", m.typeName(), r, m.impl());
      String name = local("name");
      b.addStatement("$T $L", String.class, name);
      b.beginControlFlow("while (($L = in.nextMapKey()) != null)", name);
      String k = name;
      if (!isString(m.key())) {
        k = local("k");
        b.addStatement("$T $L = $L", m.key().typeName(), k, jsonKey(m.key(), name));
      }
      b.addStatement("in.nextToken()");
      CodeBlock value = readJson(b, m.value());
      String size = local("size");
      b.addStatement("int $L = $L.size()", size, r);
      b.addStatement("$L.put($L, $L)", r, k, value);
      b.add("// The map did not grow: the name repeats an earlier one (the reader decides).\n");
      b.beginControlFlow("if ($L.size() == $L)", r, size);
      b.addStatement("in.repeatedKey()");
      b.endControlFlow();
      b.endControlFlow();
      return CodeBlock.of("$L", r);
    }
    b.addStatement("$T.expectArray(in)", JSON_SUPPORT);
    if (t instanceof TypeRef.ArrayRef a) {
      String n = local("n");
      b.addStatement("$T $L = $L", a.typeName(), r, newArray(a.typeName(), "8"));
      b.addStatement("int $L = 0", n);
      b.beginControlFlow("while (in.nextToken() != $T.END_ARRAY)", JSON_TOKEN);
      CodeBlock value = readJson(b, a.component());
      b.beginControlFlow("if ($L == $L.length)", n, r);
      b.addStatement("$L = $T.copyOf($L, $L * 2)", r, ARRAYS, r, n);
      b.endControlFlow();
      b.addStatement("$L[$L++] = $L", r, n, value);
      b.endControlFlow();
      return CodeBlock.of("$T.copyOf($L, $L)", ARRAYS, r, n);
    }
    TypeRef.CollectionRef c = (TypeRef.CollectionRef) t;
    b.addStatement("$T $L = new $T<>()", c.typeName(), r, c.impl());
    b.beginControlFlow("while (in.nextToken() != $T.END_ARRAY)", JSON_TOKEN);
    CodeBlock value = readJson(b, c.element());
    if (sortedWithNullable(t)) {
      b.addStatement("$L.add($T.notNull(in, $L))", r, JSON_SUPPORT, value);
    } else {
      b.addStatement("$L.add($L)", r, value);
    }
    b.endControlFlow();
    return CodeBlock.of("$L", r);
  }

  /** A sorted set, which throws on a null element, of elements that input can make null. */
  private static boolean sortedWithNullable(TypeRef t) {
    return t instanceof TypeRef.CollectionRef c
        && c.impl().simpleName().equals("TreeSet")
        && c.element().nullable();
  }

  private static boolean isString(TypeRef t) {
    return t instanceof TypeRef.Scalar s && s.kind() == ScalarKind.STRING;
  }

  private static CodeBlock jsonKey(TypeRef key, String name) {
    if (key instanceof TypeRef.EnumRef e) {
      return CodeBlock.of("$T.parseEnumKey(in, $L, $T.class)", JSON_SUPPORT, name, e.typeName());
    }
    ScalarKind kind = ((TypeRef.Scalar) key).kind();
    switch (kind) {
      case LONG:
        return CodeBlock.of("$T.parseLongKey(in, $L)", JSON_SUPPORT, name);
      case INT:
        return CodeBlock.of("$T.parseIntKey(in, $L)", JSON_SUPPORT, name);
      case SHORT:
        return CodeBlock.of("(short) $T.parseIntKey(in, $L)", JSON_SUPPORT, name);
      default:
        return CodeBlock.of("(byte) $T.parseIntKey(in, $L)", JSON_SUPPORT, name);
    }
  }
}
