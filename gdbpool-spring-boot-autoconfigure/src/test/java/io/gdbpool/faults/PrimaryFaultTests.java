package io.gdbpool.faults;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.gdbpool.GDBPoolTemplate;
import io.gdbpool.autoconfigure.GDBPoolHealthAutoConfiguration;
import io.gdbpool.autoconfigure.PoolProperties;
import io.gdbpool.routing.Pool;
import io.gdbpool.routing.PoolRegistry;
import io.gdbpool.test.GDBPoolContextRunner;
import io.gdbpool.test.ScratchReplica;
import io.gdbpool.test.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.dao.DataAccessException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The write pool's server stopped or frozen, with default settings: health answers at
 * once and says DOWN within seconds, writes fail at once with a message that says why
 * instead of waiting for the pool, and everything comes back when the server does. The
 * server is a scratch primary (a promoted scratch replica), so the shared test database
 * is never touched.
 */
@ExtendWith(TestDatabase.class)
class PrimaryFaultTests {

	private static ScratchReplica server;

	@BeforeAll
	static void startServer() {
		TestDatabase.url();
		server = ScratchReplica.start(5438);
	}

	@AfterAll
	static void stopServer() {
		if (server != null) {
			server.close();
		}
	}

	@BeforeEach
	void freshPrimary() {
		server.restart();
		server.promote();
		await().atMost(30, TimeUnit.SECONDS).until(() -> !isStandby());
		TestDatabase.connect(server.url());
		execute("CREATE TABLE IF NOT EXISTS fault_write (id serial PRIMARY KEY, at timestamptz DEFAULT now())");
	}

	private ApplicationContextRunner runner() {
		return GDBPoolContextRunner.create()
			.withConfiguration(AutoConfigurations.of(GDBPoolHealthAutoConfiguration.class))
			.withPropertyValues(GDBPoolContextRunner.pool("main", server.url(), "write"));
	}

	@Test
	void aStoppedPrimaryIsDownInHealthAtOnceAndWritesFailFastUntilItIsBack() {
		runner().run((context) -> {
			GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
			Pool pool = context.getBean(PoolRegistry.class).get("main");
			CompositeHealthContributor db = (CompositeHealthContributor) context.getBean("dbHealthContributor");
			assertThat(template.update("INSERT INTO fault_write DEFAULT VALUES")).isEqualTo(1);
			assertThat(timedHealth(db).getStatus()).isEqualTo(Status.UP);
			server.stop();
			await().atMost(Duration.ofSeconds(10)).until(() -> timedHealth(db).getStatus().equals(Status.DOWN));
			assertThat(timedHealth(db).getDetails()).containsKey("error").containsKey("silentSince");
			assertWriteFailsWithoutWaitingForThePool(template, pool, "Write pool 'main'");
			assertThat(pool.isAnswering()).isFalse();
			freshPrimary();
			await().atMost(Duration.ofSeconds(15)).until(() -> timedHealth(db).getStatus().equals(Status.UP));
			await().atMost(Duration.ofSeconds(15))
				.ignoreExceptions()
				.untilAsserted(
						() -> assertThat(template.update("INSERT INTO fault_write DEFAULT VALUES")).isEqualTo(1));
		});
	}

	@Test
	void aFrozenPrimaryNeverMakesHealthWaitAndWritesFailFastOnceNoticed() {
		runner().run((context) -> {
			GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
			Pool pool = context.getBean(PoolRegistry.class).get("main");
			CompositeHealthContributor db = (CompositeHealthContributor) context.getBean("dbHealthContributor");
			assertThat(template.update("INSERT INTO fault_write DEFAULT VALUES")).isEqualTo(1);
			server.freeze();
			try {
				await().atMost(Duration.ofSeconds(10)).until(() -> timedHealth(db).getStatus().equals(Status.DOWN));
				assertWriteFailsWithoutWaitingForThePool(template, pool, "is not answering");
			}
			finally {
				server.thaw();
			}
			await().atMost(Duration.ofSeconds(15)).until(() -> timedHealth(db).getStatus().equals(Status.UP));
			await().atMost(Duration.ofSeconds(15))
				.ignoreExceptions()
				.untilAsserted(
						() -> assertThat(template.update("INSERT INTO fault_write DEFAULT VALUES")).isEqualTo(1));
		});
	}

	@Test
	void aStatementRunningWhenThePrimaryFreezesFailsInsteadOfWaitingForever() throws Exception {
		runner().run((context) -> {
			GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
			java.util.concurrent.CompletableFuture<Object> running = java.util.concurrent.CompletableFuture
				.supplyAsync(() -> template
					.execute((status) -> template.jdbc().sql("SELECT pg_sleep(60)").query().singleValue()));
			// the statement is on the server when it freezes
			await().atMost(Duration.ofSeconds(10)).until(() -> sleepingSessions() == 1);
			server.freeze();
			try {
				// a few silent checks later the monitor aborts it: an error, long before
				// the server thaws
				assertThatThrownBy(() -> running.get(30, TimeUnit.SECONDS))
					.isInstanceOf(java.util.concurrent.ExecutionException.class)
					.cause()
					.isInstanceOf(DataAccessException.class);
			}
			finally {
				server.thaw();
			}
			await().atMost(Duration.ofSeconds(15))
				.ignoreExceptions()
				.untilAsserted(
						() -> assertThat(template.update("INSERT INTO fault_write DEFAULT VALUES")).isEqualTo(1));
		});
	}

	private static int sleepingSessions() {
		try (var connection = TestDatabase.connect(server.url());
				var rs = connection.createStatement()
					.executeQuery(
							"SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(60)%' AND state = 'active'")) {
			rs.next();
			return rs.getInt(1);
		}
		catch (java.sql.SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Once the monitor knows the server is silent, a write fails saying so without
	 * waiting for the pool at all: the pool is not even asked for a connection. (Asked,
	 * it would wait its connection-timeout, 5 s by default, on a stopped or frozen
	 * server.)
	 */
	private static void assertWriteFailsWithoutWaitingForThePool(GDBPoolTemplate template, Pool pool, String message) {
		long asked = pool.getWritesRouted();
		Duration connectionTimeout = Duration.ofMillis(pool.getDataSource().getConnectionTimeout());
		long start = System.nanoTime();
		assertThatThrownBy(() -> template.update("INSERT INTO fault_write DEFAULT VALUES"))
			.isInstanceOf(DataAccessException.class)
			.rootCause()
			.hasMessageContaining(message)
			.hasMessageContaining("is not answering");
		assertThat(pool.getWritesRouted()).as("connections asked of the silent pool").isEqualTo(asked);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(connectionTimeout);
	}

	/**
	 * The write pool's health, asserting it never waits on the server. A health check
	 * that asked a frozen server would hang, or wait the pool's connection-timeout (5 s
	 * by default) for a connection; the bound is that timeout, which an answer from
	 * memory is far below even on a slow 2-core box.
	 */
	private static Health timedHealth(CompositeHealthContributor db) {
		HealthIndicator indicator = (HealthIndicator) db.getContributor("main");
		long start = System.nanoTime();
		Health health = indicator.health();
		assertThat(Duration.ofNanos(System.nanoTime() - start))
			.isLessThan(PoolProperties.WRITE_POOL_CONNECTION_TIMEOUT);
		return health;
	}

	private static boolean isStandby() {
		try (var connection = TestDatabase.connect(server.url());
				var rs = connection.createStatement().executeQuery("SELECT pg_is_in_recovery()")) {
			rs.next();
			return rs.getBoolean(1);
		}
		catch (Exception ex) {
			return true;
		}
	}

	private static void execute(String sql) {
		try (var connection = TestDatabase.connect(server.url()); var statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (java.sql.SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
