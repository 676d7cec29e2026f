package io.gdbpool.bench.faults;

import io.gdbpool.GDBPoolTemplate;
import io.gdbpool.routing.Pool;
import io.gdbpool.routing.PoolRegistry;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Scenario 3: the only replica stopped, killed with -9 and frozen with SIGSTOP while 4
 * threads read on the read route. No caller may see an error or wait long; the replica
 * must leave rotation and come back when it answers again.
 */
final class ReplicaOutageScenario {

	static final int ID = 3;

	static final String TITLE = "3. Replica stopped, killed, frozen under reads";

	private static final String REPLICA_APP = "gdbpool-replica";

	private static final long BOUND_MILLIS = 30_000;

	private enum Fault {

		STOP("3. replica stopped (`pg_ctl stop -m fast`)", "restart"),
		KILL("3. replica killed (`kill -9` of every server process)", "restart"),
		FREEZE("3. replica frozen (SIGSTOP), then thawed", "thaw");

		final String title;

		final String repair;

		Fault(String title, String repair) {
			this.title = title;
			this.repair = repair;
		}

	}

	private ReplicaOutageScenario() {
	}

	static void run(ScratchCluster cluster, FaultSettings s, FaultReport report) throws Exception {
		ScratchServer primary = cluster.primary();
		ScratchServer replica = cluster.replica(s.replicaPort());
		FaultApp.Pools pools = new FaultApp.Pools().write("primary", primary.url()).read("replica", replica.url());
		try (ConfigurableApplicationContext context = FaultApp.start(pools)) {
			Pool pool = context.getBean(PoolRegistry.class).get("replica");
			try (ReadLoad load = new ReadLoad(context.getBean(GDBPoolTemplate.class), 4);
					StateTimeline rotation = new StateTimeline("rotation", pool::isInRotation, 2)) {
				for (Fault fault : Fault.values()) {
					Progress.line("  " + fault.title);
					measure(fault, cluster, replica, pool, load, rotation, s, report);
				}
			}
		}
		report.note(ID,
				"Setup: write pool `primary` on the scratch primary, read pool `replica` on a streaming replica of "
						+ "it, default settings (read pool connection timeout 1 s, check interval 1 s, fallback to the primary). "
						+ "4 threads run `template.queryForList(\"SELECT current_setting('application_name')\")` back to back the "
						+ "whole time; each fault starts once the replica served reads again.");
		report.note(ID, "Times are from the start of the fault command (`scripts/replica.sh stop|kill|freeze`, which "
				+ "itself takes a few tens of ms; stop returns once the server is down) until "
				+ "`PoolRegistry.get(\"replica\").isInRotation()` is false (polled every 2 ms); load continues "
				+ s.observeMillis()
				+ " ms after that. Then the replica is restarted (stop and kill: a fresh base backup "
				+ "of the primary, since both leave no usable server) or thawed; \"back in rotation\" is from the moment "
				+ "the server answers `SELECT 1` again (polled every 10 ms during the restart) or the thaw was sent, until it is in rotation and stays there for "
				+ s.stableMillis() + " ms.");
		report.note(ID, "Errors and the longest read cover the whole cycle, fault to back in rotation. An error MISS "
				+ "means a caller saw a failure the library should have absorbed (retry elsewhere); a wait MISS means "
				+ "a read waited on a dead server longer than the read pool's connection timeout allows.");
	}

	private static void measure(Fault fault, ScratchCluster cluster, ScratchServer replica, Pool pool, ReadLoad load,
			StateTimeline rotation, FaultSettings s, FaultReport report) {
		long servedBefore = load.servedBy(REPLICA_APP);
		double ready = Millis.await(System.nanoTime(), BOUND_MILLIS, 10,
				() -> pool.isInRotation() && load.servedBy(REPLICA_APP) > servedBefore + 50);
		if (Double.isNaN(ready)) {
			throw new IllegalStateException(
					"the replica did not serve reads within " + BOUND_MILLIS + " ms before the fault");
		}
		long readsBefore = load.reads();
		load.mark();
		long t0 = System.nanoTime();
		boolean frozen = false;
		double command;
		long answering;
		try {
			switch (fault) {
				case STOP -> replica.stop();
				case KILL -> replica.kill();
				case FREEZE -> {
					replica.freeze();
					frozen = true;
				}
			}
			command = Millis.since(t0);
			Millis.await(t0, BOUND_MILLIS, 5, () -> rotation.firstChangeTo(false, t0) != 0);
			Millis.sleep(s.observeMillis());
		}
		finally {
			if (fault == Fault.FREEZE) {
				if (frozen) {
					replica.thaw();
				}
				answering = System.nanoTime();
			}
			else {
				long repairStart = System.nanoTime();
				try (StateTimeline answers = new StateTimeline("replica-answers", () -> Sql.answers(replica.port),
						10)) {
					cluster.restartReplica(replica);
					Millis.await(repairStart, 10_000, 5, () -> answers.firstChangeTo(true, repairStart) != 0);
					long first = answers.firstChangeTo(true, repairStart);
					answering = (first != 0) ? first : System.nanoTime();
				}
			}
		}
		// back for good: in rotation and unchanged for a while (a replica can come back
		// and be ejected again)
		Millis.await(answering, BOUND_MILLIS, 10, () -> pool.isInRotation()
				&& System.nanoTime() - rotation.lastChangeAt() >= s.stableMillis() * 1_000_000L);
		long servedAfter = load.servedBy(REPLICA_APP);
		double servedAgain = Millis.await(System.nanoTime(), 10_000, 10,
				() -> load.servedBy(REPLICA_APP) > servedAfter);
		long outAt = rotation.firstChangeTo(false, t0);
		long firstBackAt = rotation.firstChangeTo(true, t0);
		long stableAt = pool.isInRotation() ? rotation.lastChangeAt() : 0;
		int reEjected = (firstBackAt == 0) ? 0 : rotation.changesTo(false, firstBackAt);
		double out = (outAt == 0) ? Double.NaN : Millis.between(t0, outAt);
		// measured from the server's return; negative would mean back in rotation while
		// it was still away
		double back = (stableAt == 0) ? Double.NaN : Millis.between(answering, stableAt);
		double firstBack = (firstBackAt == 0) ? Double.NaN : Millis.between(answering, firstBackAt);
		String timeline = rotation.describeSince(t0, "in", "out");
		long reads = load.reads() - readsBefore;
		long errors = load.errorCount();
		double longest = load.longestMillis();
		double longestAt = (load.longestStart() == 0) ? Double.NaN : Millis.between(t0, load.longestStart());
		Progress.line(String.format(
				"    command took %.0f ms; rotation: %s; server answered at +%.0f ms; longest read %s "
						+ "(started at %+.0f ms); %d errors in %,d reads",
				command, timeline, Millis.between(t0, answering), Millis.format(longest, 0), longestAt, errors, reads));
		report.row(ID, fault.title, "caller-visible read errors",
				errors + " of " + String.format("%,d", reads) + " reads", "0", errors == 0);
		report.row(ID, fault.title, "longest read", Millis.format(longest, 0), "≤ 2 s", longest <= 2_000);
		report.report(ID, fault.title, "time until out of rotation", Millis.format(out, BOUND_MILLIS));
		report.report(ID, fault.title, "time until back in rotation (for good) after the " + fault.repair,
				Millis.format(back, BOUND_MILLIS)
						+ ((reEjected > 0) ? " (first back after " + Millis.format(firstBack, 0)
								+ ", then ejected again " + reEjected + "×)" : "")
						+ (Double.isNaN(servedAgain) ? " (then served no read within 10 s)" : ""));
		report.note(ID,
				String.format(
						"%s: fault command %.0f ms; rotation %s; server answering again at +%.0f ms; longest "
								+ "read started at %+.0f ms.",
						fault.title, command, timeline, Millis.between(t0, answering), longestAt));
		load.errors().forEach((e) -> report.note(ID, fault.title + ": a caller saw `" + e + "`"));
	}

}
