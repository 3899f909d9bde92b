package dev.jobkit.runtime;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The runtime's layering, checked on its compiled main classes:
 *
 * <pre>
 *   public API (dev.jobkit.runtime)
 *        |
 *   internal.worker
 *        |
 *   internal.store      (the JobStore contract and its records)
 *        |
 *   internal.store.sql  (the one implementation, the only user of SQL libraries; reached only
 *                        through Stores and its options)
 *        |
 *   internal.state (depends on no other part of the runtime)
 * </pre>
 *
 * <p>Each rule has a counterpart test that applies the same rule where it must fail, so that a rule
 * cannot pass vacuously (a misspelt package, a predicate that matches nothing).
 */
class ArchitectureTest {
  private static final String ROOT = "dev.jobkit.runtime";
  private static final String PUBLIC_API = ROOT;
  private static final String INTERNAL = ROOT + ".internal..";
  private static final String WORKER = ROOT + ".internal.worker..";
  private static final String STORE = ROOT + ".internal.store..";
  private static final String STATE = ROOT + ".internal.state..";
  private static final String STORE_IMPL = ROOT + ".internal.store.sql..";
  private static final String[] SQL = {
    "org.jooq..", "java.sql..", "org.sqlite..", "org.postgresql.."
  };

  private static JavaClasses runtime;

  @BeforeAll
  static void importRuntime() {
    runtime =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);
  }

  // ---------------------------------------------------------------- (a) the store

  /** The public types the store may use: the exception it raises (with its nested {@code Kind}). */
  private static final DescribedPredicate<JavaClass> STORE_MAY_USE_FROM_PUBLIC_API =
      DescribedPredicate.describe(
          "JobStorageException (and its nested types)",
          c -> isOrIsNestedIn(c, JobStorageException.class));

  static ArchRule storeDependsOnlyDownwards() {
    return noClasses()
        .that()
        .resideInAPackage(STORE)
        .should()
        .dependOnClassesThat(
            resideInAPackage(WORKER)
                .or(resideInAPackage(PUBLIC_API).and(not(STORE_MAY_USE_FROM_PUBLIC_API))))
        .because(
            "the store sits below the worker and the public API; it raises "
                + "JobStorageException and nothing else of the public package");
  }

  @Test
  void storeDoesNotDependOnWorkerOrPublicApi() {
    storeDependsOnlyDownwards().check(runtime);
  }

  /**
   * The worker sits below the public API's entry points. It does use the public value and event
   * types (JobInfo, JobState, JobLifecycleEvent, ...) that it produces for them, so the two
   * packages form a cycle of types, but not of control: the engine never calls back into the
   * manager.
   */
  @Test
  void workerDoesNotDependOnTheApiEntryPoints() {
    noClasses()
        .that()
        .resideInAPackage(WORKER)
        .should()
        .dependOnClassesThat(
            DescribedPredicate.describe(
                "JobManager or JobHandle (or their nested types)",
                c -> isOrIsNestedIn(c, JobManager.class) || isOrIsNestedIn(c, JobHandle.class)))
        .check(runtime);
  }

  private static boolean isOrIsNestedIn(JavaClass c, Class<?> type) {
    return c.getName().equals(type.getName()) || c.getName().startsWith(type.getName() + "$");
  }

  // ---------------------------------------------------------------- (b) the state machine

  static ArchRule stateIsSelfContained(String statePackage) {
    return noClasses()
        .that()
        .resideInAPackage(statePackage)
        .should()
        .dependOnClassesThat(resideInAPackage(ROOT + "..").and(not(resideInAPackage(statePackage))))
        .because(
            "the state machine is the bottom layer: it depends on no other part of the runtime");
  }

  @Test
  void stateDependsOnNothingElseOfTheRuntime() {
    stateIsSelfContained(STATE).check(runtime);
  }

  // ---------------------------------------------------------------- (d) SQL

  /**
   * The one exception (#13, transactional dispatch): the application's transaction is a JDBC
   * connection, which the public {@code ApplicationTransactions} SPI hands over and {@code
   * TransactionBridge} passes to the store's {@code JoinedTransactions}. They use nothing of jOOQ
   * or the drivers, and nothing else of {@code java.sql} but {@code Connection}.
   */
  private static final DescribedPredicate<JavaClass> TRANSACTION_BRIDGE =
      DescribedPredicate.describe(
          "the application-transactions bridge",
          c ->
              c.getName().equals(ROOT + ".ApplicationTransactions")
                  || c.getName().startsWith(ROOT + ".TransactionBridge")
                  || c.getName().equals(ROOT + ".internal.store.JoinedTransactions"));

  static ArchRule sqlOnlyIn(String... packages) {
    return noClasses()
        .that()
        .resideOutsideOfPackages(packages)
        .and(not(TRANSACTION_BRIDGE))
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(SQL)
        .because("SQL is an implementation detail of the stores");
  }

  @Test
  void sqlLibrariesAreUsedOnlyByTheStore() {
    sqlOnlyIn(STORE_IMPL).check(runtime);
  }

  /** What the rest of the runtime may use of the store's implementation: its entry point. */
  private static final DescribedPredicate<JavaClass> STORE_ENTRY_POINT =
      DescribedPredicate.describe(
          "Stores, SqliteOptions, PostgresOptions",
          c ->
              c.getName().endsWith(".sql.Stores")
                  || c.getName().endsWith(".sql.SqliteOptions")
                  || c.getName().endsWith(".sql.PostgresOptions"));

  static ArchRule storeImplementationReachedOnlyThrough(DescribedPredicate<JavaClass> entry) {
    return noClasses()
        .that()
        .resideOutsideOfPackage(STORE_IMPL)
        .should()
        .dependOnClassesThat(resideInAPackage(STORE_IMPL).and(not(entry)))
        .because(
            "the runtime reaches the store through one entry point; the dialects, tables "
                + "and connections stay private to it");
  }

  @Test
  void theStoreImplementationIsReachedOnlyThroughStores() {
    storeImplementationReachedOnlyThrough(STORE_ENTRY_POINT).check(runtime);
  }

  // ---------------------------------------------------------------- (e) public signatures

  static ArchRule publicTypesDoNotExpose(String packageName, String hidden) {
    return classes()
        .that()
        .resideInAPackage(packageName)
        .and(
            new DescribedPredicate<JavaClass>("are visible outside their package") {
              @Override
              public boolean test(JavaClass c) {
                return visible(c);
              }
            })
        .should(notExpose(hidden))
        .because(
            "applications compile against public signatures only; internal types in them "
                + "would make the internals API");
  }

  @Test
  void publicApiDoesNotExposeInternalTypes() {
    publicTypesDoNotExpose(PUBLIC_API, INTERNAL).check(runtime);
  }

  /** Public, and (when nested) inside public classes all the way out. */
  private static boolean visible(JavaClass c) {
    if (!c.getModifiers().contains(JavaModifier.PUBLIC)
        || c.isAnonymousClass()
        || c.isLocalClass()) {
      return false;
    }
    return c.getEnclosingClass().map(ArchitectureTest::visible).orElse(true);
  }

  /**
   * No public or protected member (field, constructor, method: types, type arguments, throws) and
   * no supertype names a class of {@code hidden}.
   */
  private static ArchCondition<JavaClass> notExpose(String hidden) {
    DescribedPredicate<JavaClass> isHidden = resideInAPackage(hidden);
    return new ArchCondition<>("not expose classes in " + hidden + " in public signatures") {
      @Override
      public void check(JavaClass c, ConditionEvents events) {
        List<String> found = new ArrayList<>();
        c.getRawSuperclass().filter(isHidden).ifPresent(s -> found.add("extends " + s.getName()));
        c.getRawInterfaces().stream()
            .filter(isHidden)
            .forEach(i -> found.add("implements " + i.getName()));
        for (JavaField f : c.getFields()) {
          if (exported(f)) {
            hiddenIn(List.of(f.getType()), isHidden)
                .forEach(t -> found.add("field " + f.getName() + " has type " + t));
          }
        }
        for (JavaCodeUnit m : c.getCodeUnits()) {
          if (!exported(m)
              || m.getModifiers().contains(JavaModifier.SYNTHETIC)
              || m.getModifiers().contains(JavaModifier.BRIDGE)) {
            continue;
          }
          List<JavaType> types = new ArrayList<>(m.getParameterTypes());
          types.add(m.getReturnType());
          m.getThrowsClause().getTypes().forEach(types::add);
          hiddenIn(types, isHidden).forEach(t -> found.add(m.getFullName() + " exposes " + t));
        }
        for (String what : found) {
          events.add(SimpleConditionEvent.violated(c, c.getName() + ": " + what));
        }
        if (found.isEmpty()) {
          events.add(SimpleConditionEvent.satisfied(c, c.getName() + " exposes no internal types"));
        }
      }
    };
  }

  private static boolean exported(JavaMember m) {
    return m.getModifiers().contains(JavaModifier.PUBLIC)
        || m.getModifiers().contains(JavaModifier.PROTECTED);
  }

  private static Set<String> hiddenIn(
      List<? extends JavaType> types, DescribedPredicate<JavaClass> isHidden) {
    Set<String> names = new LinkedHashSet<>();
    for (JavaType t : types) {
      for (JavaClass raw : t.getAllInvolvedRawTypes()) {
        if (isHidden.test(raw)) {
          names.add(raw.getName());
        }
      }
    }
    return names;
  }

  // ---------------------------------------------------------------- the rules can fail

  /**
   * Each rule, aimed where the code does what it forbids, must report it: the rules are not
   * vacuous, and a future violation in their real targets would be caught the same way.
   */
  @Test
  void eachRuleFailsWhereItsDependencyExists() {
    // The worker uses JobInfo, JobState and friends of the public API, which the store may not.
    assertViolated(
        noClasses()
            .that()
            .resideInAPackage(WORKER)
            .should()
            .dependOnClassesThat(
                resideInAPackage(PUBLIC_API).and(not(STORE_MAY_USE_FROM_PUBLIC_API))),
        "dev.jobkit.runtime.JobState");
    // The store uses the state machine, so it is not self-contained the way state is.
    assertViolated(stateIsSelfContained(STORE), "internal.state.JobStatus");
    // The store uses jOOQ and JDBC; only its implementation package is allowed to.
    assertViolated(sqlOnlyIn(STATE), "org.jooq");
    // JobManager's storage configuration opens stores, so Stores is reached from outside.
    assertViolated(
        storeImplementationReachedOnlyThrough(DescribedPredicate.describe("nothing", c -> false)),
        "internal.store.sql.Stores");
    // Public store types such as JobRow expose the internal JobStatus in their signatures.
    assertViolated(publicTypesDoNotExpose(ROOT + ".internal.store", STATE), "JobRow");
  }

  private static void assertViolated(ArchRule rule, String expected) {
    AssertionError e =
        assertThrows(
            AssertionError.class,
            () -> rule.check(runtime),
            () -> "expected a violation of: " + rule.getDescription());
    assertTrue(
        e.getMessage().contains(expected),
        () ->
            "the violations of '"
                + rule.getDescription()
                + "' should mention "
                + expected
                + ":\n"
                + e.getMessage());
  }
}
