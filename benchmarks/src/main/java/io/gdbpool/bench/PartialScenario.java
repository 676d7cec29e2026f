package io.gdbpool.bench;

import java.util.concurrent.ThreadLocalRandom;

import io.gdbpool.PartialTransaction;
import io.gdbpool.routing.PoolRole;
import org.HdrHistogram.Histogram;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Scenario 5: a partial transaction ({@code begin} + {@code continueWith} + {@code commitWith},
 * one statement each) against one {@code execute} interaction running the same three statements.
 * The difference is two suspend/resume cycles (and whatever {@code begin} adds), so the added cost
 * per suspend/resume is (ours − reference) / 2 of the median per-operation time.
 */
final class PartialScenario {

	static final String NAME = "5. Partial transaction";

	private static final String LOCK = "SELECT n FROM %s WHERE id = 1 FOR UPDATE";

	private static final String UPDATE = "UPDATE %s SET n = n + 1 WHERE id = 1";

	static void run(Settings s, Report report) throws Exception {
		String table = "bench_partial_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
		String lock = String.format(LOCK, table);
		String update = String.format(UPDATE, table);
		try (Stack stack = Stack.builder(s.user()).pool("primary", PoolRole.WRITE, s.primaryUrl(), 4).build()) {
			stack.awaitFull();
			JdbcTemplate jdbc = stack.jdbc;
			// unlogged: commits need no WAL flush, so the commit's fsync does not drown the difference
			jdbc.execute("CREATE UNLOGGED TABLE " + table + " (id int PRIMARY KEY, n bigint NOT NULL)");
			jdbc.update("INSERT INTO " + table + " VALUES (1, 0)");
			try {
				Interleaved runs = new Interleaved().add("template", () -> trial(s.partialOps(), () -> {
					PartialTransaction<Long> p = stack.template.begin((status) -> jdbc.queryForObject(lock, Long.class));
					p.continueWith((status) -> jdbc.update(update));
					p.commitWith((status) -> jdbc.update(update));
				})).add("reference", () -> trial(s.partialOps(), () -> stack.template.execute((status) -> {
					jdbc.queryForObject(lock, Long.class);
					jdbc.update(update);
					return jdbc.update(update);
				}))).run("S5", s.warmups(), s.pairs());
				Stats o = runs.stats("template");
				Stats ref = runs.stats("reference");
				double[] added = new double[runs.values("template").size()];
				for (int i = 0; i < added.length; i++) {
					added[i] = (runs.values("template").get(i) - runs.values("reference").get(i)) / 2;
				}
				Stats a = new Stats(added);
				report.row(NAME, "begin + continueWith + commitWith vs one execute (3 statements), per op", o.describe("%,.1f") + " µs",
						ref.describe("%,.1f") + " µs", String.format("+%.1f µs per suspend/resume (rounds %.1f–%.1f)", a.median(), a.min(), a.max()),
						"≤ 20 µs", a.median() <= 20);
				report.note(NAME, "One thread, " + s.partialOps() + " operations per trial on a 4-connection write pool; figure = median "
						+ "per-operation time of the trial; added cost = (ours − reference) / 2 per round, median over rounds. Statements: "
						+ "`SELECT … FOR UPDATE`, `UPDATE`, `UPDATE` on one row of an unlogged table.");
			}
			finally {
				jdbc.execute("DROP TABLE IF EXISTS " + table);
			}
		}
	}

	/** @return median microseconds per operation */
	private static double trial(int ops, Load.Op op) throws Exception {
		Histogram h = new Histogram(3);
		for (int i = 0; i < ops; i++) {
			long t0 = System.nanoTime();
			op.run();
			h.recordValue(System.nanoTime() - t0);
		}
		return h.getValueAtPercentile(50) / 1e3;
	}

}
