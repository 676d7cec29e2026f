package io.gdbpool.bench;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import com.zaxxer.hikari.HikariDataSource;

import io.gdbpool.routing.Pool;
import io.gdbpool.routing.PoolRole;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Scenario 2: the read route over two streaming replicas with lag sampling
 * ({@code max-replica-lag}) and read-your-writes ({@code lsn}) on, against one plain
 * HikariCP pool per replica chosen round-robin by hand.
 */
final class ReadRouteScenario {

	/**
	 * The template passes its (empty) varargs on, so JdbcTemplate uses a
	 * PreparedStatement, which pgjdbc turns into a server-side prepared statement after 5
	 * runs; the comparisons call the same overload, not {@code queryForList(String)},
	 * which uses a plain Statement (parsed every time).
	 */
	static final Object[] NO_ARGS = new Object[0];

	static final String NAME = "2. Read route, 2 replicas";

	static void run(Settings s, Report report) throws Exception {
		int size = 10;
		try (Stack stack = Stack.builder(s.user())
			.pool("primary", PoolRole.WRITE, s.primaryUrl(), 4)
			.pool("replica-a", PoolRole.READ, s.replicaAUrl(), size)
			.pool("replica-b", PoolRole.READ, s.replicaBUrl(), size)
			.maxReplicaLag(Duration.ofSeconds(5))
			.readYourWrites(true)
			.build();
				HikariDataSource a = Db.plainPool("replica-a", s.replicaAUrl(), s.user(), size);
				HikariDataSource b = Db.plainPool("replica-b", s.replicaBUrl(), s.user(), size)) {
			stack.awaitFull();
			Db.awaitFull(a);
			Db.awaitFull(b);
			for (Pool pool : stack.pools.readPools()) {
				if (!pool.isInRotation()) {
					throw new IllegalStateException("Replica " + pool + " is not in rotation: " + pool.getLastError());
				}
			}
			JdbcTemplate[] reference = { new JdbcTemplate(a), new JdbcTemplate(b) };
			AtomicInteger next = new AtomicInteger();
			long fallbacksBefore = stack.dataSource.getFallbacks();
			for (int threads : new int[] { 4, 8 }) {
				Interleaved runs = new Interleaved()
					.add("template",
							() -> Load.throughput(threads, s.trialMillis(),
									() -> stack.template.queryForList("SELECT 1")))
					.add("reference",
							() -> Load.throughput(threads, s.trialMillis(),
									() -> reference[Math.floorMod(next.getAndIncrement(), 2)].queryForList("SELECT 1",
											NO_ARGS)))
					.run("S2 " + threads + "t", s.warmups(), s.shortPairs());
				Stats o = runs.stats("template");
				Stats ref = runs.stats("reference");
				Stats pr = runs.pairRatios("template", "reference");
				double ratio = pr.median();
				report.row(NAME, "GDBPoolTemplate.queryForList, " + threads + " threads",
						o.describe("%,.0f") + " ops/s", ref.describe("%,.0f") + " ops/s",
						String.format("%.3f (rounds %.3f–%.3f)", ratio, pr.min(), pr.max()), "≥ 0.95", ratio >= 0.95);
			}
			StringBuilder spread = new StringBuilder();
			for (Pool pool : stack.pools.pools()) {
				spread.append(pool.getName()).append(": ").append(pool.getReadsRouted()).append(" reads; ");
			}
			report.note(NAME, "Pools of 10 connections on " + s.replicaAUrl() + " and " + s.replicaBUrl()
					+ " (ours also has a 4-connection write pool); round-robin; max-replica-lag 5s sampled every 1s; "
					+ "read-your-writes lsn (the reading threads have not written, so every replica is eligible). Reads routed: "
					+ spread + "fallbacks to the primary during the runs: "
					+ (stack.dataSource.getFallbacks() - fallbacksBefore) + ".");
		}
	}

}
