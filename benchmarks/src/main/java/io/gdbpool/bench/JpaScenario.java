package io.gdbpool.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;

import io.gdbpool.bench.jpa.BenchOwner;
import io.gdbpool.bench.jpa.BenchOwnerRepository;
import io.gdbpool.bench.jpa.JpaBenchApp;
import io.gdbpool.bench.jpa.SessionProbe;
import io.gdbpool.routing.Pool;
import io.gdbpool.routing.PoolRegistry;
import io.gdbpool.transaction.RoutingJpaTransactionManager;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Scenario 8: a Spring Data JPA application ({@link JpaBenchApp}: one entity with an IDENTITY
 * key, a {@code JpaRepository}) with the starter, a primary and two replicas, against the same
 * application on Boot's own stack (its HikariDataSource and JpaTransactionManager) on the primary
 * alone. Both are real Boot contexts, alive side by side for the whole scenario; two more, the
 * read case's controls, tell the starter's own cost apart from that of reading standbys.
 * <p>
 * On ours, {@code findById} (Spring Data's read-only transaction) should run on a replica and
 * {@code save} on the primary, each on one connection: the scenario measures both rather than
 * assuming them, from the pools' own counters, their active connections and the backend pids a
 * transaction sees.
 */
final class JpaScenario {

	static final String NAME = "8. JPA (Spring Data) through the starter";

	private static final String TABLE = JpaBenchApp.SCHEMA + ".bench_owner";

	/** Rows {@code findById} picks from, inserted before the applications start. */
	private static final int ROWS = 1_000;

	private static final int POOL_SIZE = 10;

	/** What keeps the starter out of the reference application (the starter's AutoConfiguration.imports). */
	private static final String GDBPOOL_AUTO_CONFIGURATIONS = "io.gdbpool.autoconfigure.GDBPoolAutoConfiguration,"
			+ "io.gdbpool.autoconfigure.GDBPoolListenerAutoConfiguration,"
			+ "io.gdbpool.autoconfigure.GDBPoolHealthAutoConfiguration,"
			+ "io.gdbpool.autoconfigure.GDBPoolMetricsAutoConfiguration";

	/**
	 * The poller reads the pools one after another: a sample that took longer than this (the poller
	 * was descheduled halfway) could count one thread's connection in one pool and its next one in
	 * another, so it is dropped. No transaction ends and the next one takes a connection this fast.
	 */
	private static final long MAX_SAMPLE_NANOS = 2_000;

	/**
	 * One measured operation, called on the repository outside any transaction, as an application
	 * calls it.
	 * @param label short name for the progress log
	 * @param caseName the case column
	 * @param op the operation on a repository of either side
	 * @param readOnly whether it runs in a read-only transaction (should be served by a replica)
	 */
	private record Case(String label, String caseName, Function<BenchOwnerRepository, Load.Op> op, boolean readOnly) {

	}

	/** Connections the active-count poller saw; samples kept and dropped. */
	private record Active(int max, long kept, long dropped) {

	}

	/** Probe transactions run; with JPA and JDBC on different backends; on the wrong kind of server. */
	private record Probes(long total, long split, long misrouted) {

	}

	private final Settings s;

	private final Report report;

	private final PoolRegistry pools;

	private final BenchOwnerRepository ours;

	private final BenchOwnerRepository reference;

	/** Control of the read case: the starter with replica-a as its only read pool. */
	private final BenchOwnerRepository oneReplica;

	/** Control of the read case: Boot's plain stack reading replica-a instead of the primary. */
	private final BenchOwnerRepository onReplica;

	private final SessionProbe probe;

	private JpaScenario(Settings s, Report report, ConfigurableApplicationContext ours,
			ConfigurableApplicationContext reference, ConfigurableApplicationContext oneReplica,
			ConfigurableApplicationContext onReplica) {
		this.s = s;
		this.report = report;
		this.pools = ours.getBean(PoolRegistry.class);
		this.ours = ours.getBean(BenchOwnerRepository.class);
		this.reference = reference.getBean(BenchOwnerRepository.class);
		this.oneReplica = oneReplica.getBean(BenchOwnerRepository.class);
		this.onReplica = onReplica.getBean(BenchOwnerRepository.class);
		this.probe = ours.getBean(SessionProbe.class);
	}

	static void run(Settings s, Report report) throws Exception {
		try (HikariDataSource admin = Db.plainPool("jpa-admin", s.primaryUrl(), s.user(), 1)) {
			try {
				createTable(s, admin);
				try (ConfigurableApplicationContext ours = start(oursProperties(s, true));
						ConfigurableApplicationContext reference = start(referenceProperties(s, s.primaryUrl(), "bench-ref-jpa"));
						ConfigurableApplicationContext oneReplica = start(oursProperties(s, false));
						ConfigurableApplicationContext onReplica = start(
								referenceProperties(s, s.replicaAUrl(), "bench-ref-jpa-replica"))) {
					checkOurs(ours);
					checkReference(reference);
					checkOurs(oneReplica);
					checkReference(onReplica);
					new JpaScenario(s, report, ours, reference, oneReplica, onReplica).measure();
				}
			}
			finally {
				Db.execute(admin, "DROP SCHEMA IF EXISTS " + JpaBenchApp.SCHEMA + " CASCADE");
			}
		}
	}

	// ---- setup

	/**
	 * The table and its rows, over plain JDBC on the primary (Hibernate's ddl-auto is off on both
	 * sides), then replayed by both replicas before either application starts, so ours finds every
	 * row on whichever replica a read lands.
	 */
	private static void createTable(Settings s, HikariDataSource admin) throws Exception {
		Db.execute(admin, "DROP SCHEMA IF EXISTS " + JpaBenchApp.SCHEMA + " CASCADE");
		Db.execute(admin, "CREATE SCHEMA " + JpaBenchApp.SCHEMA);
		Db.execute(admin, "CREATE TABLE " + TABLE
				+ " (id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, name varchar(255) NOT NULL)");
		Db.execute(admin, "INSERT INTO " + TABLE + " (name) SELECT 'owner-' || g FROM generate_series(1, " + ROWS + ") g");
		String lsn = Db.scalar(admin, "SELECT pg_current_wal_insert_lsn()::text");
		for (String url : new String[] { s.replicaAUrl(), s.replicaBUrl() }) {
			try (HikariDataSource replica = Db.plainPool("jpa-replay", url, s.user(), 1)) {
				long deadline = System.nanoTime() + 30_000_000_000L;
				while (!"t".equals(Db.scalar(replica, "SELECT pg_last_wal_replay_lsn() >= '" + lsn + "'::pg_lsn"))) {
					if (System.nanoTime() > deadline) {
						throw new IllegalStateException(url + " has not replayed the primary's WAL up to " + lsn + " in 30 s");
					}
					Thread.sleep(20);
				}
			}
		}
	}

	/**
	 * @param bothReplicas ours (primary, replica-a, replica-b), or the control with replica-a as the
	 * only read pool; its write pool, idle in the read case, is small, and its pools are named apart
	 */
	private static String[] oursProperties(Settings s, boolean bothReplicas) {
		List<String> props = new ArrayList<>();
		String[][] pools = bothReplicas
				? new String[][] { { "primary", "write", s.primaryUrl() }, { "replica-a", "read", s.replicaAUrl() },
						{ "replica-b", "read", s.replicaBUrl() } }
				: new String[][] { { "primary", "write", s.primaryUrl() }, { "replica-a", "read", s.replicaAUrl() } };
		for (String[] pool : pools) {
			String prefix = "gdbpool.pools." + pool[0] + ".";
			int size = (bothReplicas || pool[1].equals("read")) ? POOL_SIZE : 2;
			props.add(prefix + "url=" + pool[2]);
			props.add(prefix + "username=" + s.user());
			props.add(prefix + "role=" + pool[1]);
			props.add(prefix + "hikari.maximum-pool-size=" + size);
			props.add(prefix + "hikari.minimum-idle=" + size);
			if (!bothReplicas) {
				props.add(prefix + "hikari.pool-name=gdbpool-one-replica-" + pool[0]);
			}
		}
		return props.toArray(String[]::new);
	}

	private static String[] referenceProperties(Settings s, String url, String name) {
		return new String[] { "spring.datasource.url=" + url, "spring.datasource.username=" + s.user(),
				"spring.datasource.hikari.maximum-pool-size=" + POOL_SIZE, "spring.datasource.hikari.minimum-idle=" + POOL_SIZE,
				"spring.datasource.hikari.pool-name=" + name,
				// what the starter's pools set too (PoolFactory), so the connections differ in nothing else
				"spring.datasource.hikari.data-source-properties[tcpKeepAlive]=true",
				"spring.datasource.hikari.data-source-properties[ApplicationName]=" + name,
				"spring.autoconfigure.exclude=" + GDBPOOL_AUTO_CONFIGURATIONS };
	}

	private static ConfigurableApplicationContext start(String[] properties) {
		List<String> all = new ArrayList<>(List.of(properties));
		all.add("spring.jpa.open-in-view=false");
		all.add("spring.jpa.hibernate.ddl-auto=none");
		return new SpringApplicationBuilder(JpaBenchApp.class).web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.properties(all.toArray(String[]::new))
			.run();
	}

	/** The starter's application has the stack the comparison is about, or the scenario fails. */
	private static void checkOurs(ConfigurableApplicationContext ours) throws InterruptedException {
		PlatformTransactionManager manager = ours.getBean(PlatformTransactionManager.class);
		if (!(manager instanceof RoutingJpaTransactionManager)) {
			throw new IllegalStateException("The starter's application has transaction manager "
					+ manager.getClass().getName() + ", not RoutingJpaTransactionManager");
		}
		for (Pool pool : ours.getBean(PoolRegistry.class).pools()) {
			Db.awaitFull(pool.getDataSource());
			if (!pool.isWrite() && !pool.isInRotation()) {
				throw new IllegalStateException("Replica " + pool + " is not in rotation: " + pool.getLastError());
			}
		}
	}

	/** A reference application is Boot's plain stack, with nothing of gDBPool, or the scenario fails. */
	private static void checkReference(ConfigurableApplicationContext reference) throws InterruptedException {
		PlatformTransactionManager manager = reference.getBean(PlatformTransactionManager.class);
		DataSource dataSource = reference.getBean(DataSource.class);
		if (manager.getClass() != JpaTransactionManager.class || !(dataSource instanceof HikariDataSource pool)
				|| !reference.getBeansOfType(PoolRegistry.class).isEmpty()) {
			throw new IllegalStateException("The reference application is not Boot's plain stack: "
					+ manager.getClass().getName() + " on " + dataSource.getClass().getName());
		}
		Db.awaitFull(pool);
	}

	// ---- measurement

	private void measure() throws Exception {
		Case[] cases = {
				new Case("findById", "Spring Data `findById` of an existing row (read-only transaction)", JpaScenario::findById,
						true),
				new Case("save", "Spring Data `save` of a new entity (one transaction each)", JpaScenario::save, false) };
		StringBuilder routing = new StringBuilder();
		for (Case c : cases) {
			warmUp(c);
			long[] routed = new long[routedCounts().length];
			for (int threads : new int[] { 4, 8 }) {
				long[] during = measure(c, threads);
				for (int i = 0; i < routed.length; i++) {
					routed[i] += during[i];
				}
			}
			routing.append(c.label()).append(" trials: ").append(describeRouted(routed)).append(". ");
		}
		this.report.note(NAME, "Setup: table `" + TABLE + "` (id integer GENERATED BY DEFAULT AS IDENTITY, name) created "
				+ "and filled with " + String.format("%,d", ROWS) + " rows over plain JDBC on the primary, and replayed by both replicas "
				+ "(`pg_last_wal_replay_lsn()` ≥ the primary's `pg_current_wal_insert_lsn()`) before the applications "
				+ "start; dropped afterwards. Ours: a Spring Boot application context (`SpringApplicationBuilder`, no web, "
				+ "`spring.jpa.open-in-view=false`, ddl-auto none) with the starter and `gdbpool.pools.primary` (write, "
				+ s.primaryUrl() + "), `replica-a` and `replica-b` (read, " + s.replicaAUrl() + ", " + s.replicaBUrl() + "), "
				+ "HikariCP " + POOL_SIZE + " connections each, minimum-idle " + POOL_SIZE
				+ "; its transaction manager is `RoutingJpaTransactionManager` (checked). Reference: the same application "
				+ "class in a second context with `spring.datasource.url` on the primary (Boot's HikariDataSource, "
				+ POOL_SIZE + " connections, minimum-idle " + POOL_SIZE + "), Boot's `JpaTransactionManager` (checked), "
				+ "gDBPool's four auto-configurations excluded. Controls of the read case (report only), interleaved in "
				+ "the same rounds: the starter with replica-a as its only read pool (its write pool: 2 connections, idle "
				+ "here), and the reference application with `spring.datasource.url` on " + this.s.replicaAUrl()
				+ "; they tell a gap apart as the starter's code (same standby, same pool size), the standby itself, "
				+ "or reads spread over two standbys. The four contexts live through the whole scenario. "
				+ "Operations: `findById` of a random one of the " + String.format("%,d", ROWS) + " rows, and `save` of a new entity "
				+ "(IDENTITY: an INSERT returning the id), each called on the repository outside any transaction, "
				+ "so each is one Spring Data transaction. Before a case's rounds each side runs it, alternately, "
				+ warmUpPasses() + " × " + warmUpMillis() + " ms on 8 threads, unrecorded (the JIT's warm-up of Hibernate, "
				+ "Spring Data and Spring's transaction code). JVM CPU per op: the harness JVM's CPU time during a trial "
				+ "(every context's background threads included) / operations in it, median over the recorded rounds.");
		this.report.note(NAME, "Connections per transaction, measured on ours: connections its pools handed out during "
				+ "its trials (the pools' routed-read and routed-write counters) / transactions run in those trials; "
				+ "max active: the sum of HikariCP's active connections over the three pools, polled in a loop during "
				+ "a separate trial of the same operation with the same threads (a sample that took over "
				+ MAX_SAMPLE_NANOS / 1000 + " µs to read is dropped: the pools are read one after another); same "
				+ "backend: a separate trial of a `@Transactional(readOnly = true)` method (findById, then "
				+ "`pg_backend_pid()` through an EntityManager native query and through a JdbcTemplate on the "
				+ "DataSource), or of a `@Transactional` one (save, then the same), compares the two pids and checks "
				+ "`pg_is_in_recovery()` (a replica for read-only, the primary otherwise). Connections routed "
				+ "by ours, per pool, over each case's throughput trials (their warm-up rounds included; not the JIT warm-up, "
				+ "sampling and probe trials): " + routing.toString().trim());
	}

	/**
	 * Hibernate, Spring Data and Spring's transaction code are a long path for the JIT: one short
	 * warm-up round leaves the first recorded rounds still speeding up, the second of each pair
	 * more than the first. Both sides run the operation a while, alternately, before any round.
	 */
	private void warmUp(Case c) throws Exception {
		for (int i = 0; i < warmUpPasses(); i++) {
			Load.run(8, warmUpMillis(), c.op().apply(this.ours));
			Load.run(8, warmUpMillis(), c.op().apply(this.reference));
			if (c.readOnly()) {
				Load.run(8, warmUpMillis(), c.op().apply(this.oneReplica));
				Load.run(8, warmUpMillis(), c.op().apply(this.onReplica));
			}
		}
	}

	private int warmUpPasses() {
		return this.s.quick() ? 1 : 2;
	}

	private long warmUpMillis() {
		return this.s.quick() ? 500 : 1_500;
	}

	/** @return the reads and writes routed per pool during the case's rounds ({@link #routedCounts()}) */
	private long[] measure(Case c, int threads) throws Exception {
		Load.Op oursOp = c.op().apply(this.ours);
		Load.Op referenceOp = c.op().apply(this.reference);
		List<Double> cpuOurs = new ArrayList<>();
		List<Double> cpuReference = new ArrayList<>();
		List<Double> cpuOneReplica = new ArrayList<>();
		List<Double> cpuOnReplica = new ArrayList<>();
		LongAdder transactions = new LongAdder();
		long[] before = routedCounts();
		Interleaved runs = new Interleaved()
			.add("starter", () -> trial(threads, oursOp, cpuOurs, transactions))
			.add("boot", () -> trial(threads, referenceOp, cpuReference, new LongAdder()));
		if (c.readOnly()) {
			// the controls: a gap in reads is the starter's code, the standby, or two standbys instead of one
			Load.Op oneReplicaOp = c.op().apply(this.oneReplica);
			Load.Op onReplicaOp = c.op().apply(this.onReplica);
			runs.add("starter-1", () -> trial(threads, oneReplicaOp, cpuOneReplica, new LongAdder()))
				.add("boot-replica", () -> trial(threads, onReplicaOp, cpuOnReplica, new LongAdder()));
		}
		runs.run("S8 " + c.label() + " " + threads + "t", this.s.warmups(), this.s.shortPairs());
		long[] routed = routedCounts();
		for (int i = 0; i < routed.length; i++) {
			routed[i] -= before[i];
		}
		long borrowed = sum(routed);
		Active active = maxActive(threads, oursOp);
		Probes probes = probe(threads, c.readOnly());
		Log.progress(String.format("  S8 %s %dt: %d connections for %d transactions; max active %d (%d samples, %d dropped); "
				+ "probes %d, split %d, misrouted %d", c.label(), threads, borrowed, transactions.sum(), active.max(),
				active.kept(), active.dropped(), probes.total(), probes.split(), probes.misrouted()));
		Stats o = runs.stats("starter");
		Stats ref = runs.stats("boot");
		Stats pr = runs.pairRatios("starter", "boot");
		double ratio = pr.median();
		boolean oneConnection = borrowed == transactions.sum() && active.max() <= threads && probes.total() > 0
				&& probes.split() == 0 && probes.misrouted() == 0;
		String perTransaction = (borrowed == transactions.sum()) ? "1"
				: String.format("%.3f", borrowed / (double) Math.max(1, transactions.sum()));
		String backends = (probes.split() == 0) ? "JPA and JDBC on the same backend"
				: "JPA and JDBC on different backends in " + probes.split() + " of " + probes.total() + " transactions";
		String served = (probes.misrouted() == 0) ? ""
				: "; " + probes.misrouted() + " of " + probes.total() + " probes on the wrong server";
		this.report.row(NAME, c.caseName() + ", " + threads + " threads"
				+ String.format("; JVM CPU per op ours/ref %.1f/%.1f µs", recorded(cpuOurs).median(), recorded(cpuReference).median())
				+ "; connections per transaction: " + perTransaction + " (max active " + active.max() + " with " + threads
				+ " threads; " + backends + served + ")", o.describe("%,.0f") + " ops/s", ref.describe("%,.0f") + " ops/s",
				String.format("%.3f (rounds %.3f–%.3f)", ratio, pr.min(), pr.max()), "≥ 0.95, 1 connection per transaction",
				ratio >= 0.95 && oneConnection);
		if (c.readOnly()) {
			controlRow(runs, "starter-1", "boot-replica", cpuOneReplica, cpuOnReplica, "control, one standby: the starter with "
					+ "replica-a as its only read pool vs the reference application reading replica-a, " + threads + " threads");
			controlRow(runs, "starter", "starter-1", cpuOurs, cpuOneReplica, "control, two standbys vs one: ours vs the starter "
					+ "with replica-a as its only read pool, " + threads + " threads");
			controlRow(runs, "boot-replica", "boot", cpuOnReplica, cpuReference, "control, standby vs primary: the reference "
					+ "application reading replica-a vs reading the primary, " + threads + " threads");
		}
		return routed;
	}

	/** A report-only row: variant {@code a} against {@code b} of the same rounds. */
	private void controlRow(Interleaved runs, String a, String b, List<Double> cpuA, List<Double> cpuB, String caseName) {
		Stats ratios = runs.pairRatios(a, b);
		this.report.row(NAME, caseName + String.format("; JVM CPU per op %.1f/%.1f µs", recorded(cpuA).median(), recorded(cpuB).median()),
				runs.stats(a).describe("%,.0f") + " ops/s", runs.stats(b).describe("%,.0f") + " ops/s",
				String.format("%.3f (rounds %.3f–%.3f)", ratios.median(), ratios.min(), ratios.max()), "report", null);
	}

	private static Load.Op findById(BenchOwnerRepository owners) {
		return () -> {
			int id = ThreadLocalRandom.current().nextInt(1, ROWS + 1);
			if (owners.findById(id).isEmpty()) {
				throw new IllegalStateException("Row " + id + " not found");
			}
		};
	}

	private static Load.Op save(BenchOwnerRepository owners) {
		return () -> owners.save(new BenchOwner("saved"));
	}

	/** One throughput trial; keeps its CPU per operation and adds its operations to {@code ops}. */
	private double trial(int threads, Load.Op op, List<Double> cpu, LongAdder ops) throws Exception {
		Load.Result result = Load.run(threads, this.s.trialMillis(), op);
		cpu.add(result.cpuMicrosPerOp());
		ops.add(result.ops());
		return result.perSecond();
	}

	/** The recorded rounds' values: each side ran once per round, warm-ups first. */
	private Stats recorded(List<Double> perTrial) {
		return new Stats(perTrial.subList(this.s.warmups(), perTrial.size()));
	}

	// ---- connections per transaction

	/** Reads and writes routed so far, per pool: [reads of pool 0, writes of pool 0, reads of pool 1, ...]. */
	private long[] routedCounts() {
		List<Pool> all = List.copyOf(this.pools.pools());
		long[] counts = new long[all.size() * 2];
		for (int i = 0; i < all.size(); i++) {
			counts[2 * i] = all.get(i).getReadsRouted();
			counts[2 * i + 1] = all.get(i).getWritesRouted();
		}
		return counts;
	}

	private String describeRouted(long[] routed) {
		List<Pool> all = List.copyOf(this.pools.pools());
		List<String> parts = new ArrayList<>();
		for (int i = 0; i < all.size(); i++) {
			parts.add(String.format("%s %,d reads / %,d writes", all.get(i).getName(), routed[2 * i], routed[2 * i + 1]));
		}
		return String.join(", ", parts);
	}

	private static long sum(long[] counts) {
		long total = 0;
		for (long count : counts) {
			total += count;
		}
		return total;
	}

	/**
	 * The most connections our pools had out at once while {@code threads} threads ran the
	 * operation, each one transaction at a time: more than {@code threads} would mean a
	 * transaction held two.
	 */
	private Active maxActive(int threads, Load.Op op) throws Exception {
		List<HikariPoolMXBean> beans = this.pools.pools().stream().map((p) -> p.getDataSource().getHikariPoolMXBean()).toList();
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
	 * Runs the probe's read-only (or read-write) transaction on {@code threads} threads for one
	 * trial: JPA and JDBC must see the same backend, on a standby (or on the primary).
	 */
	private Probes probe(int threads, boolean readOnly) throws Exception {
		LongAdder total = new LongAdder();
		LongAdder split = new LongAdder();
		LongAdder misrouted = new LongAdder();
		Load.run(threads, this.s.trialMillis(), () -> {
			SessionProbe.Session session = readOnly ? this.probe.read(ThreadLocalRandom.current().nextInt(1, ROWS + 1))
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
