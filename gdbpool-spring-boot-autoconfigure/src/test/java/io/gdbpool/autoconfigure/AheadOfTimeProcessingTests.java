package io.gdbpool.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import io.gdbpool.GDBPoolTemplate;
import io.gdbpool.notify.PgListen;
import io.gdbpool.notify.PgListenAnnotationBeanPostProcessor;
import io.gdbpool.notify.PgNotificationListener;
import io.gdbpool.routing.PoolRegistry;
import io.gdbpool.routing.PoolRole;
import io.gdbpool.routing.RoutingDataSource;
import io.gdbpool.test.GDBPoolContextRunner;
import io.gdbpool.test.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.aot.test.generate.TestGenerationContext;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.test.tools.CompileWithForkedClassLoader;
import org.springframework.core.test.tools.TestCompiler;
import org.springframework.javapoet.ClassName;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * gDBPool's auto-configurations processed ahead of time, as
 * {@code spring-boot:process-aot} does for an application: the conditions are evaluated
 * and the bean definitions (pools, routing DataSource, transaction manager, template,
 * LISTEN container, {@code @PgListen} post-processor, health and metrics) written as
 * code; that code is compiled and a context started from it, as a native image or a JVM
 * with {@code -Dspring.aot.enabled=true} starts, against the real test database: it
 * routes an interaction to the primary and a read to the replica, and a notification
 * written as JSON reaches a {@code @PgListen} method as a record.
 */
@ExtendWith({ AheadOfTimeProcessingTests.ForkedDriver.class, TestDatabase.class })
@CompileWithForkedClassLoader
class AheadOfTimeProcessingTests {

	@Test
	void theAutoConfigurationIsProcessedAheadOfTimeAndTheGeneratedContextRoutesAndListens() {
		String channel = TestDatabase.uniqueName("aot_seats");
		String[] properties = Stream
			.of(GDBPoolContextRunner.pool("primary", TestDatabase.url(), "write"),
					GDBPoolContextRunner.pool("replica", TestDatabase.replicaUrl(), "read"),
					new String[] { "test.channel=" + channel })
			.flatMap(Stream::of)
			.toArray(String[]::new);
		ApplicationContextRunner runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(everyAutoConfiguration()))
			.withPropertyValues(properties)
			.withUserConfiguration(Handlers.class);
		runner.prepare((prepared) -> {
			GenericApplicationContext context = prepared.getSourceApplicationContext(GenericApplicationContext.class);
			TestGenerationContext generationContext = new TestGenerationContext();
			ClassName initializerName = new ApplicationContextAotGenerator().processAheadOfTime(context,
					generationContext);
			generationContext.writeGeneratedContent();
			assertThatTheHintsCoverTheListenerAndHikariBinding(generationContext.getRuntimeHints());
			TestCompiler.forSystem().with(generationContext).compile((compiled) -> {
				try (GenericApplicationContext fresh = new GenericApplicationContext()) {
					fresh.setClassLoader(compiled.getClassLoader());
					TestPropertyValues.of(properties).applyTo(fresh);
					ApplicationContextInitializer<GenericApplicationContext> initializer = compiled
						.getInstance(ApplicationContextInitializer.class, initializerName.toString());
					initializer.initialize(fresh);
					fresh.refresh();
					assertThatTheGeneratedContextWorks(fresh, channel);
				}
			});
		});
	}

	private static void assertThatTheHintsCoverTheListenerAndHikariBinding(RuntimeHints hints) {
		// from @PgListen (@Reflective) on a bean's method
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Handlers.class, "onSeat")).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(SeatChange.class, "seatId")).accepts(hints);
		// from META-INF/spring/aot.factories
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(HikariConfig.class, "setMaximumPoolSize"))
			.accepts(hints);
	}

	private static void assertThatTheGeneratedContextWorks(GenericApplicationContext context, String channel) {
		// the context came from the generated bean definitions, not from the
		// configuration classes
		assertThat(((AbstractBeanDefinition) context.getBeanFactory().getBeanDefinition("dataSource"))
			.getInstanceSupplier()).isNotNull();
		assertThat(context.getBeanNamesForType(PgListenAnnotationBeanPostProcessor.class)).hasSize(1);
		assertThat(context.getBean(DataSource.class)).isInstanceOf(RoutingDataSource.class);
		PoolRegistry pools = context.getBean(PoolRegistry.class);
		assertThat(pools.get("primary").getRole()).isEqualTo(PoolRole.WRITE);
		assertThat(pools.get("replica").getRole()).isEqualTo(PoolRole.READ);
		// bound through the Binder onto HikariConfig
		assertThat(pools.get("replica").getDataSource().getMaximumPoolSize()).isEqualTo(4);
		GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
		// an interaction on the primary, a read on the replica
		Boolean inRecovery = template
			.execute((status) -> template.jdbc().sql("SELECT pg_is_in_recovery()").query(Boolean.class).single());
		assertThat(inRecovery).isFalse();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> template.query("SELECT pg_is_in_recovery()", (rs, row) -> rs.getBoolean(1)),
					(answers) -> answers.equals(List.of(true)));

		PgNotificationListener listener = context.getBean(PgNotificationListener.class);
		await().atMost(Duration.ofSeconds(10)).until(listener::isConnected);
		assertThat(listener.channels()).containsExactly(channel);
		// written as JSON by the template, read into the record by the @PgListen method
		template.notify(channel, new SeatChange(7, "ann"));
		Handlers handlers = context.getBean(Handlers.class);
		await().atMost(Duration.ofSeconds(10)).until(() -> !handlers.seats.isEmpty());
		assertThat(handlers.seats).containsExactly(new SeatChange(7, "ann"));
	}

	/**
	 * gDBPool's own (every one of its {@code AutoConfiguration.imports}) and Boot's JDBC
	 * ones, as an application with the starter has them.
	 */
	private static Class<?>[] everyAutoConfiguration() {
		ClassLoader classLoader = AheadOfTimeProcessingTests.class.getClassLoader();
		List<Class<?>> classes = new ArrayList<>();
		for (String name : ImportCandidates.load(AutoConfiguration.class, classLoader)) {
			if (name.startsWith("io.gdbpool.")) {
				classes.add(ClassUtils.resolveClassName(name, classLoader));
			}
		}
		assertThat(classes).contains(GDBPoolAutoConfiguration.class, GDBPoolListenerAutoConfiguration.class);
		classes.add(org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration.class);
		classes.add(org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration.class);
		classes.add(org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration.class);
		return classes.toArray(Class<?>[]::new);
	}

	/**
	 * Registers the PostgreSQL driver as the forked class loader of
	 * {@code @CompileWithForkedClassLoader} loads it (the generated code must share a
	 * class loader with the package-private classes it calls): {@code DriverManager}
	 * hands a caller only a driver of the caller's own class loader.
	 */
	static class ForkedDriver implements BeforeAllCallback {

		@Override
		public void beforeAll(ExtensionContext context) throws ClassNotFoundException {
			Class.forName("org.postgresql.Driver", true, ForkedDriver.class.getClassLoader());
		}

	}

	record SeatChange(int seatId, String holder) {
	}

	static class Handlers {

		final List<SeatChange> seats = new CopyOnWriteArrayList<>();

		@PgListen("${test.channel}")
		void onSeat(SeatChange change) {
			this.seats.add(change);
		}

	}

}
