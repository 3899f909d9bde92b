package dev.jobkit.processor;

/**
 * Compile-time messages of the processor. Each starts with a stable tag; the rest is a {@link
 * String#format} template that says what is wrong and how to fix it.
 */
public final class Messages {
  public static final String INVALID_NAME =
      "[JobInvalidName] @Job name '%s' of %s is not valid. Use lower-case letters, digits, '_', '.'"
          + " and '-', starting with a letter, such as \"file_copy\".";
  public static final String DUPLICATE_NAME =
      "[JobDuplicateName] @Job name '%s' is used by both %s and %s. Give each job a unique name.";
  public static final String NOT_HANDLER =
      "[JobNotHandler] @Job %s does not implement dev.jobkit.JobHandler. Implement"
          + " JobHandler<Output>, using Void when the job has no output.";
  public static final String NOT_CONCRETE =
      "[JobNotConcrete] @Job %s is %s. Put @Job on a concrete class or a record.";
  public static final String INNER_CLASS =
      "[JobInnerClass] %s is a non-static inner class. Make it static or move it to the top level.";
  public static final String GENERIC =
      "[JobGeneric] @Job %s has type parameters. Job classes cannot be generic; use concrete field"
          + " types.";
  public static final String NO_CONSTRUCTOR =
      "[JobNoConstructor] %s has no accessible no-argument constructor. Add a non-private"
          + " constructor without parameters, or make it a record.";
  public static final String PRIVATE_CLASS =
      "[JobPrivateClass] %s is private, so generated code cannot use it. Make it package-private"
          + " or public.";
  public static final String PRIVATE_FIELD =
      "[JobPrivateField] Field '%s' of %s is private and has no getter and setter. Make it"
          + " non-private, add get%s()/set%s(), or mark it transient.";
  public static final String FINAL_FIELD =
      "[JobFinalField] Field '%s' of %s is final, so its value cannot be restored. Make it"
          + " non-final, or mark it transient.";
  public static final String UNSUPPORTED_FIELD =
      "[JobUnsupportedField] Field '%s' of @Job %s has type %s, which has no codec. Use %s, or"
          + " mark the field transient.";
  public static final String UNSUPPORTED_MAP_KEY =
      "[JobUnsupportedMapKey] Field '%s' of @Job %s is a map with key type %s. Use String, an enum"
          + " or an integer type as the key.";
  public static final String UNSUPPORTED_OUTPUT =
      "[JobUnsupportedOutput] @Job %s has output type %s, which has no codec. Use a record,"
          + " String, a number, a collection of those, or Void.";
  public static final String INVALID_VERSION =
      "[JobInvalidVersion] @Job %s has version %d. Versions start at 1.";
  public static final String UPGRADE_MISSING =
      "[JobUpgradeMissing] @Job %s has version %d but no @Upgrade(from = %d) method. Add a static"
          + " void method taking Map<String, Object> that upgrades version %d state.";
  public static final String UPGRADE_DUPLICATE =
      "[JobUpgradeDuplicate] @Job %s has more than one @Upgrade(from = %d). Keep one step per"
          + " version.";
  public static final String UPGRADE_RANGE =
      "[JobUpgradeRange] @Upgrade(from = %d) of @Job %s is out of range: the job has version %d,"
          + " so steps go from 1 to %d. Remove the step or raise the version.";
  public static final String UPGRADE_SIGNATURE =
      "[JobUpgradeSignature] @Upgrade method %s must be static, not private, return void and take"
          + " one Map<String, Object> parameter.";
  public static final String UPGRADE_OUTSIDE_JOB =
      "[JobUpgradeOutsideJob] @Upgrade method %s is not in a @Job class. Move it into the job it"
          + " upgrades.";
  public static final String INVALID_TIMEOUT =
      "[JobInvalidTimeout] @Job timeout '%s' is not an ISO-8601 duration. Use a value such as"
          + " \"PT30M\" or \"PT2H\", or leave it empty for no timeout.";
  public static final String INVALID_MAX_ATTEMPTS =
      "[JobInvalidMaxAttempts] @Job maxAttempts is %d. Use 0 for the runtime's default or a"
          + " positive number.";
  public static final String INVALID_WIRE_NAME =
      "[JobInvalidWireName] @WireName '%s' on '%s' is not valid: it must not be blank or start"
          + " with '@'. Choose another name.";
  public static final String DUPLICATE_WIRE_NAME =
      "[JobDuplicateWireName] Wire name '%s' is used by more than one field of %s ('%s' and"
          + " '%s'). Give each field a unique @WireName.";
  public static final String STATE_STATIC =
      "[JobStateStatic] Field '%s' of @Job %s is static and marked @State, but only instance fields"
          + " are saved with a job. Make it an instance field, or remove @State.";
  public static final String STATE_TRANSIENT =
      "[JobStateTransient] Field '%s' of @Job %s is transient and marked @State, but transient"
          + " fields are not saved in checkpoints. Remove transient to save it as state, or remove"
          + " @State.";
  public static final String STATE_IN_RECORD =
      "[JobStateInRecord] Component '%s' of record @Job %s is marked @State, but a record cannot"
          + " change while it runs, so it has no state to save. Make the job a class with a"
          + " non-final @State field, or remove @State.";
  public static final String STATE_OUTSIDE_JOB =
      "[JobStateOutsideJob] Field '%s' of %s is marked @State, but %s is not a @Job class: only"
          + " a job's own fields are state. Remove @State here and mark the job's field that holds"
          + " this value.";
  public static final String SERVICE_NOT_TRANSIENT =
      "[JobServiceNotTransient] Field '%s' of @Job %s is marked @Service but is not transient, so"
          + " it would also be saved as a parameter. Mark it transient: @Service transient %s %s;";
  public static final String SERVICE_STATIC =
      "[JobServiceStatic] Field '%s' of @Job %s is static and marked @Service, but services are set"
          + " on each job object. Make it an instance field (@Service transient), or remove"
          + " @Service.";
  public static final String SERVICE_FINAL =
      "[JobServiceFinal] Field '%s' of @Job %s is final and marked @Service, so the runtime cannot"
          + " set it. Remove final.";
  public static final String SERVICE_PRIVATE =
      "[JobServicePrivate] Field '%s' of @Job %s is private and marked @Service, so generated code"
          + " cannot set it. Make it package-private.";
  public static final String SERVICE_STATE =
      "[JobServiceState] Field '%s' of @Job %s is marked both @Service and @State, but a service is"
          + " set by the runtime and never saved. Remove @State, or remove @Service to keep it as"
          + " state.";
  public static final String SERVICE_TYPE =
      "[JobServiceType] Service field '%s' of @Job %s has type %s, which cannot be looked up: %s."
          + " Use a class or interface type without type arguments (wrap a generic type in an"
          + " interface of your own).";
  public static final String SERVICE_IN_RECORD =
      "[JobServiceInRecord] Component '%s' of record @Job %s is marked @Service, but a record"
          + " cannot be given services after it is made. Make the job a class with a @Service"
          + " transient field.";
  public static final String SERVICE_OUTSIDE_JOB =
      "[JobServiceOutsideJob] Field '%s' of %s is marked @Service, but %s is not a @Job class: only"
          + " a job's own fields get services. Move the field into the job, or remove @Service.";
  public static final String UNRESOLVED_TYPE =
      "[JobUnresolvedType] @Job %s uses a type that does not exist. Check its imports, or the"
          + " processor that should generate it.";
  public static final String CRASH =
      "[JobProcessorCrash] The jobkit processor failed unexpectedly. Please report this with the"
          + " stack trace:%n%s";

  private Messages() {}

  // #12 limits
  public static final String INVALID_CONCURRENCY =
      "[JobInvalidConcurrency] @Job concurrency is %d. Use 0 for no limit or a positive number of"
          + " jobs that may run at once.";
  public static final String INVALID_RATE_LIMIT =
      "[JobInvalidRateLimit] @Job rateLimit '%s' is not of the form N/PERIOD[ burst B]. Use a"
          + " value such as \"10/1s\", \"100/5m\" or \"10/1s burst 20\" (units ms, s, m, h, d),"
          + " or leave it empty for no rate limit.";
  public static final String UNKNOWN_CONCURRENCY_KEY =
      "[JobUnknownConcurrencyKey] @Job %s has concurrencyKey '%s', which is not one of its fields"
          + " (%s). Name a top-level field, or leave it empty for one limit for the whole type.";
  public static final String CONCURRENCY_KEY_WITHOUT_LIMIT =
      "[JobConcurrencyKeyWithoutLimit] @Job %s has concurrencyKey '%s' but neither concurrency nor"
          + " rateLimit. Set one of them, or remove concurrencyKey.";
}
