package io.gdbpool.routing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.gdbpool.GDBPoolTemplate;
import io.gdbpool.PartialTransaction;
import io.gdbpool.test.GDBPoolContextRunner;
import io.gdbpool.test.ScratchReplica;
import io.gdbpool.test.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A replica that lags, stops and comes back, on a real streaming replica of our own.
 */
@ExtendWith(TestDatabase.class)
class ReplicaHealthAndLagTests {

	private static ScratchReplica replica;

	@BeforeAll
	static void startReplica() {
		TestDatabase.url();
		replica = ScratchReplica.start(5435);
	}

	@AfterAll
	static void stopReplica() {
		if (replica != null) {
			replica.close();
		}
	}

	private ApplicationContextRunner runner(String... properties) {
		return GDBPoolContextRunner.create()
			.withPropertyValues(GDBPoolContextRunner.pool("primary", TestDatabase.url(), "write"))
			.withPropertyValues(GDBPoolContextRunner.pool("replica", replica.url(), "read"))
			.withPropertyValues("gdbpool.routing.check-interval=200ms",
					"gdbpool.pools.replica.hikari.connection-timeout=1000")
			.withPropertyValues(properties);
	}

	@Test
	void readYourWritesReadsFromThePrimaryUntilTheReplicaHasReplayedTheWrite() throws Exception {
		String table = TestDatabase.uniqueName("ryw");
		TestDatabase.execute("CREATE TABLE " + table + " (id int)");
		TestDatabase.awaitReplay(replica.url());
		runner("gdbpool.routing.read-your-writes=lsn").run((context) -> {
			GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
			String count = "SELECT count(*) AS n, current_setting('application_name') AS pool FROM " + table;
			replica.pauseReplay();
			try {
				LastWriteLsn.clear();
				assertThat(template.lastWriteLsn()).isNull();
				template.update("INSERT INTO " + table + " VALUES (1)");
				String lsn = template.lastWriteLsn();
				assertThat(lsn).matches("[0-9A-F]+/[0-9A-F]+");
				// the writer sees its row: served by the primary, the replica has not
				// replayed it
				assertThat(template.queryForList(count)).containsExactly(Map.of("n", 1L, "pool", "gdbpool-primary"));
				// as does async work it starts
				assertThat(template.readOnly()
					.executeAsync((status) -> template.queryForList(count))
					.get(10, TimeUnit.SECONDS)).containsExactly(Map.of("n", 1L, "pool", "gdbpool-primary"));
				// a thread that wrote nothing still reads the (stale) replica
				List<Map<String, Object>> other = CompletableFuture.supplyAsync(() -> template.queryForList(count))
					.get(10, TimeUnit.SECONDS);
				assertThat(other).containsExactly(Map.of("n", 0L, "pool", "gdbpool-replica"));
				// the LSN handed to another thread (or service) carries the guarantee
				List<Map<String, Object>> handedOn = CompletableFuture
					.supplyAsync(() -> template.readAfter(lsn).queryForList(count))
					.get(10, TimeUnit.SECONDS);
				assertThat(handedOn).containsExactly(Map.of("n", 1L, "pool", "gdbpool-primary"));
				// and composes: its read-only view, its interactions and partial
				// transactions keep the LSN
				CompletableFuture.runAsync(() -> {
					GDBPoolTemplate after = template.readAfter(lsn);
					assertThat(after.readOnly()).isSameAs(after);
					assertThat(after.readOnly().queryForList(count))
						.containsExactly(Map.of("n", 1L, "pool", "gdbpool-primary"));
					List<Map<String, Object>> inInteraction = after.execute((status) -> template.queryForList(count));
					assertThat(inInteraction).containsExactly(Map.of("n", 1L, "pool", "gdbpool-primary"));
					try (PartialTransaction<List<Map<String, Object>>> partial = after
						.begin((status) -> template.queryForList(count))) {
						assertThat(partial.result()).containsExactly(Map.of("n", 1L, "pool", "gdbpool-primary"));
					}
					// an older position lets the stale replica serve; the later of two
					// positions counts
					String older = Lsn.format(Lsn.parse(lsn) - 1_000_000);
					assertThat(template.readAfter(older).queryForList(count))
						.containsExactly(Map.of("n", 0L, "pool", "gdbpool-replica"));
					assertThat(template.readAfter(older).readAfter(lsn).queryForList(count))
						.containsExactly(Map.of("n", 1L, "pool", "gdbpool-primary"));
					assertThat(template.readAfter(lsn).readAfter(older).queryForList(count))
						.containsExactly(Map.of("n", 1L, "pool", "gdbpool-primary"));
				}).get(10, TimeUnit.SECONDS);
				// a write transaction records its commit too
				template.execute((status) -> template.update("INSERT INTO " + table + " VALUES (2)"));
				assertThat(Lsn.parse(template.lastWriteLsn())).isGreaterThan(Lsn.parse(lsn));
				assertThat(template.queryForList(count)).containsExactly(Map.of("n", 2L, "pool", "gdbpool-primary"));
			}
			finally {
				replica.resumeReplay();
			}
			await().atMost(10, TimeUnit.SECONDS)
				.until(() -> template.queryForList(count).equals(List.of(Map.of("n", 2L, "pool", "gdbpool-replica"))));
		});
	}

	@Test
	void aReplicaLaggingMoreThanMaxReplicaLagIsSkippedUntilItCatchesUp() {
		String table = TestDatabase.uniqueName("lag");
		TestDatabase.execute("CREATE TABLE " + table + " (id int)");
		runner("gdbpool.routing.max-replica-lag=600ms").run((context) -> {
			GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
			Pool pool = context.getBean(PoolRegistry.class).get("replica");
			await().atMost(5, TimeUnit.SECONDS).until(() -> servedBy(template).equals("gdbpool-replica"));
			replica.pauseReplay();
			try {
				TestDatabase.execute("INSERT INTO " + table + " VALUES (1)");
				await().atMost(5, TimeUnit.SECONDS).until(() -> servedBy(template).equals("gdbpool-primary"));
				assertThat(pool.isLagging()).isTrue();
				// skipped for the reason configured: behind by more than max-replica-lag
				// (in time; no byte limit is set), while it answers and stays in rotation
				assertThat(pool.getLagMillis()).isGreaterThan(600);
				assertThat(pool.getLagBytes()).isPositive();
				assertThat(pool.isInRotation()).isTrue();
			}
			finally {
				replica.resumeReplay();
			}
			await().atMost(5, TimeUnit.SECONDS).until(() -> servedBy(template).equals("gdbpool-replica"));
			assertThat(pool.isLagging()).isFalse();
		});
	}

	@Test
	void maxReplicaLagBytesAlsoSkipsALaggingReplica() {
		String table = TestDatabase.uniqueName("lagbytes");
		TestDatabase.execute("CREATE TABLE " + table + " (id int)");
		runner("gdbpool.routing.max-replica-lag-bytes=1KB").run((context) -> {
			GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
			await().atMost(5, TimeUnit.SECONDS).until(() -> servedBy(template).equals("gdbpool-replica"));
			replica.pauseReplay();
			try {
				TestDatabase.execute("INSERT INTO " + table + " SELECT g FROM generate_series(1, 1000) g");
				await().atMost(5, TimeUnit.SECONDS).until(() -> servedBy(template).equals("gdbpool-primary"));
			}
			finally {
				replica.resumeReplay();
			}
			await().atMost(5, TimeUnit.SECONDS).until(() -> servedBy(template).equals("gdbpool-replica"));
		});
	}

	@Test
	void aStoppedReplicaIsSkippedWithoutErrorsAndComesBackWhenItAnswers() {
		runner().run((context) -> {
			GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
			Pool pool = context.getBean(PoolRegistry.class).get("replica");
			assertThat(servedBy(template)).isEqualTo("gdbpool-replica");
			replica.stop();
			try {
				int errors = 0;
				for (int i = 0; i < 50; i++) {
					try {
						assertThat(servedBy(template)).isEqualTo("gdbpool-primary");
					}
					catch (RuntimeException ex) {
						errors++;
					}
				}
				assertThat(errors).isZero();
				assertThat(pool.isInRotation()).isFalse();
				assertThat(context.getBean(RoutingDataSource.class).getFallbacks()).isGreaterThanOrEqualTo(50);
			}
			finally {
				replica.restart();
			}
			await().atMost(15, TimeUnit.SECONDS).until(() -> servedBy(template).equals("gdbpool-replica"));
			assertThat(pool.isInRotation()).isTrue();
		});
	}

	@Test
	void withoutFallbackReadsFailFastWhenEveryReplicaIsDown() {
		GDBPoolContextRunner.create()
			.withPropertyValues(GDBPoolContextRunner.pool("primary", TestDatabase.url(), "write"))
			// a long connection-timeout: a read that waited for the dead pool would show
			.withPropertyValues("gdbpool.pools.gone.url=jdbc:postgresql://127.0.0.1:1/test",
					"gdbpool.pools.gone.role=read", "gdbpool.pools.gone.hikari.connection-timeout=20000",
					"gdbpool.routing.fallback-to-primary=false")
			.run((context) -> {
				GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
				Pool gone = context.getBean(PoolRegistry.class).get("gone");
				long start = System.nanoTime();
				assertThatThrownBy(() -> template.queryForList("SELECT 1"))
					.isInstanceOf(CannotGetJdbcConnectionException.class)
					.rootCause()
					.isInstanceOf(NoReadPoolAvailableException.class)
					.hasMessageContaining("gone=out of rotation");
				// fast because the pool out of rotation was not asked for a connection at
				// all
				assertThat(gone.getReadsRouted()).isZero();
				// and so well within the pool's 20 s connection-timeout, by a margin no
				// slow box eats
				assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
			});
	}

	private static String servedBy(GDBPoolTemplate template) {
		return (String) template.queryForList("SELECT current_setting('application_name') AS pool").get(0).get("pool");
	}

}
