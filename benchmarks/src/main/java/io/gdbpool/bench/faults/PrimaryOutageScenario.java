package io.gdbpool.bench.faults;

import java.util.List;
import java.util.function.Supplier;

import io.gdbpool.GDBPoolTemplate;
import io.gdbpool.routing.Pool;
import io.gdbpool.routing.PoolRegistry;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Scenario 4: the only write pool's server (the scratch primary) stopped, killed with -9
 * and frozen with SIGSTOP while 2 threads write and 1 thread calls the pool's health
 * indicator in a loop. Health must answer at once and say DOWN within seconds; once it
 * does, writes must fail at once instead of waiting for the pool; everything must come
 * back with the server.
 */
final class PrimaryOutageScenario {

	static final int ID = 4;

	static final String TITLE = "4. Primary stopped, killed, frozen under writes and health checks";

	private static final long BOUND_MILLIS = 30_000;

	private static final String UP = "UP";

	private static final String DOWN = "DOWN";

	private enum Fault {

		STOP("4. primary stopped (`pg_ctl stop -m fast`)", "rebuild"),
		KILL("4. primary killed (`kill -9` of every server process)", "rebuild"),
		FREEZE("4. primary frozen (SIGSTOP), then thawed", "thaw");

		final String title;

		final String repair;

		Fault(String title, String repair) {
			this.title = title;
			this.repair = repair;
		}

	}

	private PrimaryOutageScenario() {
	}

	static void run(ScratchCluster cluster, FaultSettings s, FaultReport report) throws Exception {
		ScratchServer primary = cluster.primary();
		try (ConfigurableApplicationContext context = FaultApp
			.start(new FaultApp.Pools().write("main", primary.url()))) {
			GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
			Pool pool = context.getBean(PoolRegistry.class).get("main");
			PoolHealth health = PoolHealth.of(context, "main");
			Supplier<String> status;
			String what;
			if (health != null) {
				status = health::status;
				what = "health";
			}
			else {
				// without spring-boot-health, the monitor's verdict that health would
				// report
				status = () -> pool.isAnswering() ? UP : DOWN;
				what = "`Pool.isAnswering()` (health not on the class path)";
				report.note(ID,
						"**spring-boot-health was not on the class path**: health rows show `Pool.isAnswering()`, "
								+ "the monitor state the health indicator reports, not a health call.");
			}
			try (WriteLoad writes = new WriteLoad(template, 2); HealthLoop healthLoop = new HealthLoop(status)) {
				for (Fault fault : Fault.values()) {
					Progress.line("  " + fault.title);
					measure(fault, cluster, writes, healthLoop, what, s, report);
				}
			}
		}
		report.note(ID, "Setup: one write pool `main` on the scratch primary, default settings (write pool connection "
				+ "timeout 5 s, check interval 1 s). 2 threads each run `template.update(\"INSERT …\")` every "
				+ WriteLoad.PAUSE_MILLIS + " ms (failed or not); 1 thread calls `((HealthIndicator) dbHealthContributor"
				+ ".getContributor(\"main\")).health()` every " + HealthLoop.PAUSE_MILLIS + " ms.");
		report.note(ID,
				"Times are from the start of the fault command (`scripts/replica.sh stop|kill|freeze`). The outage "
						+ "lasts until health said DOWN plus " + s.primaryObserveMillis()
						+ " ms (longer than the write pool's 5 s "
						+ "connection timeout, so writes that were already waiting have ended and later ones show how a write "
						+ "fails once the library knows); then the server is rebuilt (stop, kill: "
						+ "fresh base backup, `pg_promote`, tables created again; the same port) or thawed, and \"back\" is the "
						+ "moment that returned. \"A write once DOWN\" = the slowest failure among writes that started after the "
						+ "first DOWN answer; a MISS there means writes still wait (for the pool's connection timeout, or on the "
						+ "server) although the library knows the server is gone. Writes already waiting when DOWN came are "
						+ "reported separately: how long they kept waiting after DOWN. The longest write of the outage includes "
						+ "writes that were already running when the fault came.");
	}

	private static void measure(Fault fault, ScratchCluster cluster, WriteLoad writes, HealthLoop health, String what,
			FaultSettings s, FaultReport report) {
		long readyFrom = System.nanoTime();
		double ready = Millis.await(readyFrom, BOUND_MILLIS, 10,
				() -> writes.firstSuccessAfter(readyFrom) != 0 && health.firstAnswer(readyFrom, UP) != 0);
		if (Double.isNaN(ready)) {
			throw new IllegalStateException("writes and health were not back to normal within " + BOUND_MILLIS + " ms");
		}
		ScratchServer primary = cluster.primary();
		long t0 = System.nanoTime();
		boolean frozen = false;
		double down;
		long back;
		long repairStart;
		try {
			switch (fault) {
				case STOP -> primary.stop();
				case KILL -> primary.kill();
				case FREEZE -> {
					primary.freeze();
					frozen = true;
				}
			}
			double command = Millis.since(t0);
			down = Millis.await(t0, BOUND_MILLIS, 5, () -> health.firstAnswer(t0, DOWN) != 0);
			long downAt = health.firstAnswer(t0, DOWN);
			if (downAt != 0) {
				down = Millis.between(t0, downAt);
			}
			Progress.line(String.format("    command took %.0f ms; DOWN after %s", command,
					Millis.format(down, BOUND_MILLIS)));
			Millis.sleep(s.primaryObserveMillis());
		}
		finally {
			repairStart = System.nanoTime();
			if (fault == Fault.FREEZE) {
				if (frozen) {
					primary.thaw();
				}
			}
			else {
				cluster.rebuildPrimary();
			}
			back = System.nanoTime();
		}
		long downAt = health.firstAnswer(t0, DOWN);
		double up = Millis.await(back, BOUND_MILLIS, 5, () -> health.firstAnswer(back, UP) != 0);
		long upAt = health.firstAnswer(back, UP);
		if (upAt != 0) {
			up = Millis.between(back, upAt);
		}
		double written = Millis.await(back, BOUND_MILLIS, 5, () -> writes.firstSuccessAfter(back) != 0);
		long writtenAt = writes.firstSuccessAfter(back);
		if (writtenAt != 0) {
			written = Millis.between(back, writtenAt);
		}
		// writes stuck on the server when it went away end by now, or are counted as
		// still waiting
		Millis.await(System.nanoTime(), BOUND_MILLIS, 10, () -> writes.settledBefore(back));
		double longestHealth = health.longestOverlapping(t0, Math.max(back, upAt));
		double longestWrite = writes.longestOverlapping(t0, back);
		// writes already waiting when health said DOWN: how long they still waited, until
		// the repair began at most
		double waitOnceDown = (downAt == 0) ? Double.NaN : writes.longestWaitAfter(downAt, repairStart);
		List<WriteLoad.Write> startedOnceDown = (downAt == 0) ? List.of() : writes.startedBetween(downAt, repairStart);
		double slowestNewFailure = startedOnceDown.stream()
			.filter(WriteLoad.Write::failed)
			.mapToDouble(WriteLoad.Write::millis)
			.max()
			.orElse(Double.NaN);
		Outcomes errors = writes.errorsBetween(t0, Math.max(back, writtenAt));
		Progress.line(String
			.format("    %s took %.0f ms; UP %s and first write %s after that; longest health call %.1f ms, "
					+ "longest write %.0f ms, already waiting at DOWN waited %s more; %d writes started after DOWN, slowest failure %s",
					fault.repair, Millis.between(repairStart, back), Millis.format(up, BOUND_MILLIS),
					Millis.format(written, BOUND_MILLIS), longestHealth, longestWrite, Millis.format(waitOnceDown, 0),
					startedOnceDown.size(), Millis.format(slowestNewFailure, 0)));
		report.row(ID, fault.title, "longest " + what + " call, fault to UP", Millis.format(longestHealth, 0), "≤ 1 s",
				longestHealth <= 1_000);
		report.row(ID, fault.title, "time from fault to " + what + " DOWN", Millis.format(down, BOUND_MILLIS), "≤ 2 s",
				FaultReport.atMost(down, 2_000));
		report.row(ID, fault.title,
				"time a write takes to fail once DOWN is reported (slowest of the writes started " + "after DOWN)",
				Double.isNaN(slowestNewFailure)
						? "no write started after DOWN failed (" + startedOnceDown.size() + " started)"
						: Millis.format(slowestNewFailure, 0) + " (" + startedOnceDown.size() + " started)",
				"≤ 1 s", FaultReport.atMost(slowestNewFailure, 1_000));
		report.report(ID, fault.title, "writes already waiting when DOWN came: how long they kept waiting after it",
				Millis.format(waitOnceDown, BOUND_MILLIS));
		report.report(ID, fault.title, "longest write wait during the outage", Millis.format(longestWrite, 0));
		WriteLoad.Write firstWrite = writes.firstSuccessfulWriteAfter(back);
		report.report(ID, fault.title,
				"after " + fault.repair + ": time to " + what + " UP / to the first successful write "
						+ "(how long that write itself took)",
				Millis.format(up, BOUND_MILLIS) + " / " + Millis.format(written, BOUND_MILLIS)
						+ ((firstWrite == null) ? "" : " (" + Millis.format(firstWrite.millis(), 0) + ")"));
		report.note(ID,
				fault.title + ": health " + health.describeSince(t0) + "; server back at +"
						+ Millis.format(Millis.between(t0, back), 0) + "; errors writers saw: "
						+ errors.describe().replace("`", "'") + ".");
	}

}
