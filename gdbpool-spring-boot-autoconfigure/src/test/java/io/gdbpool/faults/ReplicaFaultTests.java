package io.gdbpool.faults;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.gdbpool.GDBPoolTemplate;
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
 * A real streaming replica that is stopped, killed with -9, frozen with SIGSTOP or stalls, while
 * reads run through the template with default settings: no read fails, none waits on the dead
 * server for long, the replica leaves rotation and comes back. (The waits are measured in
 * benchmarks/FAULTS.md; here they are only bounded loosely, as a 2-core machine can be slow.)
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
		// defaults on purpose: the targets hold for an application that configures nothing more
		return GDBPoolContextRunner.create()
			.withPropertyValues(GDBPoolContextRunner.pool("primary", TestDatabase.url(), "write"))
			.withPropertyValues(GDBPoolContextRunner.pool("replica", replica.url(), "read"));
	}

	@Test
	void readsDuringAReplicaStopNeitherFailNorHang() {
		readsSurvive(replica::stop, replica::restart, 5_000);
	}

	@Test
	void readsDuringAReplicaKillNeitherFailNorHang() {
		readsSurvive(replica::kill, replica::restart, 5_000);
	}

	@Test
	void readsDuringAReplicaFreezeAreAbortedAndServedElsewhere() {
		// readers blocked on the frozen server are aborted by the monitor and retried
		readsSurvive(replica::freeze, replica::thaw, 8_000);
	}

	/**
	 * Reads run on four threads; the fault strikes; the reads carry on on the primary without an
	 * error, the replica leaves rotation, and comes back after the recovery.
	 */
	private void readsSurvive(Runnable fault, Runnable recovery, long longestReadMillis) {
		runner().run((context) -> {
			GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
			Pool pool = context.getBean(PoolRegistry.class).get("replica");
			try (ReadLoad load = new ReadLoad(template, 4)) {
				await().atMost(10, TimeUnit.SECONDS).until(() -> load.servedBy("gdbpool-replica") > 100);
				load.resetLongest();
				fault.run();
				try {
					long servedBefore = load.servedBy("gdbpool-primary");
					await().atMost(15, TimeUnit.SECONDS).until(() -> load.servedBy("gdbpool-primary") > servedBefore + 100);
					assertThat(pool.isInRotation()).isFalse();
					assertThat(load.errors()).isEmpty();
					assertThat(load.longestMillis()).isLessThan(longestReadMillis);
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
				// the default max-replica-lag is 10 s: past it the replica is skipped and reported lagging
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
		// a new base backup: no commit replayed since it started, so pg_last_xact_replay_timestamp() is null
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
		try (var connection = TestDatabase.connect(replica.url()); var rs = connection.createStatement().executeQuery(sql)) {
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
