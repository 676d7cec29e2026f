package io.gdbpool;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.gdbpool.test.GDBPoolContextRunner;
import io.gdbpool.test.RowLocks;
import io.gdbpool.test.TestDatabase;
import io.gdbpool.transaction.PartialTransactions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.dao.TransientDataAccessException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Partial transactions in the bad minute: a burst beyond their budget is refused at once
 * without touching ordinary work's connections, and a transaction whose session the
 * server ended is reported as lost, closed at once and gives its place back.
 */
@ExtendWith(TestDatabase.class)
class PartialTransactionFaultTests {

	private final ApplicationContextRunner runner = GDBPoolContextRunner.create()
		.withPropertyValues(GDBPoolContextRunner.pool("primary", TestDatabase.url(), "write"));

	@Test
	void beginsBeyondTheBudgetFailAtOnceAndOrdinaryWorkKeepsItsConnections() {
		String seat = seats();
		// pools of 4: the default budget is half, 2
		this.runner.run((context) -> {
			GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
			PartialTransactions partials = context.getBean(PartialTransactions.class);
			assertThat(partials.getMaxOpen()).isEqualTo(2);
			PartialTransaction<Integer> first = template.begin((status) -> lock(template, seat, 1));
			PartialTransaction<Integer> second = template.begin((status) -> lock(template, seat, 2));
			assertThatThrownBy(() -> template.begin((status) -> lock(template, seat, 3)))
				.isInstanceOf(PartialTransactionLimitException.class)
				.isInstanceOf(TransientDataAccessException.class)
				.hasMessageContaining("All 2 partial transactions of the budget are open")
				.hasMessageContaining("gdbpool.partial-transactions.max-open");
			// nothing was started for the refused one: its row is free
			assertThat(RowLocks.lockableElsewhere(seat, 3)).isTrue();
			assertThat(partials.getRefused()).isEqualTo(1);
			// ordinary work still has the other half of the pool
			for (int i = 0; i < 20; i++) {
				assertThat(template.update("UPDATE " + seat + " SET held_by = 'ordinary' WHERE id = 4")).isEqualTo(1);
				assertThat(template.queryForList("SELECT 1 AS one")).containsExactly(Map.of("one", 1));
				template.notify("budget_test", "x");
			}
			first.commit();
			PartialTransaction<Integer> third = template.begin((status) -> lock(template, seat, 3));
			third.rollback();
			second.rollback();
			assertThat(partials.getOpenCount()).isZero();
		});
	}

	@Test
	void beginWaitsUpToBeginWaitForAPlace() throws Exception {
		String seat = seats();
		this.runner
			.withPropertyValues("gdbpool.partial-transactions.max-open=1",
					"gdbpool.partial-transactions.begin-wait=10s")
			.run((context) -> {
				GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
				PartialTransaction<Integer> first = template.begin((status) -> lock(template, seat, 1));
				Thread beginner = Thread.currentThread();
				CompletableFuture<Void> later = CompletableFuture.runAsync(() -> {
					// the second begin is waiting for a place (and has not failed for
					// want of one)
					await().atMost(10, TimeUnit.SECONDS)
						.until(() -> beginner.getState() == Thread.State.TIMED_WAITING
								|| beginner.getState() == Thread.State.WAITING);
					first.commit();
				});
				PartialTransaction<Integer> second = template.begin((status) -> lock(template, seat, 2));
				// it got the place the first one gave back
				assertThat(first.isOpen()).isFalse();
				assertThat(second.isOpen()).isTrue();
				later.get(10, TimeUnit.SECONDS);
				assertThat(context.getBean(PartialTransactions.class).getRefused()).isZero();
				second.commit();
			});
	}

	@Test
	void aStepOnATransactionWhoseSessionWasTerminatedSaysItWasLostAndRollbackIsQuiet() {
		String seat = seats();
		this.runner.run((context) -> {
			GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
			PartialTransactions partials = context.getBean(PartialTransactions.class);
			PartialTransaction<Integer> hold = template.begin((status) -> {
				template.update("UPDATE " + seat + " SET held_by = 'lost' WHERE id = 5");
				return backendPid(template);
			});
			terminate(hold.result());
			assertThatThrownBy(
					() -> hold.continueWith((status) -> template.update("UPDATE " + seat + " SET held_by = 'x'")))
				.isInstanceOf(PartialTransactionLostException.class)
				.isInstanceOf(TransientDataAccessException.class)
				.hasMessageContaining("was lost")
				.hasMessageContaining("nothing of it was committed");
			assertThat(hold.isOpen()).isFalse();
			assertThat(partials.getOpenCount()).isZero();
			assertThat(partials.getLost()).isEqualTo(1);
			// nothing left to undo: rollback and close succeed quietly
			hold.rollback();
			hold.close();
			// a later step or commit still says lost
			assertThatThrownBy(hold::commit).isInstanceOf(PartialTransactionLostException.class);
			assertThat(RowLocks.heldByElsewhere(seat, 5)).isNull();
			// its place in the budget and its (broken) connection are back: two can open
			// again
			template.begin((status) -> lock(template, seat, 1)).rollback();
			PartialTransaction<Integer> a = template.begin((status) -> lock(template, seat, 1));
			PartialTransaction<Integer> b = template.begin((status) -> lock(template, seat, 2));
			a.rollback();
			b.rollback();
		});
	}

	@Test
	void aCommitOnATransactionWhoseSessionWasTerminatedSaysItWasLost() {
		String seat = seats();
		this.runner.run((context) -> {
			GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
			PartialTransaction<Integer> hold = template.begin((status) -> {
				template.update("UPDATE " + seat + " SET held_by = 'lost' WHERE id = 6");
				return backendPid(template);
			});
			terminate(hold.result());
			assertThatThrownBy(hold::commit).isInstanceOf(PartialTransactionLostException.class);
			assertThat(hold.isOpen()).isFalse();
			assertThat(RowLocks.heldByElsewhere(seat, 6)).isNull();
		});
	}

	@Test
	void aSuspendedTransactionWhoseSessionEndedIsClosedWithoutWaitingForTheIdleTimeout() {
		String seat = seats();
		this.runner.withPropertyValues("gdbpool.partial-transactions.idle-timeout=5m").run((context) -> {
			GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
			PartialTransactions partials = context.getBean(PartialTransactions.class);
			PartialTransaction<Integer> hold = template.begin((status) -> {
				lock(template, seat, 7);
				return backendPid(template);
			});
			assertThat(partials.getOpenCount()).isEqualTo(1);
			terminate(hold.result());
			// the background check finds it gone (it checks once a second), far before 5
			// minutes
			await().atMost(10, TimeUnit.SECONDS).until(() -> partials.getOpenCount() == 0);
			assertThat(hold.isOpen()).isFalse();
			assertThat(partials.getLost()).isEqualTo(1);
			assertThatThrownBy(() -> hold.continueWith((status) -> 1))
				.isInstanceOf(PartialTransactionLostException.class);
			hold.rollback();
		});
	}

	@Test
	void aLiveSuspendedTransactionSurvivesTheLivenessChecksAndStepsNeverCollideWithThem() throws Exception {
		String seat = seats();
		this.runner.run((context) -> {
			GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
			PartialTransaction<Integer> hold = template.begin((status) -> {
				lock(template, seat, 8);
				return backendPid(template);
			});
			// steps run back to back until the liveness check (once a second, pgjdbc's
			// isValid: an empty query) has been seen between them twice
			int checksSeen = 0;
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
			try (var observer = TestDatabase.connect(TestDatabase.url());
					var lastQuery = observer.prepareStatement("SELECT query FROM pg_stat_activity WHERE pid = ?")) {
				lastQuery.setInt(1, hold.result());
				while (checksSeen < 2) {
					assertThat(System.nanoTime()).as("two liveness checks seen within 30 s").isLessThan(deadline);
					hold.continueWith(
							(status) -> template.update("UPDATE " + seat + " SET held_by = 'busy' WHERE id = 8"));
					sleep(5);
					try (var rs = lastQuery.executeQuery()) {
						if (rs.next() && rs.getString(1).isEmpty()) {
							checksSeen++;
						}
					}
				}
			}
			assertThat(hold.isOpen()).isTrue();
			hold.commit();
			assertThat(RowLocks.heldByElsewhere(seat, 8)).isEqualTo("busy");
		});
	}

	private static int lock(GDBPoolTemplate template, String seat, int id) {
		return template.jdbc()
			.sql("SELECT id FROM " + seat + " WHERE id = ? FOR UPDATE")
			.param(id)
			.query(Integer.class)
			.single();
	}

	private static int backendPid(GDBPoolTemplate template) {
		return template.jdbc().sql("SELECT pg_backend_pid()").query(Integer.class).single();
	}

	private static void terminate(int pid) {
		TestDatabase.execute("SELECT pg_terminate_backend(" + pid + ")");
		await().atMost(5, TimeUnit.SECONDS).until(() -> {
			try (var connection = TestDatabase.connect(TestDatabase.url());
					var rs = connection.createStatement()
						.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE pid = " + pid)) {
				rs.next();
				return rs.getInt(1) == 0;
			}
		});
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static String seats() {
		String table = TestDatabase.uniqueName("fault_seat");
		TestDatabase.execute("CREATE TABLE " + table + " (id int PRIMARY KEY, held_by text)",
				"INSERT INTO " + table + " SELECT g, NULL FROM generate_series(1, 10) g");
		return table;
	}

}
