package io.gdbpool.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import io.gdbpool.PartialTransaction;
import io.gdbpool.routing.PoolRole;
import org.HdrHistogram.Histogram;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Scenario 5: a partial transaction ({@code begin} + {@code continueWith} +
 * {@code commitWith}, one statement each) against one {@code execute} interaction running
 * the same three statements. The difference is two suspend/resume cycles (and whatever
 * {@code begin} adds), so the added cost per suspend/resume is (ours − reference) / 2 of
 * the median per-operation time.
 * <p>
 * Tens of microseconds drown in a shared machine's drift between trials, so the variants
 * are interleaved operation by operation (ours, reference, control, ours, ...) within
 * each round.
 */
final class PartialScenario {

	static final String NAME = "5. Partial transaction";

	private static final String LOCK = "SELECT n FROM %s WHERE id = 1 FOR UPDATE";

	private static final String UPDATE = "UPDATE %s SET n = n + 1 WHERE id = 1";

	/**
	 * What {@code PartialTransactions.prepareSession} sends at begin (30 s idle timeout).
	 */
	private static final String BACKSTOP = "SET LOCAL idle_in_transaction_session_timeout = 45000";

	static void run(Settings s, Report report) throws Exception {
		String table = "bench_partial_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
		String lock = String.format(LOCK, table);
		String update = String.format(UPDATE, table);
		try (Stack stack = Stack.builder(s.user()).pool("primary", PoolRole.WRITE, s.primaryUrl(), 4).build()) {
			stack.awaitFull();
			JdbcTemplate jdbc = stack.jdbc;
			// unlogged: commits need no WAL flush, so the commit's fsync does not drown
			// the difference
			jdbc.execute("CREATE UNLOGGED TABLE " + table + " (id int PRIMARY KEY, n bigint NOT NULL)");
			jdbc.update("INSERT INTO " + table + " VALUES (1, 0)");
			try {
				Load.Op ours = () -> {
					PartialTransaction<Long> p = stack.template
						.begin((status) -> jdbc.queryForObject(lock, Long.class));
					p.continueWith((status) -> jdbc.update(update));
					p.commitWith((status) -> jdbc.update(update));
				};
				Load.Op reference = () -> stack.template.execute((status) -> {
					jdbc.queryForObject(lock, Long.class);
					jdbc.update(update);
					return jdbc.update(update);
				});
				Load.Op control = () -> stack.template.execute((status) -> {
					// the reference plus the one statement begin() adds: the idle
					// backstop
					jdbc.execute(BACKSTOP);
					jdbc.queryForObject(lock, Long.class);
					jdbc.update(update);
					return jdbc.update(update);
				});
				// the same template with
				// gdbpool.partial-transactions.server-backstop=false; no budget, like the
				// stack's own (the two-argument constructor)
				io.gdbpool.transaction.PartialTransactions noBackstop = new io.gdbpool.transaction.PartialTransactions(
						stack.dataSource, java.time.Duration.ofSeconds(30), false, Integer.MAX_VALUE,
						java.time.Duration.ZERO);
				noBackstop.start();
				io.gdbpool.GDBPoolTemplate withoutBackstop = new io.gdbpool.GDBPoolTemplate(stack.transactionManager,
						noBackstop, Runnable::run, null);
				Load.Op oursNoBackstop = () -> {
					PartialTransaction<Long> p = withoutBackstop
						.begin((status) -> jdbc.queryForObject(lock, Long.class));
					p.continueWith((status) -> jdbc.update(update));
					p.commitWith((status) -> jdbc.update(update));
				};
				Load.Op[] ops = { ours, reference, control, oursNoBackstop };
				List<double[]> rounds = new ArrayList<>();
				for (int round = -s.warmups(); round < s.pairs(); round++) {
					Histogram[] h = { new Histogram(3), new Histogram(3), new Histogram(3), new Histogram(3) };
					for (int i = 0; i < s.partialOps(); i++) {
						for (int v = 0; v < ops.length; v++) {
							long t0 = System.nanoTime();
							ops[v].run();
							h[v].recordValue(System.nanoTime() - t0);
						}
					}
					double[] medians = { h[0].getValueAtPercentile(50) / 1e3, h[1].getValueAtPercentile(50) / 1e3,
							h[2].getValueAtPercentile(50) / 1e3, h[3].getValueAtPercentile(50) / 1e3 };
					Log.progress(String.format(
							"  S5 %s: median µs ours=%.1f reference=%.1f control=%.1f ours-no-backstop=%.1f",
							round < 0 ? "warm-up" : "round " + (round + 1), medians[0], medians[1], medians[2],
							medians[3]));
					if (round >= 0) {
						rounds.add(medians);
					}
				}
				Stats o = new Stats(rounds.stream().mapToDouble((r) -> r[0]).toArray());
				Stats ref = new Stats(rounds.stream().mapToDouble((r) -> r[1]).toArray());
				Stats ctl = new Stats(rounds.stream().mapToDouble((r) -> r[2]).toArray());
				Stats added = new Stats(rounds.stream().mapToDouble((r) -> (r[0] - r[1]) / 2).toArray());
				Stats machinery = new Stats(rounds.stream().mapToDouble((r) -> (r[0] - r[2]) / 2).toArray());
				report.row(NAME, "begin + continueWith + commitWith vs one execute (3 statements), per op",
						o.describe("%,.1f") + " µs", ref.describe("%,.1f") + " µs",
						String.format("%+.1f µs per suspend/resume (rounds %+.1f…%+.1f)", added.median(), added.min(),
								added.max()),
						"≤ 20 µs", added.median() <= 20);
				report.row(NAME,
						"control: ours vs one execute of the 3 statements plus the "
								+ "`SET LOCAL idle_in_transaction_session_timeout` that begin sends",
						o.describe("%,.1f") + " µs", ctl.describe("%,.1f") + " µs",
						String.format("%+.1f µs per suspend/resume (rounds %+.1f…%+.1f)", machinery.median(),
								machinery.min(), machinery.max()),
						"report", null);
				Stats nb = new Stats(rounds.stream().mapToDouble((r) -> r[3]).toArray());
				Stats nbAdded = new Stats(rounds.stream().mapToDouble((r) -> (r[3] - r[1]) / 2).toArray());
				report.row(NAME,
						"with `gdbpool.partial-transactions.server-backstop: false` vs one execute (3 statements)",
						nb.describe("%,.1f") + " µs", ref.describe("%,.1f") + " µs",
						String.format("%+.1f µs per suspend/resume (rounds %+.1f…%+.1f)", nbAdded.median(),
								nbAdded.min(), nbAdded.max()),
						"report (≤ 20 µs)", null);
				noBackstop.close();
				report.note(NAME, "One thread, " + s.partialOps()
						+ " operations of each variant per round, interleaved operation by "
						+ "operation, on a 4-connection write pool; figure = median per-operation time of the round; added cost = "
						+ "(ours − reference) / 2 per round, median over rounds. Statements: `SELECT … FOR UPDATE`, `UPDATE`, `UPDATE` "
						+ "on one row of an unlogged table. The control row separates the extra round trip of the idle backstop "
						+ "from the suspend/resume machinery itself.");
			}
			finally {
				jdbc.execute("DROP TABLE IF EXISTS " + table);
			}
		}
	}

}
