package io.gdbpool.bench;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import com.zaxxer.hikari.HikariDataSource;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Scenarios 3 and 4: a {@code @PgListen} method with a {@code String} parameter against
 * the bare pgjdbc loop. Senders are plain JDBC on a pool of their own, the same for both
 * sides.
 */
final class NotifyScenario {

	static final String THROUGHPUT = "3. @PgListen throughput";

	static final String LATENCY = "4. @PgListen latency at 5,000/s";

	private static final AtomicInteger trials = new AtomicInteger();

	private final Settings s;

	private final Report report;

	private final HikariDataSource senders;

	NotifyScenario(Settings s, Report report, HikariDataSource senders) {
		this.s = s;
		this.report = report;
		this.senders = senders;
	}

	static void run(Settings s, Report report, boolean throughput, boolean latency) throws Exception {
		String suffix = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
		String ours = "bench_ours_" + suffix;
		String bare = "bench_bare_" + suffix;
		try (HikariDataSource senders = Db.plainPool("senders", s.primaryUrl(), s.user(), 4);
				ConfigurableApplicationContext context = ListenApp.start(s, ours)) {
			Db.awaitFull(senders);
			ListenApp.Receiver receiver = context.getBean(ListenApp.Receiver.class);
			NotifyScenario scenario = new NotifyScenario(s, report, senders);
			if (throughput) {
				try (BareListener reference = new BareListener(s.primaryUrl(), s.user(), bare)) {
					scenario.throughput(receiver, ours, reference, bare);
				}
			}
			if (latency) {
				try (BareListener reference = new BareListener(s.primaryUrl(), s.user(), ours)) {
					scenario.latency(receiver, reference, ours, Integer.getInteger("bench.rate", 5_000),
							s.latencyRuns(), s.latencyMillis(), true);
					// control: a rate this machine delivers without a backlog, so the
					// receivers' own cost shows
					scenario.latency(receiver, reference, ours, 500, s.quick() ? 1 : 2,
							Math.min(4_000, s.latencyMillis()), false);
				}
			}
		}
	}

	// ---- scenario 3

	private void throughput(ListenApp.Receiver receiver, String oursChannel, BareListener reference, String bareChannel)
			throws Exception {
		for (int perStatement : new int[] { 1, 100 }) {
			for (int senderThreads : new int[] { 1, 4 }) {
				long[] lost = new long[2];
				List<Double>[] cpu = cpuLists();
				Interleaved runs = new Interleaved()
					.add("template",
							() -> receive((sink) -> receiver.sink = sink, oursChannel, senderThreads, perStatement,
									lost, cpu, 0))
					.add("reference",
							() -> receive((sink) -> reference.sink = sink, bareChannel, senderThreads, perStatement,
									lost, cpu, 1))
					.run("S3 " + senderThreads + "s×" + perStatement, this.s.warmups(), this.s.shortPairs());
				Stats o = runs.stats("template");
				Stats ref = runs.stats("reference");
				Stats pr = runs.pairRatios("template", "reference");
				double ratio = pr.median();
				boolean pass = ratio >= 0.90 && lost[0] == 0;
				this.report.row(THROUGHPUT,
						senderThreads + " sender" + (senderThreads > 1 ? "s" : "") + ", " + perStatement
								+ " per statement; lost ours/ref " + lost[0] + "/" + lost[1]
								+ String.format("; JVM CPU per notification ours/ref %.1f/%.1f µs",
										new Stats(cpu[0]).median(), new Stats(cpu[1]).median()),
						o.describe("%,.0f") + " /s", ref.describe("%,.0f") + " /s",
						String.format("%.3f (rounds %.3f–%.3f)", ratio, pr.min(), pr.max()), "≥ 0.90, 0 lost", pass);
			}
		}
		this.report.note(THROUGHPUT, "Senders send for " + this.s.trialMillis() + " ms per trial (autocommit, "
				+ "`SELECT pg_notify(?, ?)` or `SELECT pg_notify(?, p) FROM unnest(?::text[]) p` with 100 payloads); "
				+ "the figure is notifications received / (last receipt − first send). Lost = sent − received once nothing more arrives for 2 s (at most 20 s), "
				+ "summed over warm-up and recorded rounds. JVM CPU per notification: the harness JVM's CPU time during a trial (its senders included, which are the same on both sides) / notifications received, median over rounds. Ours: the auto-configured listener (own bounded handler pool; "
				+ "no `@EventListener` for PgNotificationEvent in the application, so none is built), handler `void onPayload(String)`.");
	}

	/** One trial: send for trialMillis, drain, return received per second. */
	private double receive(Consumer<Sink> install, String channel, int senderThreads, int perStatement, long[] lost,
			List<Double>[] cpu, int side) throws Exception {
		// the whole JVM's CPU time: the senders are in it, the same on both sides
		long cpuBefore = Load.processCpuNanos();
		int trial = trials.incrementAndGet();
		Sink sink = new Sink(trial, null);
		install.accept(sink);
		AtomicLong sent = new AtomicLong();
		long start = System.nanoTime();
		long deadline = start + this.s.trialMillis() * 1_000_000L;
		runSenders(senderThreads, (connection, index) -> {
			long seq = 0;
			if (perStatement == 1) {
				try (PreparedStatement ps = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
					ps.setString(1, channel);
					while (System.nanoTime() < deadline) {
						ps.setString(2, trial + ":0:" + index + "-" + seq++);
						try (ResultSet rs = ps.executeQuery()) {
							rs.next();
						}
						sent.incrementAndGet();
					}
				}
			}
			else {
				try (PreparedStatement ps = connection
					.prepareStatement("SELECT pg_notify(?, p) FROM unnest(?::text[]) p")) {
					ps.setString(1, channel);
					String[] payloads = new String[perStatement];
					while (System.nanoTime() < deadline) {
						for (int i = 0; i < perStatement; i++) {
							payloads[i] = trial + ":0:" + index + "-" + seq++;
						}
						Array array = connection.createArrayOf("text", payloads);
						ps.setArray(2, array);
						try (ResultSet rs = ps.executeQuery()) {
							while (rs.next()) {
								// void rows
							}
						}
						array.free();
						sent.addAndGet(perStatement);
					}
				}
			}
		});
		long total = sent.get();
		awaitCount(sink, total, 20_000);
		long received = sink.count();
		lost[side] += total - received;
		cpu[side].add((Load.processCpuNanos() - cpuBefore) / 1e3 / Math.max(1, received));
		install.accept(Sink.NONE);
		return received / ((sink.lastNanos() - start) / 1e9);
	}

	@SuppressWarnings("unchecked")
	private static List<Double>[] cpuLists() {
		return new List[] { new ArrayList<Double>(), new ArrayList<Double>() };
	}

	// ---- scenario 4

	/**
	 * @param rate notifications per second from all senders (-Dbench.rate overrides the
	 * judged 5,000 for experiments)
	 * @param judged whether the targets apply (the 5,000/s runs) or the rows are a
	 * report-only control
	 */
	private void latency(ListenApp.Receiver receiver, BareListener reference, String channel, int rate, int runs,
			long runMillis, boolean judged) throws Exception {
		int senderThreads = 4;
		List<double[]> ours = new ArrayList<>();
		List<double[]> bare = new ArrayList<>();
		List<Double> rates = new ArrayList<>();
		long lostOurs = 0;
		long lostBare = 0;
		for (int run = -1; run < runs; run++) {
			long millis = (run < 0) ? Math.min(3_000, runMillis) : runMillis;
			int trial = trials.incrementAndGet();
			Recorder oursRecorder = new Recorder(java.util.concurrent.TimeUnit.SECONDS.toNanos(60), 3);
			Recorder bareRecorder = new Recorder(java.util.concurrent.TimeUnit.SECONDS.toNanos(60), 3);
			Sink oursSink = new Sink(trial, oursRecorder);
			Sink bareSink = new Sink(trial, bareRecorder);
			receiver.sink = oursSink;
			reference.sink = bareSink;
			long periodNanos = 1_000_000_000L * senderThreads / rate;
			long count = millis * rate / 1000 / senderThreads;
			AtomicLong sent = new AtomicLong();
			long start = System.nanoTime() + 10_000_000L;
			runSenders(senderThreads, (connection, index) -> {
				try (PreparedStatement ps = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
					ps.setString(1, channel);
					// each sender is offset by a quarter period: 4 × 1,250/s evenly
					// spread
					long first = start + index * periodNanos / senderThreads;
					for (long i = 0; i < count; i++) {
						long due = first + i * periodNanos;
						long wait;
						while ((wait = due - System.nanoTime()) > 0) {
							LockSupport.parkNanos(wait);
						}
						ps.setString(2, trial + ":" + System.nanoTime() + ":" + i);
						try (ResultSet rs = ps.executeQuery()) {
							rs.next();
						}
						sent.incrementAndGet();
					}
				}
			});
			long total = sent.get();
			double achieved = total / ((System.nanoTime() - start) / 1e9);
			awaitCount(oursSink, total, 20_000);
			awaitCount(bareSink, total, 20_000);
			receiver.sink = Sink.NONE;
			reference.sink = Sink.NONE;
			Histogram o = oursRecorder.getIntervalHistogram();
			Histogram b = bareRecorder.getIntervalHistogram();
			double[] op = percentiles(o);
			double[] bp = percentiles(b);
			Log.progress(String.format(
					"  S4 %d/s %s: sent %d at %.0f/s; ours p50/p99/p99.9 %.0f/%.0f/%.0f µs (%d); bare %.0f/%.0f/%.0f µs (%d)",
					rate, run < 0 ? "warm-up" : "run " + (run + 1), total, achieved, op[0], op[1], op[2],
					oursSink.count(), bp[0], bp[1], bp[2], bareSink.count()));
			if (run >= 0) {
				rates.add(achieved);
				ours.add(op);
				bare.add(bp);
				lostOurs += total - oursSink.count();
				lostBare += total - bareSink.count();
			}
		}
		String[] names = { "p50", "p99", "p99.9" };
		Stats[] o = new Stats[3];
		Stats[] b = new Stats[3];
		for (int i = 0; i < 3; i++) {
			int k = i;
			o[i] = new Stats(ours.stream().mapToDouble((p) -> p[k]).toArray());
			b[i] = new Stats(bare.stream().mapToDouble((p) -> p[k]).toArray());
		}
		for (int i = 0; i < 3; i++) {
			String target;
			Boolean pass;
			String ratio;
			if (i == 0) {
				double diff = o[0].median() - b[0].median();
				ratio = String.format("%+.0f µs", diff);
				target = "≤ ref + 500 µs";
				pass = diff <= 500;
			}
			else if (i == 1) {
				double r = o[1].median() / b[1].median();
				ratio = String.format("%.2f×", r);
				target = "≤ 1.2 × ref";
				pass = r <= 1.2;
			}
			else {
				ratio = String.format("%.2f×", o[2].median() / b[2].median());
				target = "report";
				pass = null;
			}
			if (!judged) {
				target = "report";
				pass = null;
			}
			this.report.row(LATENCY,
					(judged ? "" : "control at " + rate + "/s: ") + names[i] + " send → handler entry; lost ours/ref "
							+ lostOurs + "/" + lostBare,
					o[i].describe("%,.0f") + " µs", b[i].describe("%,.0f") + " µs", ratio, target, pass);
		}
		if (!judged) {
			this.report.note(LATENCY, "Control: the same at " + rate + "/s, " + runs + " run(s) of "
					+ runMillis / 1000.0 + " s; send rate achieved " + new Stats(rates).describe("%,.0f") + " /s.");
			return;
		}
		this.report.note(LATENCY, senderThreads + " senders paced at " + rate
				+ " notifications/s in total (one per transaction) for " + runMillis / 1000.0 + " s per run, " + runs
				+ " runs after a warm-up run. Both receivers "
				+ "LISTEN on the same channel in the same run, so they see the same notifications; the payload carries "
				+ "System.nanoTime() taken just before the send. Figures: median over runs of each run's percentile (min–max). "
				+ String.format("Send rate achieved (sent / time until the last send returned): %s /s. ",
						new Stats(rates).describe("%,.0f"))
				+ "A p50 far above a millisecond for both sides means the servers could not deliver 5,000/s on this machine at "
				+ "the time (notifications queue up before either receiver sees them), and the figures measure that backlog more "
				+ "than either receiver; the control at 500/s shows the receivers' own cost.");
	}

	private static double[] percentiles(Histogram h) {
		return new double[] { h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3,
				h.getValueAtPercentile(99.9) / 1e3 };
	}

	// ---- helpers

	interface SenderBody {

		void run(Connection connection, int index) throws Exception;

	}

	private void runSenders(int threads, SenderBody body) throws Exception {
		AtomicReference<Throwable> failure = new AtomicReference<>();
		Thread[] workers = new Thread[threads];
		for (int t = 0; t < threads; t++) {
			int index = t;
			workers[t] = new Thread(() -> {
				try (Connection connection = this.senders.getConnection()) {
					connection.setAutoCommit(true);
					body.run(connection, index);
				}
				catch (Throwable ex) {
					failure.compareAndSet(null, ex);
				}
			}, "bench-sender-" + t);
			workers[t].start();
		}
		for (Thread worker : workers) {
			worker.join();
		}
		if (failure.get() != null) {
			throw new IllegalStateException("A sender failed", failure.get());
		}
	}

	/**
	 * Waits until the sink has {@code expected} notifications, or it got none for two
	 * seconds (the rest was dropped), or {@code timeoutMillis} passed.
	 */
	private static void awaitCount(Sink sink, long expected, long timeoutMillis) throws InterruptedException {
		long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
		long seen = -1;
		long progressAt = System.nanoTime();
		while (sink.count() < expected && System.nanoTime() < deadline) {
			long now = sink.count();
			if (now != seen) {
				seen = now;
				progressAt = System.nanoTime();
			}
			else if (System.nanoTime() - progressAt > 2_000_000_000L) {
				return;
			}
			Thread.sleep(1);
		}
	}

}
