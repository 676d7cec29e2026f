package io.gdbpool.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;

import io.gdbpool.DefaultGDBPoolInteractionObservationConvention;
import io.gdbpool.GDBPoolInteractionContext;
import io.gdbpool.GDBPoolInteractionObservationConvention;
import io.gdbpool.GDBPoolTemplate;
import io.gdbpool.PartialTransaction;
import io.gdbpool.notify.DefaultPgNotificationObservationConvention;
import io.gdbpool.notify.PgListen;
import io.gdbpool.notify.PgNotification;
import io.gdbpool.notify.PgNotificationListener;
import io.gdbpool.notify.PgNotificationObservationContext;
import io.gdbpool.notify.PgNotificationObservationConvention;
import io.gdbpool.notify.Subscription;
import io.gdbpool.test.GDBPoolContextRunner;
import io.gdbpool.test.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Observations of interactions, partial-transaction steps and notification handling,
 * recorded by Micrometer's {@link TestObservationRegistry} against the real database:
 * names, key values, error outcomes, parents, the switches and user conventions.
 */
@ExtendWith(TestDatabase.class)
class GDBPoolObservationTests {

	private final ApplicationContextRunner runner = GDBPoolContextRunner.create()
		.withConfiguration(AutoConfigurations.of(GDBPoolListenerAutoConfiguration.class,
				GDBPoolObservationAutoConfiguration.class))
		.withPropertyValues(GDBPoolContextRunner.pool("primary", TestDatabase.url(), "write"));

	@Test
	void interactionsAreObservedWithTheirViewAndOutcome() {
		this.runner.withUserConfiguration(Registry.class).run((context) -> {
			GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
			Recorded recorded = context.getBean(Recorded.class);

			assertThat((Integer) template.execute((status) -> selectOne(template))).isEqualTo(1);
			assertThat((Integer) template.readOnly().execute((status) -> selectOne(template))).isEqualTo(1);
			assertThat((Integer) template.onPool("primary").execute((status) -> selectOne(template))).isEqualTo(1);
			assertThat((Integer) template.readAfter("0/1").execute((status) -> selectOne(template))).isEqualTo(1);
			assertThatIllegalStateException().isThrownBy(() -> template.execute((status) -> {
				selectOne(template);
				throw new IllegalStateException("refused");
			})).withMessage("refused");
			// plain SQL is not observed
			template.queryForList("SELECT 1");
			template.update("DO $$ BEGIN END $$");

			List<Observation.Context> interactions = recorded.named("gdbpool.interaction");
			assertThat(interactions).hasSize(5);
			assertThat(keys(interactions.get(0))).containsExactlyInAnyOrderEntriesOf(
					Map.of("gdbpool.operation", "execute", "gdbpool.route", "default", "gdbpool.pool", "none",
							"gdbpool.read-only", "false", "outcome", "success", "exception", "none"));
			assertThat(keys(interactions.get(1))).containsEntry("gdbpool.route", "read")
				.containsEntry("gdbpool.read-only", "true")
				.containsEntry("gdbpool.pool", "none");
			assertThat(keys(interactions.get(2))).containsEntry("gdbpool.route", "pool")
				.containsEntry("gdbpool.pool", "primary");
			// the LSN is left out: it would make every observation a new series
			assertThat(keys(interactions.get(3))).containsEntry("gdbpool.route", "read-after")
				.containsEntry("gdbpool.pool", "none");
			assertThat(keys(interactions.get(4))).containsEntry("outcome", "error")
				.containsEntry("exception", "IllegalStateException");
			assertThat(interactions.get(4).getError()).isInstanceOf(IllegalStateException.class);
			assertThat(interactions.get(0).getContextualName()).isEqualTo("execute default");

			TestObservationRegistry registry = context.getBean(TestObservationRegistry.class);
			TestObservationRegistryAssert.assertThat(registry)
				.hasNumberOfObservationsWithNameEqualTo("gdbpool.interaction", 5)
				.hasAnObservationWithAKeyValue("gdbpool.route", "read-after");
		});
	}

	@Test
	void theWorkersObservationOfExecuteAsyncIsAChildOfTheCallers() {
		this.runner.withUserConfiguration(Registry.class).run((context) -> {
			GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
			ObservationRegistry registry = context.getBean(ObservationRegistry.class);
			Recorded recorded = context.getBean(Recorded.class);
			Observation request = Observation.start("test.request", registry);
			Thread caller = Thread.currentThread();
			Observation[] current = new Observation[1];
			Thread[] worker = new Thread[1];
			try (Observation.Scope scope = request.openScope()) {
				Integer one = template.executeAsync((status) -> {
					current[0] = registry.getCurrentObservation();
					worker[0] = Thread.currentThread();
					return selectOne(template);
				}).join();
				assertThat(one).isEqualTo(1);
			}
			request.stop();

			assertThat(worker[0]).isNotSameAs(caller);
			List<Observation.Context> interactions = recorded.named("gdbpool.interaction");
			assertThat(interactions).hasSize(1);
			Observation.Context async = interactions.get(0);
			assertThat(keys(async)).containsEntry("gdbpool.operation", "execute-async")
				.containsEntry("outcome", "success");
			assertThat(async.getParentObservation()).isNotNull();
			assertThat(async.getParentObservation().getContextView()).isSameAs(request.getContext());
			// on the worker, the interaction's observation is current: what the callback
			// observes is its child
			assertThat(current[0]).isNotNull();
			assertThat(current[0].getContext()).isSameAs(async);
		});
	}

	@Test
	void eachStepOfAPartialTransactionIsAChildOfItsCallersObservation() {
		this.runner.withUserConfiguration(Registry.class).run((context) -> {
			GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
			ObservationRegistry registry = context.getBean(ObservationRegistry.class);
			Recorded recorded = context.getBean(Recorded.class);
			Observation request = Observation.start("test.request", registry);
			try (Observation.Scope scope = request.openScope()) {
				PartialTransaction<Integer> first = template.begin((status) -> selectOne(template));
				first.continueWith((status) -> selectOne(template));
				first.commit();
				PartialTransaction<Integer> second = template.begin((status) -> selectOne(template));
				assertThat((Integer) second.commitWith((status) -> selectOne(template))).isEqualTo(1);
				PartialTransaction<Integer> third = template.readOnly().begin((status) -> selectOne(template));
				third.rollback();
			}
			request.stop();

			List<Observation.Context> steps = recorded.named("gdbpool.interaction");
			assertThat(steps).extracting((step) -> keys(step).get("gdbpool.operation"))
				.containsExactly("partial-begin", "partial-continue", "partial-commit", "partial-begin",
						"partial-commit-with", "partial-begin", "partial-rollback");
			assertThat(steps).allSatisfy((step) -> {
				assertThat(step.getParentObservation()).isNotNull();
				assertThat(step.getParentObservation().getContextView()).isSameAs(request.getContext());
				assertThat(keys(step)).containsEntry("outcome", "success");
			});
			assertThat(keys(steps.get(6))).containsEntry("gdbpool.route", "read")
				.containsEntry("gdbpool.read-only", "true");
		});
	}

	@Test
	void notificationsHandledByPgListenMethodsAndSubscriptionsAreObserved() {
		String declared = TestDatabase.uniqueName("seat_changed");
		String dynamic = TestDatabase.uniqueName("dynamic");
		this.runner.withUserConfiguration(Registry.class, Handlers.class)
			.withPropertyValues("test.channel=" + declared)
			.run((context) -> {
				Recorded recorded = context.getBean(Recorded.class);
				Handlers handlers = context.getBean(Handlers.class);
				List<String> received = new CopyOnWriteArrayList<>();
				Subscription subscription = context.getBean(PgNotificationListener.class)
					.subscribe(dynamic, (notification) -> received.add(notification.payload()));
				TestDatabase.execute("SELECT pg_notify('" + declared + "', 'seat 7')",
						"SELECT pg_notify('" + declared + "', 'boom')", "SELECT pg_notify('" + dynamic + "', 'hi')");
				await().atMost(Duration.ofSeconds(10)).until(() -> recorded.named("gdbpool.notification").size() == 3);
				subscription.cancel();
				assertThat(handlers.payloads).containsExactly("seat 7", "boom");
				assertThat(received).containsExactly("hi");

				List<Observation.Context> notifications = recorded.named("gdbpool.notification");
				assertThat(notifications).extracting(GDBPoolObservationTests::keys)
					.containsExactlyInAnyOrder(
							Map.of("gdbpool.channel", declared, "gdbpool.handler", "pg-listen", "outcome", "success",
									"exception", "none"),
							Map.of("gdbpool.channel", declared, "gdbpool.handler", "pg-listen", "outcome", "error",
									"exception", "IllegalStateException"),
							// subscribed at run time: not named, as the meters do
							Map.of("gdbpool.channel", "_other", "gdbpool.handler", "subscription", "outcome", "success",
									"exception", "none"));
				assertThat(notifications).allSatisfy((observed) -> {
					assertThat(observed).isInstanceOf(PgNotificationObservationContext.class);
					assertThat(observed.getParentObservation()).isNull();
				});
			});
	}

	@Test
	void gdbpoolObservationsEnabledFalseSwitchesThemOff() {
		String channel = TestDatabase.uniqueName("off");
		this.runner.withUserConfiguration(Registry.class, Handlers.class)
			.withPropertyValues("gdbpool.observations.enabled=false", "test.channel=" + channel)
			.run((context) -> {
				assertThat(context).doesNotHaveBean(GDBPoolObservations.class);
				assertNothingObservedWhileAllWorks(context, channel);
				// the registry itself still records: the switch is ours
				Observation.createNotStarted("test.control", context.getBean(ObservationRegistry.class)).observe(() -> {
				});
				assertThat(context.getBean(Recorded.class).all()).extracting(Observation.Context::getName)
					.containsExactly("test.control");
			});
	}

	@Test
	void bootsManagementObservationsEnableSwitchesThemOff() {
		String channel = TestDatabase.uniqueName("mgmt_off");
		this.runner.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class))
			.withUserConfiguration(Registry.class, Handlers.class)
			.withPropertyValues("management.observations.enable.gdbpool=false", "test.channel=" + channel)
			.run((context) -> {
				assertThat(context).hasSingleBean(GDBPoolObservations.class);
				assertNothingObservedWhileAllWorks(context, channel);
				Observation.createNotStarted("test.control", context.getBean(ObservationRegistry.class)).observe(() -> {
				});
				assertThat(context.getBean(Recorded.class).all()).extracting(Observation.Context::getName)
					.containsExactly("test.control");
			});
		// and without the property, the same set-up observes
		this.runner.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class))
			.withUserConfiguration(Registry.class)
			.run((context) -> {
				GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
				template.execute((status) -> selectOne(template));
				assertThat(context.getBean(Recorded.class).named("gdbpool.interaction")).hasSize(1);
			});
	}

	@Test
	void conventionBeansReplaceTheDefaultNamesAndKeyValues() {
		String channel = TestDatabase.uniqueName("custom");
		this.runner.withUserConfiguration(Registry.class, Handlers.class, Conventions.class)
			.withPropertyValues("test.channel=" + channel)
			.run((context) -> {
				GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
				Recorded recorded = context.getBean(Recorded.class);
				template.execute((status) -> selectOne(template));
				TestDatabase.execute("SELECT pg_notify('" + channel + "', 'x')");
				await().atMost(Duration.ofSeconds(10)).until(() -> recorded.named("gdbpool.notification").size() == 1);

				Observation.Context interaction = recorded.named("gdbpool.interaction").get(0);
				assertThat(keys(interaction)).containsEntry("app", "seats")
					.containsEntry("gdbpool.operation", "execute");
				assertThat(interaction.getContextualName()).isEqualTo("seats execute");
				Observation.Context notification = recorded.named("gdbpool.notification").get(0);
				assertThat(keys(notification)).containsEntry("app", "seats").containsEntry("gdbpool.channel", channel);
			});
	}

	@Test
	void withoutARegistryEverythingWorksUnobserved() {
		String channel = TestDatabase.uniqueName("plain");
		this.runner.withUserConfiguration(Handlers.class)
			.withPropertyValues("test.channel=" + channel)
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(ObservationRegistry.class);
				GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
				assertThat((Integer) template.execute((status) -> selectOne(template))).isEqualTo(1);
				assertThat((Integer) template.executeAsync((status) -> selectOne(template)).join()).isEqualTo(1);
				PartialTransaction<Integer> partial = template.begin((status) -> selectOne(template));
				assertThat((Integer) partial.commitWith((status) -> selectOne(template))).isEqualTo(1);
				TestDatabase.execute("SELECT pg_notify('" + channel + "', 'seat 9')");
				Handlers handlers = context.getBean(Handlers.class);
				await().atMost(Duration.ofSeconds(10)).until(() -> handlers.payloads.contains("seat 9"));
			});
	}

	private static void assertNothingObservedWhileAllWorks(AssertableApplicationContext context, String channel) {
		GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
		assertThat((Integer) template.execute((status) -> selectOne(template))).isEqualTo(1);
		assertThat((Integer) template.executeAsync((status) -> selectOne(template)).join()).isEqualTo(1);
		template.begin((status) -> selectOne(template)).commit();
		TestDatabase.execute("SELECT pg_notify('" + channel + "', 'unobserved')");
		Handlers handlers = context.getBean(Handlers.class);
		await().atMost(Duration.ofSeconds(10)).until(() -> handlers.payloads.contains("unobserved"));
		// the handler has returned once the next notification's is delivered
		TestDatabase.execute("SELECT pg_notify('" + channel + "', 'after')");
		await().atMost(Duration.ofSeconds(10)).until(() -> handlers.payloads.contains("after"));
		assertThat(context.getBean(Recorded.class).all()).isEmpty();
	}

	private static Integer selectOne(GDBPoolTemplate template) {
		return template.jdbc().sql("SELECT 1").query(Integer.class).single();
	}

	private static Map<String, String> keys(Observation.Context context) {
		Map<String, String> keys = new LinkedHashMap<>();
		context.getLowCardinalityKeyValues().forEach((keyValue) -> keys.put(keyValue.getKey(), keyValue.getValue()));
		return keys;
	}

	/**
	 * The test registry, and every observation that stopped, in order.
	 */
	@Configuration(proxyBeanMethods = false)
	static class Registry {

		@Bean
		Recorded recorded() {
			return new Recorded();
		}

		@Bean
		TestObservationRegistry observationRegistry(Recorded recorded) {
			TestObservationRegistry registry = TestObservationRegistry.create();
			registry.observationConfig().observationHandler(recorded.handler);
			return registry;
		}

	}

	/**
	 * Not an ObservationHandler bean itself: Boot's ObservationAutoConfiguration would
	 * register it a second time.
	 */
	static class Recorded {

		private final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();

		final ObservationHandler<Observation.Context> handler = new ObservationHandler<>() {

			@Override
			public boolean supportsContext(Observation.Context context) {
				return true;
			}

			@Override
			public void onStop(Observation.Context context) {
				Recorded.this.stopped.add(context);
			}

		};

		List<Observation.Context> all() {
			return List.copyOf(this.stopped);
		}

		List<Observation.Context> named(String name) {
			return this.stopped.stream().filter((context) -> name.equals(context.getName())).toList();
		}

	}

	static class Handlers {

		final List<String> payloads = new CopyOnWriteArrayList<>();

		@PgListen("${test.channel}")
		void on(PgNotification notification) {
			this.payloads.add(notification.payload());
			if ("boom".equals(notification.payload())) {
				throw new IllegalStateException("boom");
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Conventions {

		@Bean
		GDBPoolInteractionObservationConvention interactionConvention() {
			return new DefaultGDBPoolInteractionObservationConvention() {

				@Override
				public KeyValues getLowCardinalityKeyValues(GDBPoolInteractionContext context) {
					return super.getLowCardinalityKeyValues(context).and(KeyValue.of("app", "seats"));
				}

				@Override
				public String getContextualName(GDBPoolInteractionContext context) {
					return "seats " + context.getOperation().value();
				}

			};
		}

		@Bean
		PgNotificationObservationConvention notificationConvention() {
			return new DefaultPgNotificationObservationConvention() {

				@Override
				public KeyValues getLowCardinalityKeyValues(PgNotificationObservationContext context) {
					return super.getLowCardinalityKeyValues(context).and(KeyValue.of("app", "seats"));
				}

			};
		}

	}

}
