package dev.jobkit.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import dev.jobkit.runtime.JobManager;
import org.junit.jupiter.api.Test;

/** The CLI is a client of the runtime's public API, like any application. */
class CliArchitectureTest {
  static ArchRule usesOnlyThePublicApi(String packages) {
    return noClasses()
        .that()
        .resideInAPackage(packages)
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.jobkit.runtime.internal..")
        .because("the CLI is a client of the public API, like any application");
  }

  @Test
  void cliUsesOnlyThePublicApi() {
    JavaClasses cli =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.jobkit.cli");
    assertTrue(
        cli.contain(Jobkit.class) && cli.contain(BenchCommand.class),
        "the CLI's classes should be imported");
    usesOnlyThePublicApi("dev.jobkit.cli..").check(cli);
  }

  /** The rule is not vacuous: JobManager, built on the internals, violates it. */
  @Test
  void theRuleFailsWhereTheDependencyExists() {
    JavaClasses runtime = new ClassFileImporter().importClasses(JobManager.class);
    AssertionError e =
        assertThrows(
            AssertionError.class, () -> usesOnlyThePublicApi("dev.jobkit.runtime").check(runtime));
    assertTrue(e.getMessage().contains("dev.jobkit.runtime.internal"), e.getMessage());
  }
}
