package io.gdbpool.autoconfigure;

import java.util.List;

import com.zaxxer.hikari.HikariConfig;
import jakarta.persistence.EntityManagerFactory;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.AotServices;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.orm.jpa.JpaTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runtime hints of what gDBPool looks up at run time ({@link GDBPoolRuntimeHints}),
 * registered through {@code META-INF/spring/aot.factories}, and those Spring Framework
 * registers for gDBPool's {@code META-INF/spring.factories}. No database.
 */
class GDBPoolRuntimeHintsTests {

	private final RuntimeHints hints = new RuntimeHints();

	@Test
	void theRegistrarIsFoundThroughAotFactories() {
		assertThat(AotServices.factories(getClass().getClassLoader()).load(RuntimeHintsRegistrar.class).asList())
			.hasAtLeastOneElementOfType(GDBPoolRuntimeHints.class);
	}

	@Test
	void hikariSettingsCanBeBoundOntoAHikariConfig() {
		new GDBPoolRuntimeHints().registerHints(this.hints, getClass().getClassLoader());
		// spring.datasource.hikari.* and gdbpool.pools.*.hikari.* are bound by the Binder
		// onto a HikariConfig instance: its JavaBean properties are read and written
		for (String method : List.of("setMaximumPoolSize", "getMaximumPoolSize", "setConnectionTimeout", "setPoolName",
				"setDataSourceProperties", "getDataSourceProperties")) {
			assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(HikariConfig.class, method)).as(method)
				.accepts(this.hints);
		}
	}

	@Test
	void theClassesWhosePresenceIsCheckedAtRunTimeCanBeFound() {
		new GDBPoolRuntimeHints().registerHints(this.hints, getClass().getClassLoader());
		assertThat(GDBPoolRuntimeHints.LOOKED_UP_CLASSES).containsExactlyInAnyOrder(
				EntityManagerFactory.class.getName(), JpaTransactionManager.class.getName(),
				JsonMapper.class.getName());
		for (String className : GDBPoolRuntimeHints.LOOKED_UP_CLASSES) {
			assertThat(RuntimeHintsPredicates.reflection().onType(TypeReference.of(className))).as(className)
				.accepts(this.hints);
		}
	}

	@Test
	void aClassThatIsAbsentGetsNoHint() {
		// an application without JPA or Jackson: nothing is registered for what is not
		// there
		ClassLoader withoutJpa = new ClassLoader(getClass().getClassLoader()) {

			@Override
			protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
				if (name.startsWith("jakarta.persistence.")) {
					throw new ClassNotFoundException(name);
				}
				return super.loadClass(name, resolve);
			}

		};
		new GDBPoolRuntimeHints().registerHints(this.hints, withoutJpa);
		assertThat(RuntimeHintsPredicates.reflection().onType(EntityManagerFactory.class)).rejects(this.hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(JsonMapper.class)).accepts(this.hints);
	}

	@Test
	void theFailureAnalyzersOfSpringFactoriesCanBeCreated() throws NoSuchMethodException {
		// every registrar of every aot.factories, as an AOT build applies them (Spring
		// Framework's SpringFactoriesLoaderRuntimeHints among them)
		ClassLoader classLoader = getClass().getClassLoader();
		AotServices.factories(classLoader)
			.load(RuntimeHintsRegistrar.class)
			.forEach((registrar) -> registrar.registerHints(this.hints, classLoader));
		for (Class<? extends FailureAnalyzer> analyzer : List.of(GDBPoolConfigurationFailureAnalyzer.class,
				PoolStartupFailureAnalyzer.class, ListenerStartupFailureAnalyzer.class)) {
			assertThat(
					RuntimeHintsPredicates.reflection().onConstructorInvocation(analyzer.getDeclaredConstructors()[0]))
				.as(analyzer.getSimpleName())
				.accepts(this.hints);
		}
	}

}
