package io.gdbpool.routing;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.gdbpool.GDBPoolTemplate;
import io.gdbpool.test.GDBPoolContextRunner;
import io.gdbpool.test.MonitorChecks;
import io.gdbpool.test.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.dao.DataAccessException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Load balancing across two real streaming replicas, and roles that change under
 * failover.
 */
@ExtendWith(TestDatabase.class)
class LoadBalancingAndFailoverTests {

	private ApplicationContextRunner twoReplicas(String loadBalance) {
		return GDBPoolContextRunner.create()
			.withPropertyValues(GDBPoolContextRunner.pool("primary", TestDatabase.url(), "write"))
			.withPropertyValues(GDBPoolContextRunner.pool("replica-a", TestDatabase.replicaUrl(), "read"))
			.withPropertyValues(GDBPoolContextRunner.pool("replica-b", TestDatabase.secondReplicaUrl(), "read"))
			.withPropertyValues("gdbpool.routing.load-balance=" + loadBalance);
	}

	@Test
	void roundRobinSplitsReadsEvenlyAcrossTwoReplicas() {
		twoReplicas("round-robin").run((context) -> {
			Map<Integer, Integer> byPort = readPorts(context.getBean(GDBPoolTemplate.class), 100);
			assertThat(byPort).containsOnlyKeys(RoutingIntegrationTests.portOf(TestDatabase.replicaUrl()),
					RoutingIntegrationTests.portOf(TestDatabase.secondReplicaUrl()));
			assertThat(byPort.values()).containsOnly(50);
			PoolRegistry pools = context.getBean(PoolRegistry.class);
			assertThat(pools.get("replica-a").getReadsRouted()).isEqualTo(50);
			assertThat(pools.get("replica-b").getReadsRouted()).isEqualTo(50);
		});
	}

	@Test
	void aReplicaWhosePoolIsExhaustedIsBusyNotBrokenAndStaysInRotation() throws Exception {
		twoReplicas("round-robin").withPropertyValues("gdbpool.routing.check-interval=200ms").run((context) -> {
			Pool replica = context.getBean(PoolRegistry.class).get("replica-a");
			List<Connection> busy = new ArrayList<>();
			try {
				for (int i = 0; i < 4; i++) {
					busy.add(replica.getDataSource().getConnection());
				}
				// several checks complete while every connection is in use (a check that
				// waited for one would time out and eject the pool): the monitor checks
				// the server on a connection of its own
				for (int i = 0; i < 3; i++) {
					MonitorChecks.awaitNextCheck(replica);
				}
				assertThat(replica.isInRotation()).isTrue();
				assertThat(replica.getEjections()).isZero();
				assertThat(replica.getLastError()).isNull();
			}
			finally {
				for (Connection connection : busy) {
					connection.close();
				}
			}
		});
	}

	@Test
	void leastActivePrefersTheIdleReplica() throws Exception {
		twoReplicas("least-active").run((context) -> {
			PoolRegistry pools = context.getBean(PoolRegistry.class);
			List<Connection> busy = new ArrayList<>();
			try {
				for (int i = 0; i < 3; i++) {
					busy.add(pools.get("replica-a").getDataSource().getConnection());
				}
				Map<Integer, Integer> byPort = readPorts(context.getBean(GDBPoolTemplate.class), 20);
				assertThat(byPort).containsOnlyKeys(RoutingIntegrationTests.portOf(TestDatabase.secondReplicaUrl()));
			}
			finally {
				for (Connection connection : busy) {
					connection.close();
				}
			}
		});
	}

	@Test
	void aBusyReplicaIsPassedOverButNotEjected() throws Exception {
		twoReplicas("round-robin")
			.withPropertyValues("gdbpool.pools.replica-a.hikari.maximum-pool-size=1",
					"gdbpool.pools.replica-a.hikari.connection-timeout=300")
			.run((context) -> {
				PoolRegistry pools = context.getBean(PoolRegistry.class);
				try (Connection only = pools.get("replica-a").getDataSource().getConnection()) {
					Map<Integer, Integer> byPort = readPorts(context.getBean(GDBPoolTemplate.class), 4);
					assertThat(byPort)
						.containsOnlyKeys(RoutingIntegrationTests.portOf(TestDatabase.secondReplicaUrl()));
				}
				assertThat(pools.get("replica-a").isInRotation()).isTrue();
				assertThat(pools.get("replica-a").getEjections()).isZero();
			});
	}

	@Test
	void randomUsesBothReplicas() {
		twoReplicas("random").run((context) -> {
			Map<Integer, Integer> byPort = readPorts(context.getBean(GDBPoolTemplate.class), 200);
			assertThat(byPort).hasSize(2);
			assertThat(byPort.values()).allSatisfy((n) -> assertThat(n).isBetween(50, 150));
		});
	}

	@Test
	void aWritePoolWhoseServerIsAStandbyRefusesWritesSayingSo() {
		String table = TestDatabase.uniqueName("demoted");
		TestDatabase.execute("CREATE TABLE " + table + " (id int)");
		GDBPoolContextRunner.create()
			.withPropertyValues(GDBPoolContextRunner.pool("primary", TestDatabase.replicaUrl(), "write"))
			.withPropertyValues("gdbpool.routing.check-interval=100ms")
			.run((context) -> {
				Pool pool = context.getBean(PoolRegistry.class).get("primary");
				await().atMost(5, TimeUnit.SECONDS).until(pool::isStandby);
				assertThatThrownBy(
						() -> context.getBean(GDBPoolTemplate.class).update("INSERT INTO " + table + " VALUES (1)"))
					.isInstanceOf(DataAccessException.class)
					.rootCause()
					.hasMessageContaining("is connected to a standby")
					.hasMessageContaining("gdbpool.pools.primary.url");
			});
	}

	@Test
	void aReadPoolWhoseServerWasPromotedKeepsServingReadsAndSaysSo() {
		GDBPoolContextRunner.create()
			.withPropertyValues(GDBPoolContextRunner.pool("primary", TestDatabase.url(), "write"))
			.withPropertyValues(GDBPoolContextRunner.pool("promoted", TestDatabase.url(), "read"))
			.withPropertyValues("gdbpool.routing.check-interval=100ms", "gdbpool.routing.max-replica-lag=1s")
			.run((context) -> {
				Pool pool = context.getBean(PoolRegistry.class).get("promoted");
				await().atMost(5, TimeUnit.SECONDS).until(() -> !pool.isStandby());
				assertThat(pool.isInRotation()).isTrue();
				assertThat(pool.isLagging()).isFalse();
				assertThat(context.getBean(GDBPoolTemplate.class)
					.queryForList("SELECT current_setting('application_name') AS pool"))
					.containsExactly(Map.of("pool", "gdbpool-promoted"));
			});
	}

	private static Map<Integer, Integer> readPorts(GDBPoolTemplate template, int reads) {
		Map<Integer, Integer> byPort = new HashMap<>();
		for (int i = 0; i < reads; i++) {
			int port = ((Number) template.queryForList("SELECT inet_server_port() AS port").get(0).get("port"))
				.intValue();
			byPort.merge(port, 1, Integer::sum);
		}
		return byPort;
	}

}
