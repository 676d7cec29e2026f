package io.gdbpool.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.gdbpool.GDBPoolTemplate;
import io.gdbpool.PartialTransaction;
import io.gdbpool.test.GDBPoolContextRunner;
import io.gdbpool.test.RowLocks;
import io.gdbpool.test.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Pools whose url goes through PgBouncer in transaction pooling mode (started by
 * scripts/pgbouncer.sh).
 */
@ExtendWith(TestDatabase.class)
class PgBouncerTests {

	private ApplicationContextRunner throughPgBouncer() {
		return GDBPoolContextRunner.create()
			.withPropertyValues(GDBPoolContextRunner.pool("bounced", TestDatabase.pgbouncerUrl(), "write"))
			.withPropertyValues("gdbpool.pools.bounced.pgbouncer=true");
	}

	@Test
	void parameterisedQueriesRunInALoopFromSeveralThreadsWithoutServerSidePreparedStatements() {
		throughPgBouncer().run((context) -> {
			PoolRegistry pools = context.getBean(PoolRegistry.class);
			assertThat(pools.get("bounced").getDataSource().getDataSourceProperties()).containsEntry("prepareThreshold",
					"0");
			GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
			List<CompletableFuture<Integer>> loops = new ArrayList<>();
			java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(4);
			for (int t = 0; t < 4; t++) {
				int offset = t * 1000;
				loops.add(CompletableFuture.supplyAsync(() -> {
					int ok = 0;
					for (int i = 0; i < 200; i++) {
						Map<String, Object> row = template
							.queryForList("SELECT ?::int + 1 AS n, ?::text AS s", offset + i, "x" + i)
							.get(0);
						if (row.get("n").equals(offset + i + 1) && row.get("s").equals("x" + i)) {
							ok++;
						}
					}
					return ok;
				}, threads));
			}
			for (CompletableFuture<Integer> loop : loops) {
				assertThat(loop.get(60, TimeUnit.SECONDS)).isEqualTo(200);
			}
			threads.shutdown();
		});
	}

	@Test
	void interactionsCommitAndRollBackThroughPgBouncer() {
		String table = TestDatabase.uniqueName("bounced");
		TestDatabase.execute("CREATE TABLE " + table + " (id int)");
		throughPgBouncer().run((context) -> {
			GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
			template.execute((status) -> template.update("INSERT INTO " + table + " VALUES (1)")
					+ template.update("INSERT INTO " + table + " VALUES (2)"));
			assertThatThrownBy(() -> template.execute((status) -> {
				template.update("INSERT INTO " + table + " VALUES (3)");
				throw new IllegalStateException("roll back");
			})).hasMessage("roll back");
			assertThat(template.queryForList("SELECT count(*) AS n FROM " + table)).containsExactly(Map.of("n", 2L));
		});
	}

	@Test
	void aPartialTransactionHoldsOneServerConnectionForItsWholeLife() {
		String table = TestDatabase.uniqueName("bounced_seat");
		TestDatabase.execute("CREATE TABLE " + table + " (id int PRIMARY KEY, held_by text)",
				"INSERT INTO " + table + " VALUES (1, NULL)");
		throughPgBouncer().run((context) -> {
			GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
			PartialTransaction<Integer> hold = template.begin((status) -> template.jdbc()
				.sql("SELECT pg_backend_pid() FROM " + table + " WHERE id = 1 FOR UPDATE")
				.query(Integer.class)
				.single());
			// other clients' transactions meanwhile go through PgBouncer too
			for (int i = 0; i < 20; i++) {
				template.queryForList("SELECT 1");
			}
			assertThat(RowLocks.lockableElsewhere(table, 1)).isFalse();
			Integer pid = hold.continueWith((status) -> {
				template.update("UPDATE " + table + " SET held_by = 'bouncer' WHERE id = 1");
				return template.jdbc().sql("SELECT pg_backend_pid()").query(Integer.class).single();
			});
			assertThat(pid).isEqualTo(hold.result());
			hold.commit();
			assertThat(RowLocks.heldByElsewhere(table, 1)).isEqualTo("bouncer");
		});
	}

}
