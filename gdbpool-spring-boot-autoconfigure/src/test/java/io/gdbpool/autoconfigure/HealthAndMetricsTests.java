package io.gdbpool.autoconfigure;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import io.gdbpool.GDBPoolTemplate;
import io.gdbpool.PartialTransaction;
import io.gdbpool.routing.Pool;
import io.gdbpool.routing.PoolRegistry;
import io.gdbpool.test.GDBPoolContextRunner;
import io.gdbpool.test.MonitorChecks;
import io.gdbpool.test.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.health.DataSourceHealthContributorAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Actuator health per pool and Micrometer meters, read after real traffic.
 */
@ExtendWith(TestDatabase.class)
class HealthAndMetricsTests {

	private static final String SECRET = "n0t-in-health";

	private final ApplicationContextRunner runner = GDBPoolContextRunner.create()
		.withConfiguration(AutoConfigurations.of(GDBPoolHealthAutoConfiguration.class,
				DataSourceHealthContributorAutoConfiguration.class, GDBPoolMetricsAutoConfiguration.class))
		.withPropertyValues(GDBPoolContextRunner.pool("primary", TestDatabase.url(), "write"))
		.withPropertyValues("gdbpool.pools.primary.password=" + SECRET);

	@Test
	void healthHasOneEntryPerPoolAndAnEjectedReplicaDoesNotTakeTheApplicationDown() {
		this.runner.withPropertyValues(GDBPoolContextRunner.pool("replica", TestDatabase.replicaUrl(), "read"))
			.withPropertyValues("gdbpool.pools.gone.url=jdbc:postgresql://127.0.0.1:1/test",
					"gdbpool.pools.gone.role=read", "gdbpool.pools.gone.password=" + SECRET,
					"gdbpool.pools.gone.hikari.connection-timeout=500", "gdbpool.routing.check-interval=200ms")
			.run((context) -> {
				CompositeHealthContributor db = (CompositeHealthContributor) context.getBean("dbHealthContributor");
				assertThat(context.getBeansOfType(org.springframework.boot.health.contributor.HealthContributor.class))
					.containsOnlyKeys("dbHealthContributor");
				Health primary = health(db, "primary");
				assertThat(primary.getStatus()).isEqualTo(Status.UP);
				assertThat(primary.getDetails()).containsEntry("role", "write")
					.containsEntry("url", TestDatabase.url());
				await().atMost(5, TimeUnit.SECONDS)
					.until(() -> health(db, "replica").getDetails().containsKey("lagBytes"));
				Health replica = health(db, "replica");
				assertThat(replica.getStatus()).isEqualTo(Status.UP);
				assertThat(replica.getDetails()).containsEntry("role", "read")
					.containsEntry("inRotation", true)
					.containsEntry("lagging", false)
					.containsEntry("standby", true);
				Health gone = health(db, "gone");
				assertThat(gone.getStatus()).isEqualTo(Status.UP);
				assertThat(gone.getDetails()).containsEntry("inRotation", false).containsKey("error");
				assertThat(gone.getDetails().get("state")).asString().contains("fall back");
				Health partials = health(db, "partialTransactions");
				assertThat(partials.getDetails()).containsEntry("open", 0);
				assertThat(
						String.valueOf(db.stream().map((e) -> ((HealthIndicator) e.contributor()).health()).toList()))
					.doesNotContain(SECRET);
			});
	}

	@Test
	void aReplicaThatRefusesOurCredentialsSaysSoInHealth() {
		this.runner
			.withPropertyValues("gdbpool.pools.refusing.url=" + TestDatabase.replicaUrl(),
					"gdbpool.pools.refusing.role=read", "gdbpool.pools.refusing.username=no_such_role_for_gdbpool",
					"gdbpool.routing.check-interval=200ms")
			// a pool that answers, to tell when the monitor has checked again (it checks
			// all pools in rounds)
			.withPropertyValues(GDBPoolContextRunner.pool("replica", TestDatabase.replicaUrl(), "read"))
			.run((context) -> {
				CompositeHealthContributor db = (CompositeHealthContributor) context.getBean("dbHealthContributor");
				// checked again and again by the monitor: the reason stays the server's
				// own, not a timeout or an interrupt
				Pool marker = context.getBean(PoolRegistry.class).get("replica");
				for (int i = 0; i < 3; i++) {
					MonitorChecks.awaitNextCheck(marker);
				}
				Health refusing = health(db, "refusing");
				assertThat(refusing.getDetails()).containsEntry("inRotation", false);
				assertThat(refusing.getDetails().get("error")).asString()
					.contains("role \"no_such_role_for_gdbpool\" does not exist")
					.doesNotContain("nterrupted");
			});
	}

	@Test
	void withoutFallbackAnEjectedReplicaIsDownAndOpenPartialTransactionsShow() {
		this.runner
			.withPropertyValues("gdbpool.pools.gone.url=jdbc:postgresql://127.0.0.1:1/test",
					"gdbpool.pools.gone.role=read", "gdbpool.pools.gone.hikari.connection-timeout=500",
					"gdbpool.routing.fallback-to-primary=false")
			.run((context) -> {
				CompositeHealthContributor db = (CompositeHealthContributor) context.getBean("dbHealthContributor");
				assertThat(health(db, "gone").getStatus()).isEqualTo(Status.DOWN);
				PartialTransaction<Integer> hold = context.getBean(GDBPoolTemplate.class).begin((status) -> 1);
				try {
					assertThat(health(db, "partialTransactions").getDetails()).containsEntry("open", 1);
				}
				finally {
					hold.rollback();
				}
			});
	}

	@Test
	void metersCountRoutingFallbacksPartialTransactionsAndCarryHikarisOwn() {
		this.runner.withPropertyValues(GDBPoolContextRunner.pool("replica", TestDatabase.replicaUrl(), "read"))
			.withPropertyValues("gdbpool.partial-transactions.idle-timeout=100ms")
			.run((context) -> {
				MeterRegistry registry = bind(context);
				GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
				for (int i = 0; i < 7; i++) {
					template.queryForList("SELECT 1");
				}
				for (int i = 0; i < 3; i++) {
					template.update("SET LOCAL work_mem = '4MB'");
				}
				template.begin((status) -> 1).commit();
				template.begin((status) -> 1).rollback();
				PartialTransaction<Integer> abandoned = template.begin((status) -> 1);
				await().atMost(5, TimeUnit.SECONDS).until(() -> !abandoned.isOpen());

				assertThat(registry.get("gdbpool.routed")
					.tags("pool", "replica", "route", "read")
					.functionCounter()
					.count()).isEqualTo(7);
				// 3 updates and 3 partial transactions on the write route
				assertThat(registry.get("gdbpool.routed")
					.tags("pool", "primary", "route", "write")
					.functionCounter()
					.count()).isEqualTo(6);
				assertThat(
						registry.get("gdbpool.partial.completed").tag("outcome", "committed").functionCounter().count())
					.isEqualTo(1);
				assertThat(registry.get("gdbpool.partial.completed")
					.tag("outcome", "rolled_back")
					.functionCounter()
					.count()).isEqualTo(1);
				assertThat(
						registry.get("gdbpool.partial.completed").tag("outcome", "expired").functionCounter().count())
					.isEqualTo(1);
				assertThat(registry.get("gdbpool.partial.open").gauge().value()).isZero();
				assertThat(registry.get("gdbpool.replica.in.rotation").tag("pool", "replica").gauge().value())
					.isEqualTo(1);
				assertThat(registry.get("gdbpool.replica.ejections").tag("pool", "replica").functionCounter().count())
					.isZero();
				// Hikari's own meters, per pool
				assertThat(registry.get("hikaricp.connections.max").tag("pool", "gdbpool-primary").gauge().value())
					.isEqualTo(4);
				assertThat(registry.get("hikaricp.connections.max").tag("pool", "gdbpool-replica").gauge().value())
					.isEqualTo(4);
				assertThat(registry.get("hikaricp.connections.usage").tag("pool", "gdbpool-primary").timer().count())
					.isPositive();
			});
	}

	@Test
	void notificationMetersTagDeclaredChannelsAndCountRuntimeOnesTogether() {
		String declared = TestDatabase.uniqueName("declared");
		String dynamic = TestDatabase.uniqueName("dynamic");
		this.runner.withConfiguration(AutoConfigurations.of(GDBPoolListenerAutoConfiguration.class))
			.withPropertyValues("gdbpool.listener.channels=" + declared)
			.run((context) -> {
				io.gdbpool.notify.PgNotificationListener listener = context
					.getBean(io.gdbpool.notify.PgNotificationListener.class);
				MeterRegistry registry = bind(context);
				listener.subscribe(declared, (n) -> {
					throw new IllegalStateException("handler failure, on purpose");
				});
				java.util.concurrent.atomic.AtomicInteger seen = new java.util.concurrent.atomic.AtomicInteger();
				listener.subscribe(dynamic, (n) -> seen.incrementAndGet());
				TestDatabase.execute("SELECT pg_notify('" + declared + "', 'x' || g) FROM generate_series(1, 3) g",
						"SELECT pg_notify('" + dynamic + "', 'y' || g) FROM generate_series(1, 2) g");
				await().atMost(10, TimeUnit.SECONDS)
					.until(() -> registry.get("gdbpool.notify.handler.failures")
						.tag("channel", declared)
						.functionCounter()
						.count() == 3 && seen.get() == 2);
				assertThat(registry.get("gdbpool.notify.received").tag("channel", declared).functionCounter().count())
					.isEqualTo(3);
				assertThat(registry.get("gdbpool.notify.received").tag("channel", "_other").functionCounter().count())
					.isEqualTo(2);
				assertThat(registry.find("gdbpool.notify.received").tag("channel", dynamic).functionCounter()).isNull();
				assertThat(registry.get("gdbpool.notify.dropped").tag("channel", declared).functionCounter().count())
					.isZero();
				assertThat(registry.get("gdbpool.listener.connected").gauge().value()).isEqualTo(1);
				await().atMost(10, TimeUnit.SECONDS)
					.until(() -> registry.get("gdbpool.notify.handler")
						.tag("channel", "_other")
						.functionTimer()
						.count() == 2);
				assertThat(registry.get("gdbpool.notify.handler").tag("channel", declared).functionTimer().count())
					.isEqualTo(3);
				assertThat(registry.get("gdbpool.notify.handler")
					.tag("channel", declared)
					.functionTimer()
					.totalTime(TimeUnit.NANOSECONDS)).isPositive();
				assertThat(registry.get("gdbpool.listener.reconnects").functionCounter().count()).isZero();
			});
	}

	@Test
	void fallbacksAreCounted() {
		this.runner.run((context) -> {
			MeterRegistry registry = bind(context);
			GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
			for (int i = 0; i < 4; i++) {
				template.queryForList("SELECT 1");
			}
			assertThat(registry.get("gdbpool.fallbacks").functionCounter().count()).isEqualTo(4);
			assertThat(
					registry.get("gdbpool.routed").tags("pool", "primary", "route", "read").functionCounter().count())
				.isEqualTo(4);
		});
	}

	@Test
	void theListenerIsUpWhileConnectedAndDownWithItsDowntimeWhileReconnecting() {
		String role = TestDatabase.uniqueName("listener_role");
		String channel = TestDatabase.uniqueName("health_chan");
		TestDatabase.execute("CREATE ROLE " + role + " LOGIN");
		try {
			this.runner.withConfiguration(AutoConfigurations.of(GDBPoolListenerAutoConfiguration.class))
				.withPropertyValues("gdbpool.listener.url=" + TestDatabase.url() + "?user=" + role,
						"gdbpool.listener.channels=" + channel, "gdbpool.listener.reconnect-max-backoff=200ms")
				.run((context) -> {
					HealthIndicator listener = (HealthIndicator) context.getBean("pgListenerHealthContributor");
					assertThat(listener.health().getStatus()).isEqualTo(Status.UP);
					assertThat(listener.health().getDetails()).containsEntry("channels", 1);
					// the server refuses the listener's role and drops its session: it
					// cannot come back
					int pid = ((io.gdbpool.notify.PgListenerContainer) context.getBean("pgNotificationListener"))
						.backendPid();
					TestDatabase.execute("ALTER ROLE " + role + " NOLOGIN", "SELECT pg_terminate_backend(" + pid + ")");
					await().atMost(10, TimeUnit.SECONDS).until(() -> listener.health().getStatus().equals(Status.DOWN));
					// still reconnecting, and the downtime it reports grows while it is
					await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> {
						Health down = listener.health();
						assertThat(down.getStatus()).isEqualTo(Status.DOWN);
						assertThat(down.getDetails()).containsEntry("state", "reconnecting");
						assertThat(java.time.Duration.parse((String) down.getDetails().get("downtime")))
							.isGreaterThan(java.time.Duration.ofMillis(200));
					});
					TestDatabase.execute("ALTER ROLE " + role + " LOGIN");
					await().atMost(10, TimeUnit.SECONDS).until(() -> listener.health().getStatus().equals(Status.UP));
					assertThat(listener.health().getDetails()).containsEntry("reconnects", 1L);
				});
		}
		finally {
			TestDatabase.execute("DROP ROLE IF EXISTS " + role);
		}
	}

	private static MeterRegistry bind(ApplicationContext context) {
		MeterRegistry registry = new SimpleMeterRegistry();
		Map<String, MeterBinder> binders = context.getBeansOfType(MeterBinder.class);
		assertThat(binders).isNotEmpty();
		binders.values().forEach((binder) -> binder.bindTo(registry));
		return registry;
	}

	private static Health health(CompositeHealthContributor composite, String name) {
		return ((HealthIndicator) composite.getContributor(name)).health();
	}

}
