package io.gdbpool;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package rules of the architecture, so a change that breaks one fails the build:
 * only the auto-configuration knows Spring Boot; dependencies point one way
 * (autoconfigure → API → transaction → routing → support; notify → support); no cycles.
 * No database needed.
 */
class ArchitectureTests {

	private static final JavaClasses LIBRARY = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("io.gdbpool");

	@Test
	void theRulesSeeTheWholeLibrary() {
		// a rule over no classes would pass by saying nothing
		assertThat(LIBRARY.contain(GDBPoolTemplate.class)).isTrue();
		assertThat(LIBRARY.contain(io.gdbpool.notify.PgListenerContainer.class)).isTrue();
		assertThat(LIBRARY.contain(io.gdbpool.support.SessionLoss.class)).isTrue();
		assertThat(LIBRARY.contain(io.gdbpool.autoconfigure.GDBPoolAutoConfiguration.class)).isTrue();
	}

	@Test
	void onlyTheAutoConfigurationDependsOnSpringBoot() {
		noClasses().that()
			.resideOutsideOfPackage("io.gdbpool.autoconfigure..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("org.springframework.boot..")
			.check(LIBRARY);
	}

	@Test
	void notifyDependsOnNothingOfOursButSupport() {
		noClasses().that()
			.resideInAPackage("io.gdbpool.notify..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.gdbpool.routing..", "io.gdbpool.transaction..", "io.gdbpool.autoconfigure..")
			.orShould()
			.dependOnClassesThat()
			.resideInAPackage("io.gdbpool")
			.check(LIBRARY);
	}

	@Test
	void routingKnowsNeitherTransactionsNorTheApiNorNotify() {
		noClasses().that()
			.resideInAPackage("io.gdbpool.routing..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.gdbpool.transaction..", "io.gdbpool.notify..", "io.gdbpool.autoconfigure..")
			.orShould()
			.dependOnClassesThat()
			.resideInAPackage("io.gdbpool")
			.check(LIBRARY);
	}

	@Test
	void transactionKnowsNeitherTheApiNorNotifyNorTheAutoConfiguration() {
		noClasses().that()
			.resideInAPackage("io.gdbpool.transaction..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.gdbpool.notify..", "io.gdbpool.autoconfigure..")
			.orShould()
			.dependOnClassesThat()
			.resideInAPackage("io.gdbpool")
			.check(LIBRARY);
	}

	@Test
	void supportDependsOnNothingOfOurs() {
		noClasses().that()
			.resideInAPackage("io.gdbpool.support..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.gdbpool", "io.gdbpool.routing..", "io.gdbpool.transaction..", "io.gdbpool.notify..",
					"io.gdbpool.autoconfigure..")
			.check(LIBRARY);
	}

	@Test
	void theApiDoesNotDependOnTheAutoConfiguration() {
		noClasses().that()
			.resideInAPackage("io.gdbpool")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("io.gdbpool.autoconfigure..")
			.check(LIBRARY);
	}

	@Test
	void packagesHaveNoCycles() {
		slices().matching("io.gdbpool.(*)..").should().beFreeOfCycles().check(LIBRARY);
	}

}
