package dev.jobkit.processor;

import com.google.auto.service.AutoService;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.TypeSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.tools.Diagnostic;

/**
 * Generates {@code X_Codec} and {@code X_Registration} for every {@link dev.jobkit.Job @Job} class,
 * codecs for the records and classes they use, and the {@code META-INF/services} entry.
 */
@AutoService(Processor.class)
public final class JobProcessor extends AbstractProcessor {
  private ProcessorContext ctx;

  @Override
  public synchronized void init(ProcessingEnvironment env) {
    super.init(env);
    ctx = new ProcessorContext(env);
  }

  @Override
  public Set<String> getSupportedAnnotationTypes() {
    return Set.of(
        JobValidator.JOB, JobValidator.UPGRADE, JobValidator.STATE, ServiceFields.SERVICE);
  }

  @Override
  public Set<String> getSupportedOptions() {
    return Set.of("debug");
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    try {
      processRound(round);
    } catch (Exception | Error e) {
      StringWriter trace = new StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      ctx.messager.printMessage(Diagnostic.Kind.ERROR, String.format(Messages.CRASH, trace));
    }
    return false;
  }

  private void processRound(RoundEnvironment round) throws IOException {
    JobValidator validator = new JobValidator(ctx);
    List<TypeElement> jobs = new ArrayList<>();
    for (String name : ctx.deferred) {
      TypeElement e = ctx.elements.getTypeElement(name);
      if (e != null) {
        jobs.add(e);
      }
    }
    ctx.deferred.clear();
    TypeElement jobAnnotation = ctx.elements.getTypeElement(JobValidator.JOB);
    TypeElement upgradeAnnotation = ctx.elements.getTypeElement(JobValidator.UPGRADE);
    if (jobAnnotation != null) {
      for (Element e : round.getElementsAnnotatedWith(jobAnnotation)) {
        jobs.add((TypeElement) e);
      }
    }
    if (upgradeAnnotation != null) {
      for (Element e : round.getElementsAnnotatedWith(upgradeAnnotation)) {
        Element owner = e.getEnclosingElement();
        if (JobValidator.annotation(owner, JobValidator.JOB).isEmpty()
            && e.getKind() == ElementKind.METHOD) {
          validator.checkStrayUpgrade((ExecutableElement) e);
        }
      }
    }
    TypeElement stateAnnotation = ctx.elements.getTypeElement(JobValidator.STATE);
    if (stateAnnotation != null) {
      for (Element e : round.getElementsAnnotatedWith(stateAnnotation)) {
        Element owner = e.getEnclosingElement();
        // A record component's annotation is copied onto its private field, which is reported
        // instead: javac (17) gives messages on the component no source position.
        if (JobValidator.annotation(owner, JobValidator.JOB).isEmpty()
            && e.getKind() != ElementKind.RECORD_COMPONENT) {
          validator.checkStrayState(e);
        }
      }
    }
    TypeElement serviceAnnotation = ctx.elements.getTypeElement(ServiceFields.SERVICE);
    if (serviceAnnotation != null) {
      for (Element e : round.getElementsAnnotatedWith(serviceAnnotation)) {
        if (e.getKind() == ElementKind.FIELD
            && JobValidator.annotation(e.getEnclosingElement(), JobValidator.JOB).isEmpty()) {
          new ServiceFields(ctx).checkStray((VariableElement) e);
        }
      }
    }
    if (round.processingOver()) {
      for (TypeElement job : jobs) {
        ctx.messager.printMessage(
            Diagnostic.Kind.ERROR,
            String.format(Messages.UNRESOLVED_TYPE, job.getSimpleName()),
            job);
      }
      if (!ctx.registrations.isEmpty()) {
        ServiceFileWriter.write(ctx.filer, ctx.registrations);
      }
      return;
    }
    List<JobModel> valid = new ArrayList<>();
    for (TypeElement job : jobs) {
      if (!validator.isComplete(job)) {
        ctx.deferred.add(job.getQualifiedName().toString());
        continue;
      }
      Optional<JobModel> model = validator.validate(job);
      model.ifPresent(valid::add);
    }
    for (JobModel job : valid) {
      ctx.objects.put(job.element().getQualifiedName().toString(), job.object());
    }
    for (Map.Entry<String, ObjectModel> e : ctx.objects.entrySet()) {
      ObjectModel model = e.getValue();
      if (model != null && ctx.writtenCodecs.add(e.getKey())) {
        write(model.type().packageName(), CodecWriter.codec(model));
      }
    }
    for (JobModel job : valid) {
      String schema = SchemaWriter.parameters(job, ctx.objects);
      String outputSchema = SchemaWriter.output(job, ctx.objects);
      write(
          job.registration().packageName(),
          RegistrationWriter.registration(job, schema, outputSchema));
      ctx.registrations.add(job.registration().reflectionName());
    }
  }

  private void write(String packageName, TypeSpec type) throws IOException {
    JavaFile.builder(packageName, type).skipJavaLangImports(true).build().writeTo(ctx.filer);
    if (ctx.debug) {
      ctx.messager.printMessage(
          Diagnostic.Kind.NOTE, "jobkit: generated " + packageName + "." + type.name());
    }
  }
}
