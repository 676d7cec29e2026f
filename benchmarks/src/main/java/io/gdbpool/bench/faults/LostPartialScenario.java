package io.gdbpool.bench.faults;

import io.gdbpool.GDBPoolTemplate;
import io.gdbpool.PartialTransaction;
import io.gdbpool.PartialTransactionLostException;
import io.gdbpool.transaction.PartialTransactions;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Scenario 2: a suspended partial transaction whose session the server ended, by
 * {@code pg_terminate_backend} and by a restart of the server. The library must notice
 * without any step (and free the budget place), then say "lost" on the next step and roll
 * back quietly.
 */
final class LostPartialScenario {

	static final int ID = 2;

	static final String TITLE = "2. Lost partial transaction";

	private static final long DROP_BOUND_MILLIS = 15_000;

	private LostPartialScenario() {
	}

	static void run(ScratchCluster cluster, FaultSettings s, FaultReport report) throws Exception {
		ScratchServer primary = cluster.primary();
		try (ConfigurableApplicationContext context = FaultApp
			.start(new FaultApp.Pools().write("main", primary.url()))) {
			GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
			PartialTransactions partials = context.getBean(PartialTransactions.class);
			terminated(template, partials, primary, report);
			restarted(template, partials, cluster, report);
		}
		report.note(ID,
				"Setup: one write pool `main` on the scratch primary, default settings (idle timeout 30 s, so only "
						+ "the library's liveness check can notice within seconds). The hold is `begin` locking a seat row "
						+ "and returning `pg_backend_pid()`.");
		report.note(ID,
				"Terminated: the harness runs `pg_terminate_backend(pid)` on a connection of its own; figure = time "
						+ "from that call until `PartialTransactions.getOpenCount()` drops to 0, polled every 5 ms, with no step "
						+ "on the hold. Then `continueWith` must throw `PartialTransactionLostException`, and `rollback()` and "
						+ "`close()` must return quietly. A MISS on the time means a lost transaction keeps its budget place.");
		report.note(ID,
				"Restarted: with a hold open, the scratch primary is stopped (`replica.sh stop`), rebuilt (fresh base "
						+ "backup, `pg_promote`) and the harness's tables created again; then the hold's next step must throw "
						+ "`PartialTransactionLostException`.");
	}

	private static void terminated(GDBPoolTemplate template, PartialTransactions partials, ScratchServer primary,
			FaultReport report) throws Exception {
		String fault = "2. hold's backend ended by `pg_terminate_backend`";
		long lostBefore = partials.getLost();
		PartialTransaction<Integer> hold = template.begin((status) -> lockAndPid(template, 7));
		int pid = hold.result();
		int openBefore = partials.getOpenCount();
		long t0 = System.nanoTime();
		Sql.execute(primary.port, "SELECT pg_terminate_backend(" + pid + ")");
		double dropped = Millis.await(t0, DROP_BOUND_MILLIS, 5, () -> partials.getOpenCount() < openBefore);
		Progress.line("  terminated backend " + pid + ": open count dropped after "
				+ Millis.format(dropped, DROP_BOUND_MILLIS));
		report.row(ID, fault, "time until `getOpenCount()` drops, no step taken",
				Millis.format(dropped, DROP_BOUND_MILLIS), "≤ 2 s", FaultReport.atMost(dropped, 2_000));
		String step = stepOutcome(hold, template);
		report.row(ID, fault, "next `continueWith` throws", step, "PartialTransactionLostException",
				step.startsWith("PartialTransactionLostException"));
		String quiet = rollbackAndCloseOutcome(hold);
		report.row(ID, fault, "`rollback()` and `close()` afterwards", quiet, "quiet", quiet.equals("quiet"));
		report.report(ID, fault, "`getLost()` counted it", Long.toString(partials.getLost() - lostBefore));
	}

	private static void restarted(GDBPoolTemplate template, PartialTransactions partials, ScratchCluster cluster,
			FaultReport report) {
		String fault = "2. scratch primary restarted under a hold";
		PartialTransaction<Integer> hold = template.begin((status) -> lockAndPid(template, 8));
		int openBefore = partials.getOpenCount();
		long t0 = System.nanoTime();
		cluster.primary().stop();
		double stopped = Millis.since(t0);
		double dropped = Millis.await(t0, DROP_BOUND_MILLIS, 5, () -> partials.getOpenCount() < openBefore);
		cluster.rebuildPrimary();
		double back = Millis.since(t0);
		Progress
			.line(String.format("  restart: stopped in %.0f ms, open count dropped after %s, server back after %.0f ms",
					stopped, Millis.format(dropped, DROP_BOUND_MILLIS), back));
		String step = stepOutcome(hold, template);
		report.row(ID, fault, "next step after the server is back throws", step, "PartialTransactionLostException",
				step.startsWith("PartialTransactionLostException"));
		String quiet = rollbackAndCloseOutcome(hold);
		report.row(ID, fault, "`rollback()` and `close()` afterwards", quiet, "quiet", quiet.equals("quiet"));
		report.report(ID, fault, "time from the stop until `getOpenCount()` dropped (server still down)",
				Millis.format(dropped, DROP_BOUND_MILLIS));
	}

	private static int lockAndPid(GDBPoolTemplate template, int seat) {
		template.jdbc()
			.sql("SELECT id FROM " + FaultSchema.SEAT + " WHERE id = ? FOR UPDATE")
			.param(seat)
			.query(Integer.class)
			.single();
		return template.jdbc().sql("SELECT pg_backend_pid()").query(Integer.class).single();
	}

	/** What the next step did: the exception's class and message, or "no exception". */
	private static String stepOutcome(PartialTransaction<Integer> hold, GDBPoolTemplate template) {
		try {
			hold.continueWith((status) -> template.jdbc().sql("SELECT 1").query(Integer.class).single());
			return "no exception";
		}
		catch (PartialTransactionLostException ex) {
			return "PartialTransactionLostException";
		}
		catch (RuntimeException ex) {
			return Outcomes.brief(ex);
		}
	}

	private static String rollbackAndCloseOutcome(PartialTransaction<Integer> hold) {
		try {
			hold.rollback();
			hold.close();
			return "quiet";
		}
		catch (RuntimeException ex) {
			return "threw " + Outcomes.brief(ex);
		}
	}

}
