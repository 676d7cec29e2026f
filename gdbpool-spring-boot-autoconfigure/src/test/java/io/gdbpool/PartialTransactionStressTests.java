package io.gdbpool;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariPoolMXBean;

import io.gdbpool.routing.PoolRegistry;
import io.gdbpool.test.GDBPoolContextRunner;
import io.gdbpool.test.TestDatabase;
import io.gdbpool.transaction.PartialTransactions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * 10,000 partial transactions on a pool of 10 from 50 threads, a third of them abandoned:
 * nothing leaks, nothing stays locked, every outcome is what was asked for.
 */
@ExtendWith(TestDatabase.class)
class PartialTransactionStressTests {

	private static final int TRANSACTIONS = 10_000;

	@Test
	void tenThousandPartialTransactionsWithAThirdAbandonedLeaveNothingBehind() throws Exception {
		String table = TestDatabase.uniqueName("stress");
		TestDatabase.execute("CREATE TABLE " + table + " (id int PRIMARY KEY, outcome text)",
				"INSERT INTO " + table + " SELECT g, NULL FROM generate_series(0, " + (TRANSACTIONS - 1) + ") g");
		// the pool's sessions carry a name of their own, so the server can be asked about
		// them alone
		String sessions = TestDatabase.uniqueName("gdbpool-stress");
		GDBPoolContextRunner.create()
			.withPropertyValues(GDBPoolContextRunner.pool("primary", TestDatabase.url(), "write"))
			.withPropertyValues("gdbpool.pools.primary.hikari.data-source-properties.ApplicationName=" + sessions)
			.withPropertyValues("gdbpool.pools.primary.hikari.maximum-pool-size=10",
					"gdbpool.pools.primary.hikari.connection-timeout=120000",
					"gdbpool.partial-transactions.idle-timeout=200ms",
					// every connection may hold one; begins beyond wait for a place
					// instead of failing
					"gdbpool.partial-transactions.max-open=10", "gdbpool.partial-transactions.begin-wait=5m")
			.run((context) -> {
				GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
				// 0 = commit, 1 = roll back, 2 = abandon
				int[] fate = new int[TRANSACTIONS];
				for (int i = 0; i < TRANSACTIONS; i++) {
					fate[i] = ThreadLocalRandom.current().nextInt(3);
				}
				ExecutorService threads = Executors.newFixedThreadPool(50);
				List<Future<?>> done = new ArrayList<>();
				for (int i = 0; i < TRANSACTIONS; i++) {
					int id = i;
					done.add(threads.submit(() -> {
						PartialTransaction<Integer> hold = template.begin((status) -> template.jdbc()
							.sql("SELECT id FROM " + table + " WHERE id = ? FOR UPDATE")
							.param(id)
							.query(Integer.class)
							.single());
						hold.continueWith(
								(status) -> template.update("UPDATE " + table + " SET outcome = ? WHERE id = ?",
										(fate[id] == 0) ? "committed" : "not committed", hold.result()));
						if (fate[id] == 0) {
							hold.commit();
						}
						else if (fate[id] == 1) {
							hold.rollback();
						}
						return null;
					}));
				}
				for (Future<?> future : done) {
					future.get(5, TimeUnit.MINUTES);
				}
				threads.shutdown();

				PartialTransactions partials = context.getBean(PartialTransactions.class);
				await().atMost(10, TimeUnit.SECONDS).until(() -> partials.getOpenCount() == 0);
				HikariPoolMXBean pool = context.getBean(PoolRegistry.class)
					.get("primary")
					.getDataSource()
					.getHikariPoolMXBean();
				// no connection leaked: every one comes back to the pool. Awaited, not
				// sampled once: the replica monitor may borrow one for a moment, while a
				// leaked one would never come back
				await().atMost(10, TimeUnit.SECONDS)
					.untilAsserted(() -> assertThat(pool.getActiveConnections()).as("connections in use").isZero());
				await().atMost(10, TimeUnit.SECONDS)
					.untilAsserted(
							() -> assertThat(pool.getTotalConnections()).as("connections in the pool").isEqualTo(10));
				// and no session of the pool is left inside a transaction on the server
				assertThat(template.jdbc()
					.sql("SELECT count(*) FROM pg_stat_activity WHERE application_name = ? AND state LIKE 'idle in transaction%'")
					.param(sessions)
					.query(Integer.class)
					.single()).isZero();

				int committed = 0;
				for (int f : fate) {
					committed += (f == 0) ? 1 : 0;
				}
				assertThat(partials.getCommitted()).isEqualTo(committed);
				assertThat(partials.getRolledBack() + partials.getExpired()).isEqualTo(TRANSACTIONS - committed);
				assertThat(partials.getExpired()).isPositive();

				List<Integer> committedIds = template.jdbc()
					.sql("SELECT id FROM " + table + " WHERE outcome = 'committed' ORDER BY id")
					.query(Integer.class)
					.list();
				List<Integer> expected = new ArrayList<>();
				for (int i = 0; i < TRANSACTIONS; i++) {
					if (fate[i] == 0) {
						expected.add(i);
					}
				}
				assertThat(committedIds).isEqualTo(expected);
				assertThat(template.jdbc()
					.sql("SELECT count(*) FROM " + table + " WHERE outcome IS NOT NULL AND outcome <> 'committed'")
					.query(Integer.class)
					.single()).isZero();
				assertThat(template.jdbc()
					.sql("SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = ?")
					.param(table)
					.query(Integer.class)
					.single()).isZero();
				// no lock of any session of the pool but this one (other servers' clients
				// may hold their own)
				assertThat(template.jdbc()
					.sql("SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE a.application_name = ?"
							+ " AND l.pid <> pg_backend_pid() AND (l.locktype = 'tuple' OR l.locktype = 'transactionid')")
					.param(sessions)
					.query(Integer.class)
					.single()).isZero();
			});
	}

}
