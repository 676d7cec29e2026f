package io.gdbpool;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariPoolMXBean;

import io.gdbpool.routing.PoolRegistry;
import io.gdbpool.test.GDBPoolContextRunner;
import io.gdbpool.test.RowLocks;
import io.gdbpool.test.TestDatabase;
import io.gdbpool.transaction.PartialTransactions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Partial transactions on the real server: the lock is held between steps, steps run on
 * any thread, abandoned ones expire, nothing leaks.
 */
@ExtendWith(TestDatabase.class)
class PartialTransactionTests {

	private final ApplicationContextRunner runner = GDBPoolContextRunner.create()
		.withPropertyValues(GDBPoolContextRunner.pool("primary", TestDatabase.url(), "write"));

	@Test
	void theRowLockIsHeldBetweenStepsAndReleasedAtCommitOrRollback() {
		String seat = seats();
		this.runner.run((context) -> {
			GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			PartialTransaction<String> hold = template.begin((status) -> jdbc
				.queryForObject("SELECT held_by FROM " + seat + " WHERE id = 7 FOR UPDATE", String.class));
			assertThat(hold.result()).isNull();
			assertThat(hold.isOpen()).isTrue();
			assertThat(RowLocks.lockableElsewhere(seat, 7)).isFalse();
			hold.continueWith((status) -> jdbc.update("UPDATE " + seat + " SET held_by = 'me' WHERE id = 7"));
			assertThat(RowLocks.heldByElsewhere(seat, 7)).isNull();
			hold.commit();
			assertThat(hold.isOpen()).isFalse();
			assertThat(RowLocks.lockableElsewhere(seat, 7)).isTrue();
			assertThat(RowLocks.heldByElsewhere(seat, 7)).isEqualTo("me");

			PartialTransaction<Integer> second = template
				.begin((status) -> jdbc.update("UPDATE " + seat + " SET held_by = 'you' WHERE id = 7"));
			assertThat(second.result()).isEqualTo(1);
			assertThat(RowLocks.lockableElsewhere(seat, 7)).isFalse();
			second.rollback();
			assertThat(RowLocks.lockableElsewhere(seat, 7)).isTrue();
			assertThat(RowLocks.heldByElsewhere(seat, 7)).isEqualTo("me");
			awaitNoActiveConnections(context);
		});
	}

	@Test
	void stepsRunOnOtherThreadsAndJoinThePartialTransaction() throws Exception {
		String seat = seats();
		ExecutorService executor = Executors.newFixedThreadPool(2);
		try {
			this.runner.run((context) -> {
				GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
				JdbcClient client = context.getBean(JdbcClient.class);
				PartialTransaction<Integer> hold = template
					.begin((status) -> client.sql("SELECT pg_backend_pid() FROM " + seat + " WHERE id = 1 FOR UPDATE")
						.query(Integer.class)
						.single());
				int pid = hold.result();
				int stepPid = executor.submit(() -> hold.continueWith((status) -> {
					client.sql("UPDATE " + seat + " SET held_by = 'thread' WHERE id = 1").update();
					return template.jdbc().sql("SELECT pg_backend_pid()").query(Integer.class).single();
				})).get(10, TimeUnit.SECONDS);
				assertThat(stepPid).isEqualTo(pid);
				assertThat(RowLocks.heldByElsewhere(seat, 1)).isNull();
				String seen = executor.submit(
						() -> hold.commitWith((status) -> client.sql("SELECT held_by FROM " + seat + " WHERE id = 1")
							.query(String.class)
							.single()))
					.get(10, TimeUnit.SECONDS);
				assertThat(seen).isEqualTo("thread");
				assertThat(RowLocks.heldByElsewhere(seat, 1)).isEqualTo("thread");
				awaitNoActiveConnections(context);
			});
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void onPoolBeginsThePartialTransactionOnThatPool() {
		GDBPoolContextRunner.create()
			.withPropertyValues(GDBPoolContextRunner.pool("primary", TestDatabase.url(), "write"))
			.withPropertyValues(GDBPoolContextRunner.pool("archive", TestDatabase.url(), "write"))
			.withPropertyValues("gdbpool.default-write-pool=primary")
			.run((context) -> {
				GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
				PartialTransaction<String> hold = template.onPool("archive")
					.begin((status) -> template.jdbc()
						.sql("SELECT current_setting('application_name')")
						.query(String.class)
						.single());
				assertThat(hold.result()).isEqualTo("gdbpool-archive");
				String second = hold.commitWith((status) -> template.jdbc()
					.sql("SELECT current_setting('application_name')")
					.query(String.class)
					.single());
				assertThat(second).isEqualTo("gdbpool-archive");
				// (the replica monitor's role check may hold one for a moment)
				await().atMost(5, TimeUnit.SECONDS)
					.until(() -> context.getBean(PoolRegistry.class).get("archive").getActiveConnections() == 0);
			});
	}

	@Test
	void aThrowingStepRollsBackAndClosesTheHandle() {
		String seat = seats();
		this.runner.run((context) -> {
			GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
			PartialTransaction<Integer> hold = template
				.begin((status) -> template.update("UPDATE " + seat + " SET held_by = 'x' WHERE id = 2"));
			IllegalStateException boom = new IllegalStateException("boom");
			assertThatThrownBy(() -> hold.continueWith((status) -> {
				throw boom;
			})).isSameAs(boom);
			assertThat(hold.isOpen()).isFalse();
			assertThat(RowLocks.lockableElsewhere(seat, 2)).isTrue();
			assertThat(RowLocks.heldByElsewhere(seat, 2)).isNull();
			assertThatThrownBy(() -> hold.continueWith((status) -> 1)).isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("rolled back");
			assertThatThrownBy(hold::commit).isInstanceOf(IllegalStateException.class);
			hold.close();

			PartialTransaction<Integer> committed = template.begin((status) -> 1);
			committed.commit();
			assertThatThrownBy(() -> committed.continueWith((status) -> 1)).isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("committed");
			assertThatThrownBy(() -> template.begin((status) -> template.update("UPDATE no_such_table SET x = 1")))
				.isInstanceOf(DataAccessException.class);
			awaitNoActiveConnections(context);
			PartialTransactions partials = context.getBean(PartialTransactions.class);
			assertThat(partials.getOpenCount()).isZero();
			assertThat(partials.getCommitted()).isEqualTo(1);
			assertThat(partials.getRolledBack()).isEqualTo(2);
		});
	}

	@Test
	void aSecondConcurrentStepFails() throws Exception {
		this.runner.run((context) -> {
			GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
			PartialTransaction<Integer> hold = template.begin((status) -> 1);
			CountDownLatch inStep = new CountDownLatch(1);
			CountDownLatch release = new CountDownLatch(1);
			CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> hold.continueWith((status) -> {
				inStep.countDown();
				return GDBPoolTemplateTests.awaitLatch(release);
			}));
			assertThat(inStep.await(10, TimeUnit.SECONDS)).isTrue();
			assertThatThrownBy(() -> hold.continueWith((status) -> 2)).isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("one at a time");
			release.countDown();
			assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(1);
			Integer last = hold.commitWith((status) -> 3);
			assertThat(last).isEqualTo(3);
		});
	}

	@Test
	void anIdleHandleExpiresAndItsConnectionAndLockAreReleased() {
		String seat = seats();
		this.runner.withPropertyValues("gdbpool.partial-transactions.idle-timeout=200ms").run((context) -> {
			GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
			PartialTransaction<Integer> hold = template
				.begin((status) -> template.update("UPDATE " + seat + " SET held_by = 'idle' WHERE id = 3"));
			PartialTransactions partials = context.getBean(PartialTransactions.class);
			assertThat(partials.getOpenCount()).isEqualTo(1);
			await().atMost(5, TimeUnit.SECONDS).until(() -> !hold.isOpen());
			assertThatThrownBy(() -> hold.continueWith((status) -> 1))
				.isInstanceOf(PartialTransactionExpiredException.class)
				.hasMessageContaining("idle-timeout");
			assertThat(partials.getExpired()).isEqualTo(1);
			assertThat(partials.getOpenCount()).isZero();
			awaitNoActiveConnections(context);
			assertThat(RowLocks.lockableElsewhere(seat, 3)).isTrue();
			assertThat(RowLocks.heldByElsewhere(seat, 3)).isNull();
		});
	}

	@Test
	void theServerSideIdleBackstopIsSetForThePartialTransactionOnlyAndOpenOnesAreObservable() {
		this.runner
			.withPropertyValues("gdbpool.pools.primary.hikari.maximum-pool-size=1",
					"gdbpool.partial-transactions.idle-timeout=10s")
			.run((context) -> {
				GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
				String before = template.jdbc()
					.sql("SHOW idle_in_transaction_session_timeout")
					.query(String.class)
					.single();
				PartialTransaction<String> hold = template.begin((status) -> template.jdbc()
					.sql("SHOW idle_in_transaction_session_timeout")
					.query(String.class)
					.single());
				assertThat(hold.result()).isEqualTo("15s");
				PartialTransactions partials = context.getBean(PartialTransactions.class);
				assertThat(partials.getOpenCount()).isEqualTo(1);
				// its age is observable, and grows while it is open
				await().atMost(5, TimeUnit.SECONDS)
					.until(() -> partials.getOldestAge().compareTo(Duration.ofMillis(50)) >= 0);
				assertThat(partials.getOpenCount()).isEqualTo(1);
				hold.commit();
				assertThat(partials.getOldestAge()).isEqualTo(Duration.ZERO);
				// the same (only) connection, back in the pool with the session's own
				// value
				assertThat(template.jdbc().sql("SHOW idle_in_transaction_session_timeout").query(String.class).single())
					.isEqualTo(before);
			});
	}

	@Test
	void theServerBackstopCanBeTurnedOff() {
		this.runner.withPropertyValues("gdbpool.partial-transactions.server-backstop=false").run((context) -> {
			GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
			String before = template.jdbc()
				.sql("SHOW idle_in_transaction_session_timeout")
				.query(String.class)
				.single();
			PartialTransaction<String> hold = template.begin((status) -> template.jdbc()
				.sql("SHOW idle_in_transaction_session_timeout")
				.query(String.class)
				.single());
			assertThat(hold.result()).isEqualTo(before);
			hold.rollback();
		});
	}

	@Test
	void resumingOnAThreadWithItsOwnTransactionLeavesThatTransactionAsItWas() {
		String seat = seats();
		this.runner.run((context) -> {
			GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			PartialTransaction<Integer> hold = template
				.begin((status) -> jdbc.update("UPDATE " + seat + " SET held_by = 'partial' WHERE id = 4"));
			template.execute((outer) -> {
				jdbc.update("UPDATE " + seat + " SET held_by = 'outer' WHERE id = 5");
				int outerPid = ServerPid.of(jdbc);
				int stepPid = hold.continueWith((status) -> {
					assertThat(jdbc.queryForObject("SELECT held_by FROM " + seat + " WHERE id = 5", String.class))
						.isNull();
					return ServerPid.of(jdbc);
				});
				assertThat(stepPid).isNotEqualTo(outerPid);
				// the outer transaction is back: same connection, its write visible to
				// it, uncommitted
				assertThat(ServerPid.of(jdbc)).isEqualTo(outerPid);
				assertThat(jdbc.queryForObject("SELECT held_by FROM " + seat + " WHERE id = 5", String.class))
					.isEqualTo("outer");
				assertThat(jdbc.queryForObject("SELECT held_by FROM " + seat + " WHERE id = 4", String.class)).isNull();
				assertThat(RowLocks.heldByElsewhere(seat, 5)).isNull();
				return null;
			});
			assertThat(RowLocks.heldByElsewhere(seat, 5)).isEqualTo("outer");
			assertThat(RowLocks.heldByElsewhere(seat, 4)).isNull();
			hold.commit();
			assertThat(RowLocks.heldByElsewhere(seat, 4)).isEqualTo("partial");
		});
	}

	@Test
	void aConnectionKilledWhileSuspendedFailsTheNextStepClearlyAndThePoolRecovers() {
		this.runner.withPropertyValues("gdbpool.pools.primary.hikari.maximum-pool-size=2").run((context) -> {
			GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
			PartialTransaction<Integer> hold = template
				.begin((status) -> template.jdbc().sql("SELECT pg_backend_pid()").query(Integer.class).single());
			TestDatabase.execute("SELECT pg_terminate_backend(" + hold.result() + ")");
			assertThatThrownBy(
					() -> hold.continueWith((status) -> template.jdbc().sql("SELECT 1").query(Integer.class).single()))
				.isInstanceOf(PartialTransactionLostException.class)
				.isInstanceOf(DataAccessException.class);
			assertThat(hold.isOpen()).isFalse();
			assertThatThrownBy(hold::commit).isInstanceOf(PartialTransactionLostException.class);
			HikariPoolMXBean pool = context.getBean(PoolRegistry.class)
				.get("primary")
				.getDataSource()
				.getHikariPoolMXBean();
			await().atMost(5, TimeUnit.SECONDS).until(() -> pool.getActiveConnections() == 0);
			for (int i = 0; i < 5; i++) {
				Integer one = template
					.execute((status) -> template.jdbc().sql("SELECT 1").query(Integer.class).single());
				assertThat(one).isEqualTo(1);
			}
		});
	}

	private static String seats() {
		String table = TestDatabase.uniqueName("seat");
		TestDatabase.execute("CREATE TABLE " + table + " (id int PRIMARY KEY, held_by text)",
				"INSERT INTO " + table + " SELECT g, NULL FROM generate_series(1, 20) g");
		return table;
	}

	/**
	 * Every connection of the write pool back in the pool. Awaited, not asserted at once:
	 * the replica monitor's role check borrows one for a moment every interval.
	 */
	static void awaitNoActiveConnections(org.springframework.context.ApplicationContext context) {
		await().atMost(5, TimeUnit.SECONDS)
			.until(() -> context.getBean(PoolRegistry.class).defaultWritePool().getActiveConnections() == 0);
	}

	static final class ServerPid {

		static int of(JdbcTemplate jdbc) {
			return jdbc.queryForObject("SELECT pg_backend_pid()", Integer.class);
		}

	}

}
