package dev.jobkit.processor;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.lang.model.element.Modifier;

/** Writes the {@code X_Registration} of a job, with a nested output codec when needed. */
final class RegistrationWriter {
  private static final ClassName REGISTRATION = ClassName.get("dev.jobkit.spi", "JobRegistration");
  private static final ClassName PRIORITY = ClassName.get("dev.jobkit", "Priority");
  private static final ClassName SERVICE_REQUIREMENT =
      ClassName.get("dev.jobkit.spi", "ServiceRequirement");
  private static final ClassName SERVICE_RESOLVER =
      ClassName.get("dev.jobkit.spi", "ServiceResolver");

  private RegistrationWriter() {}

  static TypeSpec registration(JobModel job, String schema, String outputSchema) {
    ClassName self = job.registration();
    ClassName jobType = job.object().type();
    TypeName output = job.output().typeName().box();
    TypeSpec.Builder type =
        TypeSpec.classBuilder(self)
            .addAnnotation(CodecWriter.generated())
            .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
            .addSuperinterface(ParameterizedTypeName.get(REGISTRATION, jobType, output))
            .addOriginatingElement(job.element())
            .addJavadoc("Registers @Job {@link $T} as {@code $L}.\n", jobType, job.name());
    TypeName optionalDuration =
        ParameterizedTypeName.get(ClassName.get(Optional.class), ClassName.get(Duration.class));
    type.addField(constant(String.class, "SCHEMA", CodeBlock.of("$S", schema)));
    type.addField(constant(String.class, "OUTPUT_SCHEMA", CodeBlock.of("$S", outputSchema)));
    type.addField(
        constant(
            optionalDuration,
            "TIMEOUT",
            job.timeout().isEmpty()
                ? CodeBlock.of("$T.empty()", Optional.class)
                : CodeBlock.of(
                    "$T.of($T.parse($S))", Optional.class, Duration.class, job.timeout())));
    type.addMethod(
        MethodSpec.constructorBuilder()
            .addModifiers(Modifier.PUBLIC)
            .addJavadoc("Called by {@link java.util.ServiceLoader}.\n")
            .build());
    type.addMethod(getter("name", TypeName.get(String.class), CodeBlock.of("$S", job.name())));
    type.addMethod(
        getter("description", TypeName.get(String.class), CodeBlock.of("$S", job.description())));
    type.addMethod(
        getter(
            "jobClass",
            ParameterizedTypeName.get(ClassName.get(Class.class), jobType),
            CodeBlock.of("$T.class", jobType)));
    type.addMethod(
        getter("outputType", TypeName.get(String.class), CodeBlock.of("$S", job.outputSpelling())));
    type.addMethod(getter("version", TypeName.INT, CodeBlock.of("$L", job.version())));
    type.addMethod(getter("resumable", TypeName.BOOLEAN, CodeBlock.of("$L", job.resumable())));
    type.addMethod(getter("queue", TypeName.get(String.class), CodeBlock.of("$S", job.queue())));
    type.addMethod(getter("priority", PRIORITY, CodeBlock.of("$T.$L", PRIORITY, job.priority())));
    type.addMethod(getter("maxAttempts", TypeName.INT, CodeBlock.of("$L", job.maxAttempts())));
    type.addMethod(getter("timeout", optionalDuration, CodeBlock.of("TIMEOUT")));
    // #12 limits: only for a job that has some, so that other registrations stay as they were.
    if (job.limits().concurrency() > 0) {
      type.addMethod(
          getter("concurrency", TypeName.INT, CodeBlock.of("$L", job.limits().concurrency())));
    }
    if (!job.limits().key().isEmpty()) {
      type.addMethod(
          getter(
              "concurrencyKey",
              TypeName.get(String.class),
              CodeBlock.of("$S", job.limits().key())));
    }
    if (!job.limits().rate().isEmpty()) {
      type.addMethod(
          getter("rateLimit", TypeName.get(String.class), CodeBlock.of("$S", job.limits().rate())));
    }
    type.addMethod(getter("schema", TypeName.get(String.class), CodeBlock.of("SCHEMA")));
    type.addMethod(
        getter("outputSchema", TypeName.get(String.class), CodeBlock.of("OUTPUT_SCHEMA")));
    type.addMethod(
        getter(
            "codec",
            ParameterizedTypeName.get(CodecWriter.JOB_CODEC, jobType),
            CodeBlock.of("$T.INSTANCE", job.object().codec())));
    CodeBlock outputCodec;
    if (job.output() instanceof TypeRef.ObjectRef o) {
      outputCodec = CodeBlock.of("$T.INSTANCE", o.codec());
    } else {
      ClassName nested = self.nestedClass("OutputCodec");
      type.addType(outputCodec(nested, job.output(), output));
      outputCodec = CodeBlock.of("$T.INSTANCE", nested);
    }
    type.addMethod(
        getter(
            "outputCodec", ParameterizedTypeName.get(CodecWriter.JOB_CODEC, output), outputCodec));
    type.addMethod(getter("newInstance", jobType, newInstance(job.object())));
    type.addMethod(upgrade(job));
    if (!job.services().isEmpty()) {
      addServices(type, job);
    }
    return type.build();
  }

  private static CodeBlock newInstance(ObjectModel object) {
    if (!object.record()) {
      return CodeBlock.of("new $T()", object.type());
    }
    List<CodeBlock> args = new ArrayList<>();
    object.fields().forEach(f -> args.add(CodecWriter.defaultValue(f.type())));
    return CodeBlock.of("new $T($L)", object.type(), CodeBlock.join(args, ", "));
  }

  /**
   * The job's service fields: {@code services()} lists them for the runtime's check at start, and
   * {@code injectServices} sets them from the resolver, one plain assignment per field.
   */
  private static void addServices(TypeSpec.Builder type, JobModel job) {
    TypeName list = ParameterizedTypeName.get(ClassName.get(List.class), SERVICE_REQUIREMENT);
    List<CodeBlock> requirements = new ArrayList<>();
    CodeBlock.Builder inject = CodeBlock.builder();
    for (ServiceModel s : job.services()) {
      requirements.add(
          CodeBlock.of(
              "new $T($T.class, $S, $S)", SERVICE_REQUIREMENT, s.type(), s.name(), s.field()));
      inject.addStatement("job.$L = services.require($T.class, $S)", s.field(), s.type(), s.name());
    }
    type.addField(
        constant(
            list,
            "SERVICES",
            CodeBlock.of("$T.of(\n$>$>$L$<$<)", List.class, CodeBlock.join(requirements, ",\n"))));
    type.addMethod(getter("services", list, CodeBlock.of("SERVICES")));
    type.addMethod(
        MethodSpec.methodBuilder("injectServices")
            .addAnnotation(Override.class)
            .addModifiers(Modifier.PUBLIC)
            .addParameter(job.object().type(), "job")
            .addParameter(SERVICE_RESOLVER, "services")
            .addCode(inject.build())
            .build());
  }

  private static MethodSpec upgrade(JobModel job) {
    CodeBlock noStep =
        CodeBlock.of(
            "throw new $T($S + fromVersion)",
            IllegalArgumentException.class,
            "@Job " + job.name() + " has no @Upgrade from version ");
    CodeBlock.Builder b = CodeBlock.builder();
    if (job.upgrades().isEmpty()) {
      // A switch with only a default branch would read as a generator bug.
      b.addStatement(noStep);
    } else {
      b.beginControlFlow("switch (fromVersion)");
      for (JobModel.Upgrade u : job.upgrades()) {
        b.add("case $L:\n", u.from()).indent();
        b.addStatement("$T.$L(state)", job.object().type(), u.method());
        b.addStatement("break");
        b.unindent();
      }
      b.add("default:\n").indent();
      b.addStatement(noStep);
      b.unindent();
      b.endControlFlow();
    }
    return MethodSpec.methodBuilder("upgrade")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .addParameter(TypeName.INT, "fromVersion")
        .addParameter(
            ParameterizedTypeName.get(
                ClassName.get(Map.class), ClassName.get(String.class), ClassName.get(Object.class)),
            "state")
        .addCode(b.build())
        .build();
  }

  private static TypeSpec outputCodec(ClassName name, TypeRef output, TypeName type) {
    ValueCode code = new ValueCode();
    CodeBlock.Builder writeMsgpack = CodeBlock.builder();
    code.writeMsgpack(writeMsgpack, output, "value");
    CodeBlock.Builder readMsgpack = CodeBlock.builder();
    readMsgpack.addStatement("return $L", code.readMsgpack(readMsgpack, output));
    CodeBlock.Builder writeJson = CodeBlock.builder();
    code.writeJson(writeJson, output, "value");
    CodeBlock.Builder readJson = CodeBlock.builder();
    readJson.addStatement("return $L", code.readJson(readJson, output));
    return TypeSpec.classBuilder(name)
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .addSuperinterface(ParameterizedTypeName.get(CodecWriter.JOB_CODEC, type))
        .addField(
            FieldSpec.builder(name, "INSTANCE", Modifier.STATIC, Modifier.FINAL)
                .initializer("new $T()", name)
                .build())
        .addMethod(
            method("writeMsgpack", TypeName.VOID)
                .addParameter(CodecWriter.PACKER, "out")
                .addParameter(type, "value")
                .addCode(writeMsgpack.build())
                .build())
        .addMethod(
            method("readMsgpack", type)
                .addParameter(CodecWriter.UNPACKER, "in")
                .addCode(readMsgpack.build())
                .build())
        .addMethod(
            method("writeJson", TypeName.VOID)
                .addParameter(CodecWriter.GENERATOR, "out")
                .addParameter(type, "value")
                .addCode(writeJson.build())
                .build())
        .addMethod(
            method("readJson", type)
                .addParameter(CodecWriter.PARSER, "in")
                .addParameter(TypeName.BOOLEAN, "strict")
                .addCode(readJson.build())
                .build())
        .build();
  }

  private static MethodSpec.Builder method(String name, TypeName returns) {
    return MethodSpec.methodBuilder(name)
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .returns(returns)
        .addException(IOException.class);
  }

  private static FieldSpec constant(Object type, String name, CodeBlock value) {
    TypeName t = type instanceof TypeName tn ? tn : TypeName.get((Class<?>) type);
    return FieldSpec.builder(t, name, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .initializer(value)
        .build();
  }

  private static MethodSpec getter(String name, TypeName type, CodeBlock value) {
    return MethodSpec.methodBuilder(name)
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .returns(type)
        .addStatement("return $L", value)
        .build();
  }
}
