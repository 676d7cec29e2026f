package io.gdbpool.bench;

import com.zaxxer.hikari.HikariDataSource;

import io.gdbpool.routing.PoolRole;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Scenario 1: {@code SELECT 1} through {@code GDBPoolTemplate.queryForList} and through a
 * {@code JdbcTemplate} on the routing DataSource, against a {@code JdbcTemplate} on a
 * plain {@code HikariDataSource} with the same pool settings. One write pool (the
 * primary), 10 connections on each side.
 */
final class SelectOneScenario {

	/**
	 * The template passes its (empty) varargs on, so JdbcTemplate uses a
	 * PreparedStatement, which pgjdbc turns into a server-side prepared statement after 5
	 * runs; the comparisons call the same overload, not {@code queryForList(String)},
	 * which uses a plain Statement (parsed every time).
	 */
	static final Object[] NO_ARGS = new Object[0];

	static final String NAME = "1. SELECT 1 throughput";

	static void run(Settings s, Report report) throws Exception {
		int size = 10;
		try (Stack stack = Stack.builder(s.user()).pool("primary", PoolRole.WRITE, s.primaryUrl(), size).build();
				HikariDataSource plain = Db.plainPool("primary", s.primaryUrl(), s.user(), size)) {
			stack.awaitFull();
			Db.awaitFull(plain);
			JdbcTemplate reference = new JdbcTemplate(plain);
			for (int threads : new int[] { 1, 4, 8 }) {
				Interleaved runs = new Interleaved()
					.add("template",
							() -> Load.throughput(threads, s.trialMillis(),
									() -> stack.template.queryForList("SELECT 1")))
					.add("jdbc-routing",
							() -> Load.throughput(threads, s.trialMillis(),
									() -> stack.jdbc.queryForList("SELECT 1", NO_ARGS)))
					.add("reference",
							() -> Load.throughput(threads, s.trialMillis(),
									() -> reference.queryForList("SELECT 1", NO_ARGS)))
					.run("S1 " + threads + "t", s.warmups(), s.shortPairs());
				Stats ref = runs.stats("reference");
				for (String ours : new String[] { "template", "jdbc-routing" }) {
					Stats o = runs.stats(ours);
					Stats pr = runs.pairRatios(ours, "reference");
					double ratio = pr.median();
					boolean judged = threads >= 4;
					String caseName = (ours.equals("template") ? "GDBPoolTemplate.queryForList"
							: "JdbcTemplate on routing DataSource") + ", " + threads + " thread"
							+ (threads > 1 ? "s" : "");
					report.row(NAME, caseName, o.describe("%,.0f") + " ops/s", ref.describe("%,.0f") + " ops/s",
							String.format("%.3f (rounds %.3f–%.3f)", ratio, pr.min(), pr.max()),
							judged ? "≥ 0.97" : "report (1 thread)", judged ? ratio >= 0.97 : null);
				}
			}
			report.note(NAME, "Pool: one write pool, 10 connections, minimum-idle 10, on " + s.primaryUrl()
					+ "; the reference is a second HikariCP pool with the same settings. `queryForList` takes the read route, "
					+ "which with no read pool falls back to the write pool (counted fallbacks: "
					+ stack.dataSource.getFallbacks() + ").");
		}
	}

}
