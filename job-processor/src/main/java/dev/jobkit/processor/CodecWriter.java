package dev.jobkit.processor;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;

/** Writes the {@code X_Codec} of a record or class. */
final class CodecWriter {
  static final ClassName JOB_CODEC = ClassName.get("dev.jobkit.spi", "JobCodec");
  static final ClassName PACKER = ClassName.get("org.msgpack.core", "MessagePacker");
  static final ClassName UNPACKER = ClassName.get("dev.jobkit.spi", "MsgpackReader");
  static final ClassName GENERATOR = ClassName.get("dev.jobkit.spi", "JsonWriter");
  static final ClassName PARSER = ClassName.get("dev.jobkit.spi", "JsonReader");
  private static final ClassName JSON_KEYS = PARSER.nestedClass("Keys");
  private static final ClassName MSGPACK_KEYS = ValueCode.MSGPACK_SUPPORT.nestedClass("Keys");
  static final String VERSION_KEY = "@version";

  private CodecWriter() {}

  static AnnotationSpec generated() {
    return AnnotationSpec.builder(ClassName.get("javax.annotation.processing", "Generated"))
        .addMember("value", "$S", GeneratedNames.GENERATOR)
        .build();
  }

  static TypeSpec codec(ObjectModel model) {
    ClassName codec = model.codec();
    TypeSpec.Builder type =
        TypeSpec.classBuilder(codec)
            .addAnnotation(generated())
            .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
            .addSuperinterface(ParameterizedTypeName.get(JOB_CODEC, model.type()))
            .addJavadoc("Reads and writes {@link $T} as MessagePack and JSON.\n", model.type());
    for (TypeElement e : model.originating()) {
      type.addOriginatingElement(e);
    }
    type.addField(
        FieldSpec.builder(codec, "INSTANCE", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
            .initializer("new $T()", codec)
            .build());
    List<String> constants = constantNames(model.fields());
    if (model.version() > 1) {
      type.addField(keyField("MSGPACK_VERSION", VERSION_KEY));
    }
    for (int i = 0; i < model.fields().size(); i++) {
      String wire = model.fields().get(i).wireName();
      type.addField(keyField("MSGPACK_" + constants.get(i), wire));
      if (model.fields().get(i).state()) {
        continue;
      }
      type.addField(
          FieldSpec.builder(char[].class, "JSON_" + constants.get(i))
              .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
              .initializer("$T.name($S)", GENERATOR, wire)
              .build());
    }
    type.addField(msgpackKeys(model));
    type.addField(jsonKeys(model));
    Set<String> known = new TreeSet<>();
    parameters(model).forEach(f -> known.add(f.wireName()));
    type.addField(
        FieldSpec.builder(String.class, "KNOWN_FIELDS")
            .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
            .initializer("$S", String.join(", ", known))
            .build());
    type.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build());
    type.addMethod(writeMsgpack(model, constants));
    type.addMethod(readMsgpack(model));
    type.addMethod(writeJson(model, constants));
    type.addMethod(readJson(model));
    for (FieldModel f : parameters(model)) {
      if (ownJsonReader(f)) {
        type.addMethod(readJsonField(f));
      }
    }
    return type.build();
  }

  /** The fields JSON carries: all but a job's {@code @State} fields. */
  static List<FieldModel> parameters(ObjectModel model) {
    return model.fields().stream().filter(f -> !f.state()).toList();
  }

  private static FieldSpec keyField(String name, String wire) {
    return FieldSpec.builder(byte[].class, name)
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .initializer("$T.key($S)", ValueCode.MSGPACK_SUPPORT, wire)
        .build();
  }

  /** The keys {@code readMsgpack} matches as bytes: every field's, and the version's. */
  private static FieldSpec msgpackKeys(ObjectModel model) {
    List<CodeBlock> names = new ArrayList<>();
    model.fields().forEach(f -> names.add(CodeBlock.of("$S", f.wireName())));
    if (model.version() > 1) {
      names.add(CodeBlock.of("$S", VERSION_KEY));
    }
    return FieldSpec.builder(MSGPACK_KEYS, "MSGPACK_KEYS")
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .initializer("$T.keys($L)", ValueCode.MSGPACK_SUPPORT, CodeBlock.join(names, ",$W"))
        .build();
  }

  /**
   * The names {@code readJson} looks up without making a String: every field's, then the version's.
   * The cases of its switch are positions in this list.
   */
  private static FieldSpec jsonKeys(ObjectModel model) {
    List<CodeBlock> names = new ArrayList<>();
    model.fields().forEach(f -> names.add(CodeBlock.of("$S", f.wireName())));
    if (model.version() > 0) {
      names.add(CodeBlock.of("$S", VERSION_KEY));
    }
    return FieldSpec.builder(JSON_KEYS, "JSON_KEYS")
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .initializer("$T.keys($L)", PARSER, CodeBlock.join(names, ",$W"))
        .build();
  }

  private static List<String> constantNames(List<FieldModel> fields) {
    List<String> names = new ArrayList<>();
    Set<String> used = new HashSet<>();
    for (int i = 0; i < fields.size(); i++) {
      String n =
          fields
              .get(i)
              .javaName()
              .replaceAll("([a-z0-9])([A-Z])", "$1_$2")
              .toUpperCase(Locale.ROOT);
      if (!used.add(n)) {
        n = n + "_" + i;
        used.add(n);
      }
      names.add(n);
    }
    return names;
  }

  private static MethodSpec writeMsgpack(ObjectModel model, List<String> constants) {
    ValueCode code = new ValueCode();
    CodeBlock.Builder b = CodeBlock.builder();
    b.beginControlFlow("if (value == null)");
    b.addStatement("out.packNil()");
    b.addStatement("return");
    b.endControlFlow();
    int size = model.fields().size() + (model.version() > 1 ? 1 : 0);
    b.addStatement("out.packMapHeader($L)", size);
    if (model.version() > 1) {
      b.addStatement("out.writePayload(MSGPACK_VERSION)");
      b.addStatement("out.packInt($L)", model.version());
    }
    for (int i = 0; i < model.fields().size(); i++) {
      FieldModel f = model.fields().get(i);
      b.addStatement("out.writePayload(MSGPACK_$L)", constants.get(i));
      code.writeMsgpack(b, f.type(), "value." + f.getter());
    }
    return MethodSpec.methodBuilder("writeMsgpack")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .addParameter(PACKER, "out")
        .addParameter(model.type(), "value")
        .addException(IOException.class)
        .addCode(b.build())
        .build();
  }

  private static MethodSpec writeJson(ObjectModel model, List<String> constants) {
    ValueCode code = new ValueCode();
    CodeBlock.Builder b = CodeBlock.builder();
    b.beginControlFlow("if (value == null)");
    b.addStatement("out.writeNull()");
    b.addStatement("return");
    b.endControlFlow();
    b.addStatement("out.writeStartObject()");
    for (int i = 0; i < model.fields().size(); i++) {
      FieldModel f = model.fields().get(i);
      if (f.state()) {
        continue;
      }
      b.addStatement("out.writeFieldName(JSON_$L)", constants.get(i));
      code.writeJson(b, f.type(), "value." + f.getter());
    }
    b.addStatement("out.writeEndObject()");
    return MethodSpec.methodBuilder("writeJson")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .addParameter(GENERATOR, "out")
        .addParameter(model.type(), "value")
        .addException(IOException.class)
        .addCode(b.build())
        .build();
  }

  /** Local holding a record component while reading. */
  private static String componentLocal(FieldModel f) {
    return "f" + Character.toUpperCase(f.javaName().charAt(0)) + f.javaName().substring(1);
  }

  private static void declareTarget(CodeBlock.Builder b, ObjectModel model) {
    if (model.record()) {
      for (FieldModel f : model.fields()) {
        b.addStatement(
            "$T $L = $L", f.type().typeName(), componentLocal(f), defaultValue(f.type()));
      }
    } else {
      b.addStatement("$T value = new $T()", model.type(), model.type());
    }
  }

  static CodeBlock defaultValue(TypeRef t) {
    if (t instanceof TypeRef.OptionalRef) {
      return CodeBlock.of("$T.empty()", ClassName.get("java.util", "Optional"));
    }
    if (t instanceof TypeRef.OptionalPrimitive p) {
      return CodeBlock.of("$T.empty()", p.typeName());
    }
    TypeName n = t.typeName();
    if (!n.isPrimitive()) {
      return CodeBlock.of("null");
    }
    if (n.equals(TypeName.BOOLEAN)) {
      return CodeBlock.of("false");
    }
    if (n.equals(TypeName.LONG)) {
      return CodeBlock.of("0L");
    }
    if (n.equals(TypeName.FLOAT)) {
      return CodeBlock.of("0.0f");
    }
    if (n.equals(TypeName.DOUBLE)) {
      return CodeBlock.of("0.0");
    }
    if (n.equals(TypeName.INT)) {
      return CodeBlock.of("0");
    }
    return CodeBlock.of("($T) 0", n);
  }

  private static void assign(CodeBlock.Builder b, FieldModel f, CodeBlock value) {
    switch (f.access()) {
      case RECORD -> b.addStatement("$L = $L", componentLocal(f), value);
      case BEAN -> b.addStatement("value.$L($L)", f.setter(), value);
      default -> b.addStatement("value.$L = $L", f.javaName(), value);
    }
  }

  private static CodeBlock result(ObjectModel model) {
    if (!model.record()) {
      return CodeBlock.of("value");
    }
    List<CodeBlock> args = new ArrayList<>();
    model.fields().forEach(f -> args.add(CodeBlock.of("$L", componentLocal(f))));
    return CodeBlock.of("new $T($L)", model.type(), CodeBlock.join(args, ", "));
  }

  private static MethodSpec readMsgpack(ObjectModel model) {
    ValueCode code = new ValueCode();
    CodeBlock.Builder b = CodeBlock.builder();
    b.beginControlFlow("if (in.tryReadNil())");
    b.addStatement("return null");
    b.endControlFlow();
    b.addStatement("int size = in.readObjectHeader()");
    declareTarget(b, model);
    b.addStatement("$T key = null", String.class);
    b.beginControlFlow("try");
    b.beginControlFlow("for (int index = 0; index < size; index++)");
    b.add("// Cleared so that a failed key read is not blamed on the previous field.\n");
    b.addStatement("key = null");
    b.add(
        "// A known key comes back as the very String of its case below, without being decoded.\n");
    b.addStatement("key = in.readKey(MSGPACK_KEYS)");
    b.beginControlFlow("switch (key)");
    for (FieldModel f : model.fields()) {
      b.add("case $S: {\n", f.wireName()).indent();
      CodeBlock value = code.readMsgpack(b, f.type());
      assign(b, f, value);
      b.addStatement("break");
      b.unindent().add("}\n");
    }
    b.add("default:\n").indent();
    b.addStatement("in.skipValue()");
    b.addStatement("break");
    b.unindent();
    b.endControlFlow();
    b.endControlFlow();
    b.nextControlFlow("catch ($T e)", ValueCode.DECODE_EXCEPTION);
    b.addStatement("throw $T.atField(e, key)", ValueCode.MSGPACK_SUPPORT);
    b.endControlFlow();
    b.addStatement("in.endObject()");
    b.addStatement("return $L", result(model));
    return MethodSpec.methodBuilder("readMsgpack")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .returns(model.type())
        .addParameter(UNPACKER, "in")
        .addException(IOException.class)
        .addCode(b.build())
        .build();
  }

  /**
   * Whether a field's JSON value is read by a method of its own: a collection, array or map. The
   * JIT then compiles its loop with an inlining budget of its own, instead of sharing the budget of
   * {@code readJson} with every other field (a loop's calls left out of line cost on every
   * element).
   */
  private static boolean ownJsonReader(FieldModel f) {
    TypeRef t = f.type();
    return t instanceof TypeRef.CollectionRef
        || t instanceof TypeRef.ArrayRef
        || t instanceof TypeRef.MapRef;
  }

  /** {@code readJsonTags} for a field {@code tags}. */
  private static String jsonFieldReader(FieldModel f) {
    String n = f.javaName();
    return "readJson" + Character.toUpperCase(n.charAt(0)) + n.substring(1);
  }

  /** Reads one field's value at the current token: see {@link #ownJsonReader}. */
  private static MethodSpec readJsonField(FieldModel f) {
    CodeBlock.Builder b = CodeBlock.builder();
    CodeBlock value = new ValueCode().readJson(b, f.type());
    b.addStatement("return $L", value);
    return MethodSpec.methodBuilder(jsonFieldReader(f))
        .addJavadoc(
            "Reads {@code $L}; in a method of its own, so that the JIT inlines the calls of its"
                + " loop.\n",
            f.javaName())
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .returns(f.type().typeName())
        .addParameter(PARSER, "in")
        .addParameter(TypeName.BOOLEAN, "strict")
        .addException(IOException.class)
        .addCode(b.build())
        .build();
  }

  private static MethodSpec readJson(ObjectModel model) {
    ValueCode code = new ValueCode();
    CodeBlock.Builder b = CodeBlock.builder();
    b.beginControlFlow("if (in.currentToken() == $T.VALUE_NULL)", ValueCode.JSON_TOKEN);
    b.addStatement("return null");
    b.endControlFlow();
    b.addStatement("$T.expectObject(in)", ValueCode.JSON_SUPPORT);
    declareTarget(b, model);
    b.addStatement("int field");
    b.add("// Each case is the position of a name in JSON_KEYS; its comment, the Java field.\n");
    b.beginControlFlow("while ((field = in.nextField(JSON_KEYS)) != $T.END_OF_OBJECT)", PARSER);
    b.beginControlFlow("switch (field)");
    for (FieldModel f : parameters(model)) {
      b.add("case $L: { // $L\n", model.fields().indexOf(f), f.javaName()).indent();
      b.addStatement("in.nextToken()");
      CodeBlock value =
          ownJsonReader(f)
              ? CodeBlock.of("$L(in, strict)", jsonFieldReader(f))
              : code.readJson(b, f.type());
      assign(b, f, value);
      b.addStatement("break");
      b.unindent().add("}\n");
    }
    List<FieldModel> state = model.fields().stream().filter(FieldModel::state).toList();
    if (!state.isEmpty()) {
      b.add("// @State fields: written by the job while it runs, never given in JSON.\n");
      for (FieldModel f : state) {
        b.add("case $L: // $L\n", model.fields().indexOf(f), f.javaName());
      }
      b.indent();
      b.beginControlFlow("if (strict)");
      b.addStatement("throw $T.stateField(in, KNOWN_FIELDS)", ValueCode.JSON_SUPPORT);
      b.endControlFlow();
      b.addStatement("in.nextToken()");
      b.addStatement("in.skipChildren()");
      b.addStatement("break");
      b.unindent();
    }
    if (model.version() > 0) {
      b.add("case $L: // $L\n", model.fields().size(), VERSION_KEY).indent();
      b.addStatement("in.nextToken()");
      b.addStatement("in.skipChildren()");
      b.addStatement("break");
      b.unindent();
    }
    b.add("default:\n").indent();
    b.beginControlFlow("if (strict)");
    b.addStatement("throw $T.unknownField(in, KNOWN_FIELDS)", ValueCode.JSON_SUPPORT);
    b.endControlFlow();
    b.addStatement("in.nextToken()");
    b.addStatement("in.skipChildren()");
    b.addStatement("break");
    b.unindent();
    b.endControlFlow();
    b.endControlFlow();
    b.addStatement("return $L", result(model));
    return MethodSpec.methodBuilder("readJson")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .returns(model.type())
        .addParameter(PARSER, "in")
        .addParameter(TypeName.BOOLEAN, "strict")
        .addException(IOException.class)
        .addCode(b.build())
        .build();
  }
}
