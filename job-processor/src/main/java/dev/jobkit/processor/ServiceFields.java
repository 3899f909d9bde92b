package dev.jobkit.processor;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.TypeName;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.tools.Diagnostic;

/**
 * Finds and checks the {@code @Service} fields of a job. A service field is {@code transient} (so
 * the codecs, which skip transient fields, never see it), settable by generated code in the job's
 * package, and of a type the resolver can look up by its class.
 */
final class ServiceFields {
  static final String SERVICE = "dev.jobkit.Service";

  private final ProcessorContext ctx;

  ServiceFields(ProcessorContext ctx) {
    this.ctx = ctx;
  }

  /** Whether {@code field} is marked {@code @Service}. */
  static boolean isService(Element field) {
    return JobValidator.annotation(field, SERVICE).isPresent();
  }

  /**
   * The service fields of {@code job} in declaration order, or empty after reporting each problem
   * on its field.
   */
  Optional<List<ServiceModel>> of(TypeElement job) {
    int problems = 0;
    String jobName = job.getSimpleName().toString();
    boolean record = job.getKind() == ElementKind.RECORD;
    List<ServiceModel> services = new ArrayList<>();
    for (VariableElement f : ElementFilter.fieldsIn(job.getEnclosedElements())) {
      Optional<AnnotationMirror> ann = JobValidator.annotation(f, SERVICE);
      if (ann.isEmpty()) {
        continue;
      }
      String field = f.getSimpleName().toString();
      Set<Modifier> mods = f.getModifiers();
      String problem = null;
      if (record && !mods.contains(Modifier.STATIC)) {
        problem = String.format(Messages.SERVICE_IN_RECORD, field, jobName);
      } else if (mods.contains(Modifier.STATIC)) {
        problem = String.format(Messages.SERVICE_STATIC, field, jobName);
      } else if (JobValidator.annotation(f, JobValidator.STATE).isPresent()) {
        problem = String.format(Messages.SERVICE_STATE, field, jobName);
      } else if (!mods.contains(Modifier.TRANSIENT)) {
        problem =
            String.format(
                Messages.SERVICE_NOT_TRANSIENT, field, jobName, simpleType(f.asType()), field);
      } else if (mods.contains(Modifier.FINAL)) {
        problem = String.format(Messages.SERVICE_FINAL, field, jobName);
      } else if (mods.contains(Modifier.PRIVATE)) {
        problem = String.format(Messages.SERVICE_PRIVATE, field, jobName);
      } else {
        String why = unresolvable(f.asType());
        if (why != null) {
          problem = String.format(Messages.SERVICE_TYPE, field, jobName, f.asType(), why);
        }
      }
      if (problem != null) {
        problems++;
        ctx.messager.printMessage(Diagnostic.Kind.ERROR, problem, f, ann.get());
        continue;
      }
      AnnotationValue name =
          ctx.elements.getElementValuesWithDefaults(ann.get()).entrySet().stream()
              .filter(e -> e.getKey().getSimpleName().contentEquals("value"))
              .findFirst()
              .orElseThrow()
              .getValue();
      services.add(
          new ServiceModel(
              field,
              (ClassName) TypeName.get(ctx.types.erasure(f.asType())).withoutAnnotations(),
              (String) name.getValue()));
    }
    return problems > 0 ? Optional.empty() : Optional.of(List.copyOf(services));
  }

  /** Reports a {@code @Service} field of a class that is not a job. */
  void checkStray(VariableElement field) {
    String owner = field.getEnclosingElement().getSimpleName().toString();
    ctx.messager.printMessage(
        Diagnostic.Kind.ERROR,
        String.format(Messages.SERVICE_OUTSIDE_JOB, field.getSimpleName(), owner, owner),
        field,
        JobValidator.annotation(field, SERVICE).orElseThrow());
  }

  /** Why a resolver cannot look up a service of type {@code t} by class, or null if it can. */
  private static String unresolvable(TypeMirror t) {
    if (t.getKind().isPrimitive()) {
      return "it is a primitive type";
    }
    if (t.getKind() == TypeKind.ARRAY) {
      return "it is an array";
    }
    if (t.getKind() != TypeKind.DECLARED) {
      return "it is not a class or interface";
    }
    if (!((DeclaredType) t).getTypeArguments().isEmpty()) {
      return "its type arguments are lost at run time, so services of different arguments"
          + " cannot be told apart";
    }
    return null;
  }

  private static String simpleType(TypeMirror t) {
    return t.getKind() == TypeKind.DECLARED
        ? ((DeclaredType) t).asElement().getSimpleName().toString()
        : t.toString();
  }
}
