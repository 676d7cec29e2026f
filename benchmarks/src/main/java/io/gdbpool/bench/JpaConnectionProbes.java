package io.gdbpool.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import com.zaxxer.hikari.HikariPoolMXBean;

import io.gdbpool.bench.jpa.SessionProbe;
import io.gdbpool.routing.Pool;
import io.gdbpool.routing.PoolRegistry;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * How many connections a transaction of {@link JpaScenario} takes on the starter's
 * application: the pools' routed counters, their active connections polled during a
 * trial, and the backends JPA and JDBC see in one transaction.
 */
final class JpaConnectionProbes {

	/**
	 * The poller reads the pools one after another: a sample that took longer than this
	 * (the poller was descheduled halfway) could count one thread's connection in one
	 * pool and its next one in another, so it is dropped. No transaction ends and the
	 * next one takes a connection this fast.
	 */
	static final long MAX_SAMPLE_NANOS = 2_000;

	/** Connections the active-count poller saw; samples kept and dropped. */
	record Active(int max, long kept, long dropped) {

	}

	/**
	 * Probe transactions run; with JPA and JDBC on different backends; on the wrong kind
	 * of server.
	 */
	record Probes(long total, long split, long misrouted) {

	}

	private final Settings s;

	private final PoolRegistry pools;

	private final SessionProbe probe;

	JpaConnectionProbes(Settings s, ConfigurableApplicationContext ours) {
		this.s = s;
		this.pools = ours.getBean(PoolRegistry.class);
		this.probe = ours.getBean(SessionProbe.class);
	}

	/**
	 * Reads and writes routed so far, per pool: [reads of pool 0, writes of pool 0, reads
	 * of pool 1, ...].
	 */
	long[] routedCounts() {
		List<Pool> all = List.copyOf(this.pools.pools());
		long[] counts = new long[all.size() * 2];
		for (int i = 0; i < all.size(); i++) {
			counts[2 * i] = all.get(i).getReadsRouted();
			counts[2 * i + 1] = all.get(i).getWritesRouted();
		}
		return counts;
	}

	String describeRouted(long[] routed) {
		List<Pool> all = List.copyOf(this.pools.pools());
		List<String> parts = new ArrayList<>();
		for (int i = 0; i < all.size(); i++) {
			parts.add(
					String.format("%s %,d reads / %,d writes", all.get(i).getName(), routed[2 * i], routed[2 * i + 1]));
		}
		return String.join(", ", parts);
	}

	static long sum(long[] counts) {
		long total = 0;
		for (long count : counts) {
			total += count;
		}
		return total;
	}

	/**
	 * The most connections our pools had out at once while {@code threads} threads ran
	 * the operation, each one transaction at a time: more than {@code threads} would mean
	 * a transaction held two.
	 */
	Active maxActive(int threads, Load.Op op) throws Exception {
		List<HikariPoolMXBean> beans = this.pools.pools()
			.stream()
			.map((p) -> p.getDataSource().getHikariPoolMXBean())
			.toList();
		AtomicBoolean stop = new AtomicBoolean();
		long[] seen = new long[3]; // max, kept, dropped
		Thread poller = new Thread(() -> {
			while (!stop.get()) {
				long t0 = System.nanoTime();
				int active = 0;
				for (HikariPoolMXBean bean : beans) {
					active += bean.getActiveConnections();
				}
				if (System.nanoTime() - t0 <= MAX_SAMPLE_NANOS) {
					seen[0] = Math.max(seen[0], active);
					seen[1]++;
				}
				else {
					seen[2]++;
				}
			}
		}, "bench-active-poller");
		poller.start();
		try {
			Load.run(threads, this.s.trialMillis(), op);
		}
		finally {
			stop.set(true);
			poller.join(); // publishes seen[]
		}
		return new Active((int) seen[0], seen[1], seen[2]);
	}

	/**
	 * Runs the probe's read-only (or read-write) transaction on {@code threads} threads
	 * for one trial: JPA and JDBC must see the same backend, on a standby (or on the
	 * primary).
	 */
	Probes probe(int threads, boolean readOnly) throws Exception {
		LongAdder total = new LongAdder();
		LongAdder split = new LongAdder();
		LongAdder misrouted = new LongAdder();
		Load.run(threads, this.s.trialMillis(), () -> {
			SessionProbe.Session session = readOnly
					? this.probe.read(ThreadLocalRandom.current().nextInt(1, JpaStacks.ROWS + 1))
					: this.probe.write("probe");
			total.increment();
			if (session.jpaPid() != session.jdbcPid()) {
				split.increment();
			}
			if (session.standby() != readOnly) {
				misrouted.increment();
			}
		});
		return new Probes(total.sum(), split.sum(), misrouted.sum());
	}

}
