package dev.jobkit.processor;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.TypeName;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.RecordComponentElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.tools.Diagnostic;

/** Checks a @Job class, reports every problem on its element, and builds its model. */
final class JobValidator {
  static final String JOB = "dev.jobkit.Job";
  static final String UPGRADE = "dev.jobkit.Upgrade";
  static final String WIRE_NAME = "dev.jobkit.WireName";
  static final String STATE = "dev.jobkit.State";
  private static final String HANDLER = "dev.jobkit.JobHandler";
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_.-]*");

  private final ProcessorContext ctx;
  private int errors;

  JobValidator(ProcessorContext ctx) {
    this.ctx = ctx;
  }

  /** Whether every type the job uses exists (false: retry next round). */
  boolean isComplete(TypeElement job) {
    return isComplete(job.asType(), new HashSet<>(), true);
  }

  private boolean isComplete(TypeMirror t, Set<String> seen, boolean root) {
    switch (t.getKind()) {
      case ERROR:
        return false;
      case ARRAY:
        return isComplete(((ArrayType) t).getComponentType(), seen, false);
      case DECLARED:
        DeclaredType d = (DeclaredType) t;
        for (TypeMirror arg : d.getTypeArguments()) {
          if (!isComplete(arg, seen, false)) {
            return false;
          }
        }
        TypeElement e = (TypeElement) d.asElement();
        String name = e.getQualifiedName().toString();
        if (!seen.add(name) || name.startsWith("java.")) {
          return true;
        }
        if (root) {
          for (TypeMirror s : ctx.types.directSupertypes(t)) {
            if (!isComplete(s, seen, false)) {
              return false;
            }
          }
        }
        if (!e.getModifiers().contains(Modifier.PRIVATE) && e.getKind() != ElementKind.ENUM) {
          for (VariableElement f : ElementFilter.fieldsIn(e.getEnclosedElements())) {
            if (!f.getModifiers().contains(Modifier.STATIC)
                && !isComplete(f.asType(), seen, false)) {
              return false;
            }
          }
        }
        return true;
      default:
        return true;
    }
  }

  /** Validates {@code job}, reporting problems; empty if any were found. */
  Optional<JobModel> validate(TypeElement job) {
    errors = 0;
    AnnotationMirror ann = annotation(job, JOB).orElseThrow();
    Map<String, AnnotationValue> values = values(ann);
    String jobName = job.getSimpleName().toString();

    String name = (String) values.get("name").getValue();
    if (!NAME.matcher(name).matches()) {
      error(String.format(Messages.INVALID_NAME, name, jobName), job, ann, values.get("name"));
    } else {
      Element first = ctx.jobNames.putIfAbsent(name, job);
      if (first != null && !first.equals(job)) {
        String msg =
            String.format(
                Messages.DUPLICATE_NAME,
                name,
                ((TypeElement) first).getQualifiedName(),
                job.getQualifiedName());
        if (ctx.reportedDuplicates.add(first)) {
          error(msg, first);
        }
        error(msg, job, ann, values.get("name"));
      }
    }

    switch (job.getKind()) {
      case CLASS:
        if (job.getModifiers().contains(Modifier.ABSTRACT)) {
          error(String.format(Messages.NOT_CONCRETE, jobName, "abstract"), job);
        }
        break;
      case RECORD:
        break;
      default:
        error(
            String.format(
                Messages.NOT_CONCRETE,
                jobName,
                job.getKind() == ElementKind.ENUM
                    ? "an enum"
                    : job.getKind() == ElementKind.INTERFACE
                        ? "an interface"
                        : "an annotation type"),
            job);
        return Optional.empty();
    }
    checkClassShape(job, job, "@Job " + jobName);
    if (!job.getTypeParameters().isEmpty()) {
      error(String.format(Messages.GENERIC, jobName), job);
    }

    Optional<DeclaredType> handler = handlerType(job.asType());
    if (handler.isEmpty()) {
      error(String.format(Messages.NOT_HANDLER, jobName), job);
    }

    int version = (Integer) values.get("version").getValue();
    if (version < 1) {
      error(
          String.format(Messages.INVALID_VERSION, jobName, version),
          job,
          ann,
          values.get("version"));
    }
    int maxAttempts = (Integer) values.get("maxAttempts").getValue();
    if (maxAttempts < 0) {
      error(
          String.format(Messages.INVALID_MAX_ATTEMPTS, maxAttempts),
          job,
          ann,
          values.get("maxAttempts"));
    }
    String timeout = (String) values.get("timeout").getValue();
    if (!timeout.isEmpty()) {
      try {
        Duration.parse(timeout);
      } catch (DateTimeParseException e) {
        error(String.format(Messages.INVALID_TIMEOUT, timeout), job, ann, values.get("timeout"));
      }
    }
    String priority =
        ((VariableElement) values.get("priority").getValue()).getSimpleName().toString();
    List<JobModel.Upgrade> upgrades = upgrades(job, jobName, Math.max(version, 1));

    ObjectModel object = objectModel(job, jobName, version, job, new ArrayDeque<>(), null);
    Optional<List<ServiceModel>> services = new ServiceFields(ctx).of(job);
    if (services.isEmpty()) {
      errors++; // each problem was reported on its field
    }

    TypeRef output = null;
    String outputSpelling = "";
    if (handler.isPresent()) {
      List<? extends TypeMirror> args = handler.get().getTypeArguments();
      TypeMirror out =
          args.isEmpty() ? ctx.elements.getTypeElement("java.lang.Object").asType() : args.get(0);
      outputSpelling = out.toString();
      if (isType(out, "java.lang.Void")) {
        output = new TypeRef.VoidRef(TypeName.get(out));
      } else {
        output = analyzeQuiet(out, jobName, job);
        if (output == null) {
          error(String.format(Messages.UNSUPPORTED_OUTPUT, jobName, out), job);
        }
      }
    }
    JobModel.Limits limits = limits(job, jobName, ann, values, object); // #12 limits
    if (errors > 0 || object == null) {
      return Optional.empty();
    }
    return Optional.of(
        new JobModel(
            job,
            object,
            name,
            (String) values.get("description").getValue(),
            version,
            (Boolean) values.get("resumable").getValue(),
            (String) values.get("queue").getValue(),
            priority,
            maxAttempts,
            timeout,
            output,
            outputSpelling,
            upgrades,
            services.orElseThrow(),
            limits));
  }

  // #12 limits: the processor's copy of LimitSpec.parseRate's syntax (the runtime parses it).
  private static final Pattern RATE =
      Pattern.compile(
          "\\s*(\\d+)\\s*/\\s*(\\d*)\\s*(ms|s|m|h|d)\\s*(?:,?\\s*burst\\s+(\\d+))?\\s*",
          Pattern.CASE_INSENSITIVE);

  /** Checks {@code concurrency}, {@code concurrencyKey} and {@code rateLimit} (#12 limits). */
  private JobModel.Limits limits(
      TypeElement job,
      String jobName,
      AnnotationMirror ann,
      Map<String, AnnotationValue> values,
      ObjectModel object) {
    int concurrency = (Integer) values.get("concurrency").getValue();
    String key = (String) values.get("concurrencyKey").getValue();
    String rate = (String) values.get("rateLimit").getValue();
    if (concurrency < 0) {
      error(
          String.format(Messages.INVALID_CONCURRENCY, concurrency),
          job,
          ann,
          values.get("concurrency"));
    }
    if (!rate.isEmpty()) {
      Matcher m = RATE.matcher(rate);
      if (!m.matches()
          || Integer.parseInt(m.group(1)) < 1
          || (m.group(4) != null && Integer.parseInt(m.group(4)) < 1)
          || (!m.group(2).isEmpty() && Long.parseLong(m.group(2)) < 1)) {
        error(String.format(Messages.INVALID_RATE_LIMIT, rate), job, ann, values.get("rateLimit"));
      }
    }
    String wire = "";
    if (!key.isEmpty()) {
      if (concurrency == 0 && rate.isEmpty()) {
        error(
            String.format(Messages.CONCURRENCY_KEY_WITHOUT_LIMIT, jobName, key),
            job,
            ann,
            values.get("concurrencyKey"));
      } else if (object != null) {
        for (FieldModel f : object.fields()) {
          if (f.wireName().equals(key) || f.javaName().equals(key)) {
            wire = f.wireName();
          }
        }
        if (wire.isEmpty()) {
          error(
              String.format(
                  Messages.UNKNOWN_CONCURRENCY_KEY,
                  jobName,
                  key,
                  object.fields().stream()
                      .map(FieldModel::wireName)
                      .sorted()
                      .collect(Collectors.joining(", "))),
              job,
              ann,
              values.get("concurrencyKey"));
        }
      }
    }
    return concurrency == 0 && rate.isEmpty()
        ? JobModel.Limits.NONE
        : new JobModel.Limits(Math.max(concurrency, 0), wire, rate);
  }

  /** Reports a @State field or record component outside any @Job class. */
  void checkStrayState(Element field) {
    String owner = ((TypeElement) field.getEnclosingElement()).getSimpleName().toString();
    error(
        String.format(Messages.STATE_OUTSIDE_JOB, field.getSimpleName(), owner, owner),
        field,
        annotation(field, STATE).orElseThrow(),
        null);
  }

  /**
   * The private field of a record component: javac (17) gives messages on a component itself no
   * source position, but the field it declares has the component's.
   */
  private static Element componentField(TypeElement record, Element component) {
    for (VariableElement f : ElementFilter.fieldsIn(record.getEnclosedElements())) {
      if (f.getSimpleName().equals(component.getSimpleName())
          && !f.getModifiers().contains(Modifier.STATIC)) {
        return f;
      }
    }
    return component;
  }

  /** Reports an @Upgrade method outside any @Job class. */
  void checkStrayUpgrade(ExecutableElement method) {
    error(String.format(Messages.UPGRADE_OUTSIDE_JOB, method.getSimpleName()), method);
  }

  private void checkClassShape(TypeElement type, Element reportOn, String what) {
    for (Element e = type; e instanceof TypeElement; e = e.getEnclosingElement()) {
      if (e.getModifiers().contains(Modifier.PRIVATE)) {
        error(String.format(Messages.PRIVATE_CLASS, what), reportOn);
        break;
      }
    }
    if (type.getNestingKind() == NestingKind.MEMBER
        && type.getKind() == ElementKind.CLASS
        && !type.getModifiers().contains(Modifier.STATIC)) {
      error(String.format(Messages.INNER_CLASS, what), reportOn);
    } else if (type.getNestingKind() == NestingKind.LOCAL
        || type.getNestingKind() == NestingKind.ANONYMOUS) {
      error(String.format(Messages.INNER_CLASS, what), reportOn);
    }
    if (type.getKind() == ElementKind.CLASS && !type.getModifiers().contains(Modifier.ABSTRACT)) {
      boolean hasCtor =
          ElementFilter.constructorsIn(type.getEnclosedElements()).stream()
              .anyMatch(
                  c -> c.getParameters().isEmpty() && !c.getModifiers().contains(Modifier.PRIVATE));
      if (!hasCtor) {
        error(String.format(Messages.NO_CONSTRUCTOR, what), reportOn);
      }
    }
  }

  private List<JobModel.Upgrade> upgrades(TypeElement job, String jobName, int version) {
    Map<Integer, JobModel.Upgrade> steps = new TreeMap<>();
    TypeMirror stateType =
        ctx.types.getDeclaredType(
            ctx.elements.getTypeElement("java.util.Map"),
            ctx.elements.getTypeElement("java.lang.String").asType(),
            ctx.elements.getTypeElement("java.lang.Object").asType());
    for (ExecutableElement m : ElementFilter.methodsIn(job.getEnclosedElements())) {
      Optional<AnnotationMirror> ann = annotation(m, UPGRADE);
      if (ann.isEmpty()) {
        continue;
      }
      AnnotationValue fromValue = values(ann.get()).get("from");
      int from = (Integer) fromValue.getValue();
      boolean ok =
          m.getModifiers().contains(Modifier.STATIC)
              && !m.getModifiers().contains(Modifier.PRIVATE)
              && m.getReturnType().getKind() == TypeKind.VOID
              && m.getParameters().size() == 1
              && ctx.types.isSameType(m.getParameters().get(0).asType(), stateType);
      if (!ok) {
        error(String.format(Messages.UPGRADE_SIGNATURE, m.getSimpleName()), m);
      }
      if (from < 1 || from >= version) {
        error(
            String.format(Messages.UPGRADE_RANGE, from, jobName, version, version - 1),
            m,
            ann.get(),
            fromValue);
        continue;
      }
      if (steps.containsKey(from)) {
        error(String.format(Messages.UPGRADE_DUPLICATE, jobName, from), m, ann.get(), fromValue);
        continue;
      }
      steps.put(from, new JobModel.Upgrade(from, m.getSimpleName().toString()));
    }
    for (int from = 1; from < version; from++) {
      if (!steps.containsKey(from)) {
        AnnotationMirror jobAnn = annotation(job, JOB).orElseThrow();
        error(
            String.format(Messages.UPGRADE_MISSING, jobName, version, from, from),
            job,
            jobAnn,
            values(jobAnn).get("version"));
      }
    }
    return List.copyOf(steps.values());
  }

  /**
   * Builds the model of {@code type}'s fields, reporting problems on {@code reportOn} (the job
   * field that leads there) or on the fields themselves when {@code type} is the job.
   */
  private ObjectModel objectModel(
      TypeElement type,
      String jobName,
      int version,
      TypeElement job,
      Deque<String> path,
      Element nestedAt) {
    boolean isJob = type.equals(job);
    boolean record = type.getKind() == ElementKind.RECORD;
    List<FieldModel> fields = new ArrayList<>();
    Map<String, FieldModel> byWire = new LinkedHashMap<>();
    int before = errors;
    List<? extends Element> members =
        record ? type.getRecordComponents() : ElementFilter.fieldsIn(type.getEnclosedElements());
    for (Element f : members) {
      Set<Modifier> mods = f.getModifiers();
      // Outside a job, @State is reported by checkStrayState.
      boolean state = isJob && annotation(f, STATE).isPresent();
      if (isJob && ServiceFields.isService(record ? componentField(type, f) : f)) {
        continue; // not saved; checked by ServiceFields
      }
      if (!record && (mods.contains(Modifier.STATIC) || mods.contains(Modifier.TRANSIENT))) {
        if (state) {
          error(
              String.format(
                  mods.contains(Modifier.STATIC) ? Messages.STATE_STATIC : Messages.STATE_TRANSIENT,
                  f.getSimpleName(),
                  jobName),
              f);
        }
        continue;
      }
      if (record && state) {
        error(
            String.format(Messages.STATE_IN_RECORD, f.getSimpleName(), jobName),
            componentField(type, f));
        continue;
      }
      String javaName = f.getSimpleName().toString();
      Element at = isJob ? f : nestedAt != null ? nestedAt : job;
      path.addLast(javaName);
      String pathName = String.join(".", path);
      try {
        String wire = javaName;
        Optional<AnnotationMirror> wireAnn = annotation(f, WIRE_NAME);
        if (wireAnn.isPresent()) {
          AnnotationValue v = values(wireAnn.get()).get("value");
          wire = (String) v.getValue();
          if (wire.isBlank() || wire.startsWith("@")) {
            error(String.format(Messages.INVALID_WIRE_NAME, wire, pathName), at, wireAnn.get(), v);
            continue;
          }
        }
        FieldModel.Access access = FieldModel.Access.FIELD;
        String getter = javaName;
        String setter = null;
        if (record) {
          access = FieldModel.Access.RECORD;
          getter = javaName + "()";
        } else if (mods.contains(Modifier.PRIVATE)) {
          String cap = Character.toUpperCase(javaName.charAt(0)) + javaName.substring(1);
          Optional<String> get = accessor(type, f.asType(), "get" + cap, "is" + cap);
          boolean set = hasSetter(type, f.asType(), "set" + cap);
          if (get.isEmpty() || !set) {
            error(
                String.format(Messages.PRIVATE_FIELD, pathName, type.getSimpleName(), cap, cap),
                at);
            continue;
          }
          access = FieldModel.Access.BEAN;
          getter = get.get() + "()";
          setter = "set" + cap;
        } else if (mods.contains(Modifier.FINAL)) {
          error(String.format(Messages.FINAL_FIELD, pathName, type.getSimpleName()), at);
          continue;
        }
        TypeRef ref = analyze(f.asType(), pathName, jobName, at, job);
        if (ref == null) {
          continue;
        }
        FieldModel field =
            new FieldModel(
                javaName, wire, ref, access, getter, setter, f, state, ctx.docs.doc(f, type, ref));
        FieldModel clash = byWire.putIfAbsent(wire, field);
        if (clash != null) {
          error(
              String.format(
                  Messages.DUPLICATE_WIRE_NAME,
                  wire,
                  type.getSimpleName(),
                  clash.javaName(),
                  javaName),
              at);
          continue;
        }
        fields.add(field);
      } finally {
        path.removeLast();
      }
    }
    if (errors > before) {
      return null;
    }
    return new ObjectModel(
        type,
        ClassName.get(type),
        GeneratedNames.codec(type),
        record,
        List.copyOf(fields),
        isJob ? version : 0,
        isJob ? List.of(job) : List.of(type, job));
  }

  private Optional<String> accessor(TypeElement type, TypeMirror fieldType, String... names) {
    for (ExecutableElement m : ElementFilter.methodsIn(type.getEnclosedElements())) {
      for (String n : names) {
        if (m.getSimpleName().contentEquals(n)
            && m.getParameters().isEmpty()
            && !m.getModifiers().contains(Modifier.PRIVATE)
            && !m.getModifiers().contains(Modifier.STATIC)
            && ctx.types.isSameType(m.getReturnType(), fieldType)) {
          return Optional.of(n);
        }
      }
    }
    return Optional.empty();
  }

  private boolean hasSetter(TypeElement type, TypeMirror fieldType, String name) {
    return ElementFilter.methodsIn(type.getEnclosedElements()).stream()
        .anyMatch(
            m ->
                m.getSimpleName().contentEquals(name)
                    && m.getParameters().size() == 1
                    && !m.getModifiers().contains(Modifier.PRIVATE)
                    && !m.getModifiers().contains(Modifier.STATIC)
                    && ctx.types.isSameType(m.getParameters().get(0).asType(), fieldType));
  }

  /** Analyzes an output type without reporting (the caller reports one message). */
  private TypeRef analyzeQuiet(TypeMirror t, String jobName, TypeElement job) {
    int before = errors;
    TypeRef ref = analyze(t, null, jobName, null, job);
    return errors > before ? null : ref;
  }

  /**
   * The codec shape of {@code t}, or null after reporting why it has none. With {@code at} null,
   * nothing is reported but the error count still grows.
   */
  private TypeRef analyze(TypeMirror t, String field, String jobName, Element at, TypeElement job) {
    TypeName name = TypeName.get(t).withoutAnnotations();
    switch (t.getKind()) {
      case BOOLEAN:
        return new TypeRef.Scalar(ScalarKind.BOOLEAN, name);
      case BYTE:
        return new TypeRef.Scalar(ScalarKind.BYTE, name);
      case SHORT:
        return new TypeRef.Scalar(ScalarKind.SHORT, name);
      case INT:
        return new TypeRef.Scalar(ScalarKind.INT, name);
      case LONG:
        return new TypeRef.Scalar(ScalarKind.LONG, name);
      case FLOAT:
        return new TypeRef.Scalar(ScalarKind.FLOAT, name);
      case DOUBLE:
        return new TypeRef.Scalar(ScalarKind.DOUBLE, name);
      case CHAR:
        return new TypeRef.Scalar(ScalarKind.CHAR, name);
      case ARRAY:
        TypeMirror component = ((ArrayType) t).getComponentType();
        if (component.getKind() == TypeKind.BYTE) {
          return new TypeRef.Scalar(ScalarKind.BYTES, name);
        }
        if (component.getKind() == TypeKind.DECLARED
            && !((DeclaredType) component).getTypeArguments().isEmpty()) {
          return unsupported(t, field, jobName, at);
        }
        TypeRef c = analyze(component, field, jobName, at, job);
        return c == null ? null : new TypeRef.ArrayRef((ArrayTypeName) name, c);
      case DECLARED:
        return analyzeDeclared((DeclaredType) t, name, field, jobName, at, job);
      default:
        return unsupported(t, field, jobName, at);
    }
  }

  private TypeRef analyzeDeclared(
      DeclaredType t, TypeName name, String field, String jobName, Element at, TypeElement job) {
    TypeElement e = (TypeElement) t.asElement();
    String q = e.getQualifiedName().toString();
    ScalarKind scalar = scalar(q);
    if (scalar != null) {
      return new TypeRef.Scalar(scalar, name);
    }
    List<? extends TypeMirror> args = t.getTypeArguments();
    switch (q) {
      case "java.util.OptionalInt":
        return new TypeRef.OptionalPrimitive((ClassName) name, ScalarKind.INT);
      case "java.util.OptionalLong":
        return new TypeRef.OptionalPrimitive((ClassName) name, ScalarKind.LONG);
      case "java.util.OptionalDouble":
        return new TypeRef.OptionalPrimitive((ClassName) name, ScalarKind.DOUBLE);
      default:
        break;
    }
    String impl = collectionImpl(q);
    if (impl != null || q.equals("java.util.Optional")) {
      if (args.size() != 1) {
        return unsupported(t, field, jobName, at);
      }
      TypeRef element = analyze(args.get(0), field, jobName, at, job);
      if (element == null) {
        return null;
      }
      if (impl == null) {
        return new TypeRef.OptionalRef(name, element);
      }
      boolean set = impl.endsWith("Set");
      return new TypeRef.CollectionRef(name, ClassName.bestGuess(impl), set, element);
    }
    String mapImpl = mapImpl(q);
    if (mapImpl != null) {
      if (args.size() != 2) {
        return unsupported(t, field, jobName, at);
      }
      TypeRef key = analyze(args.get(0), field, jobName, null, job);
      boolean keyOk =
          key instanceof TypeRef.EnumRef
              || (key instanceof TypeRef.Scalar s
                  && (s.kind() == ScalarKind.STRING || s.kind().integral()));
      if (!keyOk) {
        errors++;
        if (at != null) {
          error(String.format(Messages.UNSUPPORTED_MAP_KEY, field, jobName, args.get(0)), at);
        }
        return null;
      }
      TypeRef value = analyze(args.get(1), field, jobName, at, job);
      return value == null
          ? null
          : new TypeRef.MapRef(name, ClassName.bestGuess(mapImpl), key, value);
    }
    if (e.getKind() == ElementKind.ENUM) {
      List<String> constants = new ArrayList<>();
      for (Element c : e.getEnclosedElements()) {
        if (c.getKind() == ElementKind.ENUM_CONSTANT) {
          constants.add(c.getSimpleName().toString());
        }
      }
      return new TypeRef.EnumRef((ClassName) name, List.copyOf(constants));
    }
    if (q.startsWith("java.")
        || q.startsWith("javax.")
        || !args.isEmpty()
        || !(e.getKind() == ElementKind.RECORD || e.getKind() == ElementKind.CLASS)
        || e.getModifiers().contains(Modifier.ABSTRACT)) {
      return unsupported(t, field, jobName, at);
    }
    ClassName type = ClassName.get(e);
    ClassName codec = GeneratedNames.codec(type);
    TypeRef.ObjectRef ref = new TypeRef.ObjectRef(type, codec, q);
    if (ctx.objects.containsKey(q)
        || e.equals(job)
        || annotation(e, JOB).isPresent()
        || ctx.elements.getTypeElement(codec.canonicalName()) != null) {
      return ref;
    }
    // Reserve the name first so that recursive types terminate.
    ctx.objects.put(q, null);
    int before = errors;
    checkClassShape(e, at == null ? job : at, e.getQualifiedName().toString());
    Deque<String> path = new ArrayDeque<>();
    if (field != null) {
      path.add(field);
    }
    ObjectModel model = objectModel(e, jobName, 0, job, path, at);
    if (errors > before || model == null) {
      ctx.objects.remove(q);
      if (errors == before) {
        errors++;
      }
      return null;
    }
    ctx.objects.put(q, model);
    return ref;
  }

  private TypeRef unsupported(TypeMirror t, String field, String jobName, Element at) {
    errors++;
    if (at != null && field != null) {
      ctx.messager.printMessage(
          Diagnostic.Kind.ERROR,
          String.format(Messages.UNSUPPORTED_FIELD, field, jobName, t, suggestion(t)),
          at);
    }
    return null;
  }

  private static String suggestion(TypeMirror t) {
    String s = t.toString();
    if (s.equals("java.io.File")) {
      return "String or java.nio.file.Path";
    }
    if (s.equals("java.util.Date") || s.equals("java.sql.Timestamp")) {
      return "java.time.Instant";
    }
    if (s.startsWith("java.util.Calendar") || s.equals("java.time.ZonedDateTime")) {
      return "java.time.OffsetDateTime";
    }
    if (s.equals("java.lang.Object")) {
      return "a concrete type";
    }
    return "a supported type (a primitive, String, java.time type, enum, record, List, Set, Map"
        + " or Optional)";
  }

  private static ScalarKind scalar(String q) {
    switch (q) {
      case "java.lang.Boolean":
        return ScalarKind.BOOLEAN;
      case "java.lang.Byte":
        return ScalarKind.BYTE;
      case "java.lang.Short":
        return ScalarKind.SHORT;
      case "java.lang.Integer":
        return ScalarKind.INT;
      case "java.lang.Long":
        return ScalarKind.LONG;
      case "java.lang.Float":
        return ScalarKind.FLOAT;
      case "java.lang.Double":
        return ScalarKind.DOUBLE;
      case "java.lang.Character":
        return ScalarKind.CHAR;
      case "java.lang.String":
        return ScalarKind.STRING;
      case "java.math.BigDecimal":
        return ScalarKind.BIG_DECIMAL;
      case "java.math.BigInteger":
        return ScalarKind.BIG_INTEGER;
      case "java.util.UUID":
        return ScalarKind.UUID;
      case "java.net.URI":
        return ScalarKind.URI;
      case "java.nio.file.Path":
        return ScalarKind.PATH;
      case "java.time.Instant":
        return ScalarKind.INSTANT;
      case "java.time.Duration":
        return ScalarKind.DURATION;
      case "java.time.LocalDate":
        return ScalarKind.LOCAL_DATE;
      case "java.time.LocalDateTime":
        return ScalarKind.LOCAL_DATE_TIME;
      case "java.time.OffsetDateTime":
        return ScalarKind.OFFSET_DATE_TIME;
      default:
        return null;
    }
  }

  private static String collectionImpl(String q) {
    switch (q) {
      case "java.util.List":
      case "java.util.Collection":
      case "java.lang.Iterable":
      case "java.util.ArrayList":
        return "java.util.ArrayList";
      case "java.util.LinkedList":
        return "java.util.LinkedList";
      case "java.util.Set":
      case "java.util.LinkedHashSet":
        return "java.util.LinkedHashSet";
      case "java.util.HashSet":
        return "java.util.HashSet";
      case "java.util.SortedSet":
      case "java.util.NavigableSet":
      case "java.util.TreeSet":
        return "java.util.TreeSet";
      default:
        return null;
    }
  }

  private static String mapImpl(String q) {
    switch (q) {
      case "java.util.Map":
      case "java.util.LinkedHashMap":
        return "java.util.LinkedHashMap";
      case "java.util.HashMap":
        return "java.util.HashMap";
      case "java.util.SortedMap":
      case "java.util.NavigableMap":
      case "java.util.TreeMap":
        return "java.util.TreeMap";
      default:
        return null;
    }
  }

  private Optional<DeclaredType> handlerType(TypeMirror t) {
    for (TypeMirror s : ctx.types.directSupertypes(t)) {
      if (s.getKind() != TypeKind.DECLARED) {
        continue;
      }
      if (isType(s, HANDLER)) {
        return Optional.of((DeclaredType) s);
      }
      Optional<DeclaredType> found = handlerType(s);
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  private static boolean isType(TypeMirror t, String qualifiedName) {
    return t.getKind() == TypeKind.DECLARED
        && ((TypeElement) ((DeclaredType) t).asElement())
            .getQualifiedName()
            .contentEquals(qualifiedName);
  }

  static Optional<AnnotationMirror> annotation(Element e, String qualifiedName) {
    for (AnnotationMirror m : e.getAnnotationMirrors()) {
      if (((TypeElement) m.getAnnotationType().asElement())
          .getQualifiedName()
          .contentEquals(qualifiedName)) {
        return Optional.of(m);
      }
    }
    if (e instanceof RecordComponentElement) {
      ExecutableElement accessor = ((RecordComponentElement) e).getAccessor();
      if (accessor != null) {
        for (AnnotationMirror m : accessor.getAnnotationMirrors()) {
          if (((TypeElement) m.getAnnotationType().asElement())
              .getQualifiedName()
              .contentEquals(qualifiedName)) {
            return Optional.of(m);
          }
        }
      }
    }
    return Optional.empty();
  }

  private Map<String, AnnotationValue> values(AnnotationMirror m) {
    Map<String, AnnotationValue> out = new TreeMap<>();
    ctx.elements
        .getElementValuesWithDefaults(m)
        .forEach((k, v) -> out.put(k.getSimpleName().toString(), v));
    return out;
  }

  private void error(String msg, Element e) {
    errors++;
    ctx.messager.printMessage(Diagnostic.Kind.ERROR, msg, e);
  }

  private void error(String msg, Element e, AnnotationMirror a, AnnotationValue v) {
    if (v == null) {
      errors++;
      ctx.messager.printMessage(Diagnostic.Kind.ERROR, msg, e, a);
      return;
    }
    errors++;
    ctx.messager.printMessage(Diagnostic.Kind.ERROR, msg, e, a, v);
  }
}
