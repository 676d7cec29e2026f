package io.gdbpool.bench.faults;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import io.gdbpool.GDBPoolTemplate;
import io.gdbpool.routing.Pool;
import io.gdbpool.routing.PoolRegistry;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Scenario 6: a replica whose replay stops ({@code pg_wal_replay_pause()}) while the
 * primary takes one write. With the default {@code max-replica-lag} (10 s) the pool must
 * report {@code lagging} and stop serving the old data within about that time. Two cases:
 * a replica that replayed a commit just before it stalled (the ordinary case), and a
 * replica that has replayed no commit since it started, as after a restart on a quiet
 * primary, where PostgreSQL's {@code pg_last_xact_replay_timestamp()} is still NULL.
 */
final class StalledReplicaScenario {

	static final int ID = 6;

	static final String TITLE = "6. Stalled replica";

	private static final String READ = "SELECT v, current_setting('application_name') AS pool FROM "
			+ FaultSchema.MARKER + " WHERE id = 1";

	private StalledReplicaScenario() {
	}

	static void run(ScratchCluster cluster, FaultSettings s, FaultReport report) throws Exception {
		ScratchServer primary = cluster.primary();
		ScratchServer replica = cluster.replica(s.replicaPort());
		if (!"t".equals(Sql.scalar(replica.port, "SELECT pg_last_xact_replay_timestamp() IS NULL"))) {
			// it replayed a commit since it started: a fresh one has not
			replica.stop();
			cluster.restartReplica(replica);
		}
		FaultApp.Pools pools = new FaultApp.Pools().write("primary", primary.url()).read("replica", replica.url());
		try (ConfigurableApplicationContext context = FaultApp.start(pools)) {
			GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
			Pool pool = context.getBean(PoolRegistry.class).get("replica");
			// first the fresh replica: nothing may be written before its pause
			awaitServedByReplica(cluster, replica, pool, template);
			Progress.line("  replica caught up and serving reads; pausing its replay");
			String nullBefore = Sql.scalar(replica.port, "SELECT pg_last_xact_replay_timestamp() IS NULL");
			measure("6. fresh replica (no commit replayed since it started"
					+ ("t".equals(nullBefore) ? "" : "; NOT the case this run") + ") paused, one write on the primary",
					s.stallWatchMillis(), template, pool, replica, report);
			// then the ordinary case: a commit replayed just before the stall
			template.update("UPDATE " + FaultSchema.MARKER + " SET v = v + 1 WHERE id = 1");
			awaitServedByReplica(cluster, replica, pool, template);
			measure("6. replica paused right after replaying a commit, one write on the primary", s.stallWatchMillis(),
					template, pool, replica, report);
		}
		report.note(ID,
				"Setup: write pool `primary` on the scratch primary, read pool `replica` on a streaming replica of it, "
						+ "default settings (`max-replica-lag` 10 s, check interval 1 s). Before each pause the replica has "
						+ "replayed everything and reads are seen coming from it.");
		report.note(ID,
				"Method: `SELECT pg_wal_replay_pause()` on the replica, then one `template.update` of a marker row "
						+ "on the primary (time 0). One thread reads the marker with `template.queryForList` every 20 ms; a read is "
						+ "stale when it returns the value from before the write. Staleness = end of the last stale read − time 0. "
						+ "After the first fresh read and 1 s more (or " + s.stallWatchMillis() / 1000
						+ " s), replay is resumed. A MISS "
						+ "means a stalled replica kept serving old data past the configured maximum lag.");
		report.note(ID, "The fresh-replica case is the replica right after its base backup: PostgreSQL's "
				+ "`pg_last_xact_replay_timestamp()` is NULL until it replays a commit, and the library's monitor takes "
				+ "the time lag from it (`now() - pg_last_xact_replay_timestamp()`, when the replay LSN is behind).");
	}

	private static void awaitServedByReplica(ScratchCluster cluster, ScratchServer replica, Pool pool,
			GDBPoolTemplate template) {
		double ready = Millis.await(System.nanoTime(), 30_000, 20, () -> cluster.caughtUp(replica) && !pool.isLagging()
				&& pool.isInRotation() && "gdbpool-replica".equals(template.queryForList(READ).get(0).get("pool")));
		if (Double.isNaN(ready)) {
			throw new IllegalStateException("the replica did not serve caught-up reads within 30 s");
		}
	}

	/**
	 * @param bound how long to watch for lagging: max-replica-lag (10 s) plus a margin
	 * that tells late from never
	 */
	private static void measure(String fault, long bound, GDBPoolTemplate template, Pool pool, ScratchServer replica,
			FaultReport report) throws Exception {
		long oldValue = Long
			.parseLong(Sql.scalar(replica.port, "SELECT v FROM " + FaultSchema.MARKER + " WHERE id = 1"));
		AtomicLong lastStale = new AtomicLong();
		AtomicLong firstFresh = new AtomicLong();
		LongAdder staleReads = new LongAdder();
		LongAdder staleAfterLagging = new LongAdder();
		LongAdder errors = new LongAdder();
		Sql.execute(replica.port, "SELECT pg_wal_replay_pause()");
		String replayAge = Sql.scalar(replica.port,
				"SELECT coalesce(round(extract(epoch FROM now() - pg_last_xact_replay_timestamp()) * 1000)::text || ' ms', 'NULL')");
		ExecutorService reader = Threads.daemons("stale-reader", 1);
		double lagging;
		long lagAtDetection;
		long t0;
		try {
			t0 = System.nanoTime();
			template.update("UPDATE " + FaultSchema.MARKER + " SET v = ? WHERE id = 1", oldValue + 1);
			reader.execute(() -> {
				while (firstFresh.get() == 0 || System.nanoTime() - firstFresh.get() < 1_000_000_000L) {
					try {
						boolean alreadyLagging = pool.isLagging();
						List<Map<String, Object>> rows = template.queryForList(READ);
						long value = ((Number) rows.get(0).get("v")).longValue();
						long now = System.nanoTime();
						if (value == oldValue) {
							staleReads.increment();
							lastStale.set(now);
							if (alreadyLagging) {
								staleAfterLagging.increment();
							}
						}
						else {
							firstFresh.compareAndSet(0, now);
						}
					}
					catch (RuntimeException ex) {
						errors.increment();
					}
					if (System.nanoTime() - t0 > bound * 1_000_000L) {
						return;
					}
					Millis.sleep(20);
				}
			});
			lagging = Millis.await(t0, bound, 5, pool::isLagging);
			lagAtDetection = pool.getLagMillis();
			// the rest of the bound, not another one: a replica never said lagging is
			// watched once
			Millis.await(t0, Math.max(0, bound - (long) Millis.since(t0)), 20, () -> firstFresh.get() != 0);
		}
		finally {
			Threads.stop(reader, bound + 5_000, "stale reader");
			Sql.execute(replica.port, "SELECT pg_wal_replay_resume()");
		}
		long resumed = System.nanoTime();
		double caughtUp = Millis.await(resumed, 30_000, 5, () -> !pool.isLagging());
		boolean fresh = firstFresh.get() != 0;
		double staleness = (lastStale.get() == 0) ? 0 : Millis.between(t0, lastStale.get());
		String stalenessText = fresh ? String.format("%,.0f ms", staleness)
				: "old data for all " + bound / 1000 + " s watched";
		Progress.line(String.format(
				"  %s: lagging after %s (lag %d ms; last replayed commit %s old at the pause); "
						+ "staleness %s (%d stale reads); caught up %s after resume",
				fault, Millis.format(lagging, bound), lagAtDetection, replayAge, stalenessText, staleReads.sum(),
				Millis.format(caughtUp, 30_000)));
		report.row(ID, fault, "time until `isLagging()`", Millis.format(lagging, bound), "≤ 10 s + 2 s = 12 s",
				FaultReport.atMost(lagging, 12_000));
		report.row(ID, fault, "staleness: last read of the old value after the write",
				stalenessText + String.format(" (%d stale reads, %d errors)", staleReads.sum(), errors.sum()), "≤ 12 s",
				fresh && staleness <= 12_000);
		report.report(ID, fault,
				"`getLagMillis()` when lagging (or at the end); age of the last replayed commit at the pause",
				lagAtDetection + " ms; " + replayAge);
		report.report(ID, fault, "stale reads that started after the pool said lagging",
				Long.toString(staleAfterLagging.sum()));
		report.report(ID, fault, "time until caught up (`isLagging()` false) after `pg_wal_replay_resume()`",
				Millis.format(caughtUp, 30_000));
	}

}
