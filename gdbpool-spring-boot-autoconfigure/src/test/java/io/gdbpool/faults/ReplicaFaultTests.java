package io.gdbpool.faults;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.gdbpool.GDBPoolTemplate;
import io.gdbpool.autoconfigure.GDBPoolProperties;
import io.gdbpool.routing.Pool;
import io.gdbpool.routing.PoolRegistry;
import io.gdbpool.test.GDBPoolContextRunner;
import io.gdbpool.test.ScratchReplica;
import io.gdbpool.test.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real streaming replica that is stopped, killed with -9, frozen with SIGSTOP or
 * stalls, while reads run through the template with default settings: no read fails, none
 * waits on the dead server for long, the replica leaves rotation and comes back. (The
 * waits are measured in benchmarks/FAULTS.md; here they are only bounded loosely, as a
 * 2-core machine can be slow.)
 */
@ExtendWith(TestDatabase.class)
class ReplicaFaultTests {

	private static ScratchReplica replica;

	@BeforeAll
	static void startReplica() {
		TestDatabase.url();
		replica = ScratchReplica.start(5437);
	}

	@AfterAll
	static void stopReplica() {
		if (replica != null) {
			replica.close();
		}
	}

	private ApplicationContextRunner runner() {
		// defaults on purpose: the targets hold for an application that configures
		// nothing more
		return GDBPoolContextRunner.create()
			.withPropertyValues(GDBPoolContextRunner.pool("primary", TestDatabase.url(), "write"))
			.withPropertyValues(GDBPoolContextRunner.pool("replica", replica.url(), "read"));
	}

	@Test
	void readsDuringAReplicaStopNeitherFailNorHang() {
		readsSurvive(replica::stop, replica::restart);
	}

	@Test
	void readsDuringAReplicaKillNeitherFailNorHang() {
		readsSurvive(replica::kill, replica::restart);
	}

	@Test
	void readsDuringAReplicaFreezeAreAbortedAndServedElsewhere() {
		// readers blocked on the frozen server are aborted by the monitor and retried
		readsSurvive(replica::freeze, replica::thaw);
	}

	/**
	 * Reads run on four threads; the fault strikes; the reads carry on on the primary
	 * without an error, the replica leaves rotation, and comes back after the recovery.
	 * <p>
	 * "Nor hang" is a bound made of the configured times: a read waits at most the read
	 * pool's connection-timeout for a connection (a stopped or killed server), or until
	 * the monitor's next check gives up on a silent server (within a probe timeout, no
	 * longer than a check interval) and aborts it (a frozen one), and is then tried once
	 * more. Without those limits it would wait forever (no socket timeout is set), so
	 * three times their sum still tells a bounded wait from a hang, and leaves a slow
	 * 2-core box room.
	 */
	private void readsSurvive(Runnable fault, Runnable recovery) {
		runner().run((context) -> {
			GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
			Pool pool = context.getBean(PoolRegistry.class).get("replica");
			Duration checkInterval = context.getBean(GDBPoolProperties.class).getRouting().getCheckInterval();
			Duration connectionTimeout = Duration.ofMillis(pool.getDataSource().getConnectionTimeout());
			Duration longestRead = connectionTimeout.plus(checkInterval.multipliedBy(2)).multipliedBy(3);
			try (ReadLoad load = new ReadLoad(template, 4)) {
				await().atMost(10, TimeUnit.SECONDS).until(() -> load.servedBy("gdbpool-replica") > 100);
				load.resetLongest();
				fault.run();
				try {
					long servedBefore = load.servedBy("gdbpool-primary");
					await().atMost(15, TimeUnit.SECONDS)
						.until(() -> load.servedBy("gdbpool-primary") > servedBefore + 100);
					assertThat(pool.isInRotation()).isFalse();
					assertThat(load.errors()).isEmpty();
					assertThat(Duration.ofMillis(load.longestMillis())).as("the longest read").isLessThan(longestRead);
				}
				finally {
					recovery.run();
				}
			}
			await().atMost(15, TimeUnit.SECONDS).until(pool::isInRotation);
		});
	}

	@Test
	void aStalledReplicaIsSkippedAndSaidToBeLaggingWithTheDefaultMaximumLag() {
		String table = TestDatabase.uniqueName("stall");
		TestDatabase.execute("CREATE TABLE " + table + " (id int)");
		runner().run((context) -> {
			GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
			Pool pool = context.getBean(PoolRegistry.class).get("replica");
			await().atMost(10, TimeUnit.SECONDS).until(() -> servedBy(template).equals("gdbpool-replica"));
			replica.pauseReplay();
			try {
				TestDatabase.execute("INSERT INTO " + table + " VALUES (1)");
				// the default max-replica-lag is 10 s: past it the replica is skipped and
				// reported lagging
				await().atMost(Duration.ofSeconds(20)).until(pool::isLagging);
				assertThat(pool.getLagMillis()).isGreaterThan(10_000);
				assertThat(servedBy(template)).isEqualTo("gdbpool-primary");
				assertThat(template.queryForList("SELECT count(*) AS n FROM " + table).get(0).get("n")).isEqualTo(1L);
			}
			finally {
				replica.resumeReplay();
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> !pool.isLagging());
		});
	}

	@Test
	void aFreshReplicaThatStallsBeforeReplayingAnyCommitIsStillSaidToBeLagging() {
		String table = TestDatabase.uniqueName("fresh_stall");
		TestDatabase.execute("CREATE TABLE " + table + " (id int)");
		// a new base backup: no commit replayed since it started, so
		// pg_last_xact_replay_timestamp() is null
		replica.stop();
		replica.restart();
		replica.pauseReplay();
		try {
			runner().run((context) -> {
				GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
				Pool pool = context.getBean(PoolRegistry.class).get("replica");
				await().atMost(10, TimeUnit.SECONDS).until(() -> pool.getLagBytes() == 0);
				assertThat(replicaScalar("SELECT pg_last_xact_replay_timestamp() IS NULL")).isEqualTo(true);
				TestDatabase.execute("INSERT INTO " + table + " VALUES (1)");
				await().atMost(Duration.ofSeconds(20)).until(pool::isLagging);
				assertThat(pool.getLagMillis()).isGreaterThan(10_000);
				assertThat(template.queryForList("SELECT count(*) AS n FROM " + table).get(0).get("n")).isEqualTo(1L);
			});
		}
		finally {
			replica.resumeReplay();
		}
	}

	private static Object replicaScalar(String sql) {
		try (var connection = TestDatabase.connect(replica.url());
				var rs = connection.createStatement().executeQuery(sql)) {
			rs.next();
			return rs.getObject(1);
		}
		catch (java.sql.SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String servedBy(GDBPoolTemplate template) {
		return (String) template.queryForList("SELECT current_setting('application_name') AS pool").get(0).get("pool");
	}

}
