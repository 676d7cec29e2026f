package io.gdbpool.routing;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Checks the pools in the background, one query per pool per interval on a connection of
 * its own ({@link ServerProbe}, outside the pool, so a pool whose connections are all in
 * use is never mistaken for a dead server): puts an ejected read pool back into rotation
 * when it answers, takes out one that stops answering (a probe that gets no answer within
 * the probe timeout counts as a failure, so a dead replica is noticed in seconds, not
 * after the pool's connection timeout), samples replay lag, and re-checks every server's
 * role so a failover is noticed: a write pool on a standby refuses writes with a message
 * that says so, a promoted read pool keeps serving reads. Lag compares LSNs first, so an
 * idle primary does not make a caught-up replica look behind.
 * <p>
 * Its threads run between {@link #start()} and {@link #stop()}; in a Spring context it
 * starts and stops as a {@link SmartLifecycle} in phase {@link #PHASE}: before the web
 * server takes traffic and before the listener and the partial transaction reaper start,
 * and on shutdown after they (and the web server's graceful drain) have stopped. The
 * pools close after it, when the {@link PoolRegistry} bean is destroyed. Built by hand,
 * call {@link #start()} and {@link #close()}.
 */
public class ReplicaMonitor implements SmartLifecycle, AutoCloseable {

	/**
	 * {@code SmartLifecycle.DEFAULT_PHASE - 4096}: lower than Boot's web server
	 * ({@code DEFAULT_PHASE - 2048}, start and stop) and its graceful shutdown
	 * ({@code DEFAULT_PHASE - 1024}), than the partial transaction reaper
	 * ({@code PartialTransactions.PHASE}) and than the listener, so it starts before them
	 * and stops after them.
	 */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	private static final Log logger = LogFactory.getLog(ReplicaMonitor.class);

	private static final String REPLICA_STATE_SQL = "SELECT pg_is_in_recovery()::text, pg_last_wal_replay_lsn()::text, "
			+ "((extract(epoch from (now() - pg_last_xact_replay_timestamp())) * 1000)::bigint)::text";

	private final PoolRegistry pools;

	private final Duration interval;

	private final long maxLagMillis;

	private final long maxLagBytes;

	private final long probeTimeoutMillis;

	private volatile ScheduledExecutorService executor;

	private volatile ExecutorService probes;

	private final Map<Pool, ServerProbe> serverProbes = new ConcurrentHashMap<>();

	/**
	 * Consecutive checks of a write pool's server that got no answer before its work is
	 * aborted.
	 */
	static final int WRITE_ABORT_AFTER_SILENT_CHECKS = 3;

	private final Map<Pool, Integer> silentWriteChecks = new ConcurrentHashMap<>();

	private final PrimaryPositions primaryPositions = new PrimaryPositions();

	private final PoolWarmUp warmUp;

	private final long readProbeTimeoutMillis;

	/**
	 * @param pools the pools
	 * @param interval how often to check
	 * @param maxLag replicas further behind are skipped; {@code null} for no limit
	 * @param maxLagBytes replicas further behind in WAL bytes are skipped; negative for
	 * no limit
	 */
	public ReplicaMonitor(PoolRegistry pools, Duration interval, Duration maxLag, long maxLagBytes) {
		this.pools = pools;
		this.interval = interval;
		this.maxLagMillis = (maxLag != null) ? maxLag.toMillis() : -1;
		this.maxLagBytes = maxLagBytes;
		this.probeTimeoutMillis = Math.max(1000, interval.toMillis());
		// a replica that misses this is ejected and its blocked reads aborted and retried
		// elsewhere, which a false alarm costs little: shorter than a write pool's, so
		// reads stay within 2 s
		this.readProbeTimeoutMillis = Math.max(750, Math.min(interval.toMillis(), this.probeTimeoutMillis) * 3 / 4);
		this.warmUp = new PoolWarmUp(this::probe, Duration.ofMillis(this.readProbeTimeoutMillis / 2));
	}

	/** Starts checking: the first check of every pool at once, in the background. */
	@Override
	public synchronized void start() {
		if (this.executor != null) {
			return;
		}
		this.probes = Executors.newCachedThreadPool((runnable) -> {
			Thread thread = new Thread(runnable, "gdbpool-pool-probe");
			thread.setDaemon(true);
			return thread;
		});
		this.executor = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "gdbpool-replica-monitor");
			thread.setDaemon(true);
			return thread;
		});
		long millis = this.interval.toMillis();
		this.executor.scheduleWithFixedDelay(this::checkAll, 0, millis, TimeUnit.MILLISECONDS);
	}

	@Override
	public boolean isRunning() {
		return this.executor != null;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	/** Checks every pool once, now. */
	public void checkAll() {
		try {
			long primaryLsn = checkWritePools();
			List<Future<?>> checks = new ArrayList<>();
			for (Pool pool : this.pools.readPools()) {
				checks.add(probe(() -> checkReadPool(pool, primaryLsn)));
			}
			List<Pool> readPools = this.pools.readPools();
			for (int i = 0; i < checks.size(); i++) {
				awaitProbe(readPools.get(i), checks.get(i));
			}
		}
		catch (RejectedExecutionException ex) {
			// closed while checking: nothing to report
		}
		catch (RuntimeException ex) {
			logger.warn("Pool check failed", ex);
		}
	}

	private Future<?> probe(Runnable check) {
		ExecutorService probes = this.probes;
		if (probes == null) {
			// not started: check on the calling thread
			FutureTask<?> task = new FutureTask<>(check, null);
			task.run();
			return task;
		}
		return probes.submit(check);
	}

	private void awaitProbe(Pool pool, Future<?> check) {
		try {
			check.get(this.readProbeTimeoutMillis, TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			// the server is gone or hangs
			check.cancel(true);
			if (pool
				.eject(new SQLException("the server did not answer within " + this.readProbeTimeoutMillis + " ms"))) {
				logger.warn("Read pool '" + pool.getName() + "' (" + pool.getUrl() + ") did not answer within "
						+ this.readProbeTimeoutMillis + " ms and is out of rotation");
			}
			// reads blocked on it would wait forever: fail them now, so they are tried
			// elsewhere
			int aborted = pool.abortInFlight();
			if (aborted > 0) {
				logger.warn("Aborted " + aborted + " connection(s) of read pool '" + pool.getName()
						+ "' that were waiting on the silent server");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException ex) {
			logger.warn("Checking pool '" + pool.getName() + "' failed", ex.getCause());
		}
	}

	/**
	 * Re-checks the role of every write pool and returns the default write pool's WAL
	 * position.
	 */
	private long checkWritePools() {
		long primaryLsn = Lsn.NONE;
		for (Pool pool : this.pools.pools()) {
			if (!pool.isWrite()) {
				continue;
			}
			Future<Long> check = this.probes != null ? this.probes.submit(() -> checkWritePool(pool)) : null;
			try {
				long lsn = (check != null) ? check.get(this.probeTimeoutMillis, TimeUnit.MILLISECONDS)
						: checkDirectly(pool);
				if (pool == this.pools.defaultWritePool()) {
					primaryLsn = lsn;
					if (lsn >= 0) {
						this.primaryPositions.record(System.nanoTime(), lsn);
					}
				}
			}
			catch (TimeoutException ex) {
				check.cancel(true);
				silent(pool, "the server did not answer within " + this.probeTimeoutMillis + " ms");
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			catch (ExecutionException ex) {
				silent(pool, String.valueOf(ex.getCause().getMessage()));
			}
		}
		return primaryLsn;
	}

	// not started: check on the calling thread
	private long checkDirectly(Pool pool) throws ExecutionException {
		try {
			return checkWritePool(pool);
		}
		catch (SQLException ex) {
			throw new ExecutionException(ex);
		}
	}

	private void silent(Pool pool, String because) {
		if (pool.recordSilent(because)) {
			logger.error("Write pool '" + pool.getName() + "' (" + pool.getUrl() + ") does not answer (" + because
					+ "); writes fail at once until it does");
		}
		// statements already running on a frozen primary (or one cut off by the network)
		// would wait forever: once it has been silent for a few checks, abort them. Not
		// at the first silent check: a primary slow for a moment must not lose its
		// transactions.
		int silentChecks = this.silentWriteChecks.merge(pool, 1, Integer::sum);
		if (silentChecks == WRITE_ABORT_AFTER_SILENT_CHECKS) {
			int aborted = pool.abortInFlight();
			if (aborted > 0) {
				logger.error("Aborted " + aborted + " connection(s) of write pool '" + pool.getName()
						+ "' waiting on a server silent for " + silentChecks + " checks");
			}
		}
	}

	private long checkWritePool(Pool pool) throws SQLException {
		try {
			String[] state = serverProbe(pool).queryRow(
					"SELECT pg_is_in_recovery()::text, CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_current_wal_lsn()::text END");
			boolean standby = Boolean.parseBoolean(state[0]);
			if (standby != pool.isStandby()) {
				if (standby) {
					logger.error("Write pool '" + pool.getName() + "' (" + pool.getUrl()
							+ ") is connected to a standby "
							+ "(pg_is_in_recovery() is true): writes routed to it are refused until it is a primary again");
				}
				else {
					logger.info("Write pool '" + pool.getName() + "' (" + pool.getUrl() + ") is a primary again");
				}
			}
			pool.recordStandby(standby);
			if (!pool.isAnswering()) {
				if (!this.warmUp.isWarm(pool)) {
					pool.recordSilent("the server answers again; waiting for the pool's first new connection");
					return Lsn.NONE;
				}
				logger.info("Write pool '" + pool.getName() + "' (" + pool.getUrl() + ") answers again");
			}
			pool.recordAnswered();
			this.silentWriteChecks.remove(pool);
			String lsn = state[1];
			return (lsn != null) ? Lsn.parse(lsn) : Lsn.NONE;
		}
		catch (RuntimeException ex) {
			throw new SQLException(ex.getMessage(), ex);
		}
	}

	private void checkReadPool(Pool pool, long primaryLsn) {
		try {
			String[] state = serverProbe(pool).queryRow(REPLICA_STATE_SQL);
			boolean inRecovery = Boolean.parseBoolean(state[0]);
			String replayText = state[1];
			boolean replayMillisKnown = state[2] != null;
			long replayMillis = replayMillisKnown ? Long.parseLong(state[2]) : 0;
			if (!inRecovery && pool.isStandby()) {
				logger.warn("Read pool '" + pool.getName() + "' (" + pool.getUrl() + ") is no longer a standby "
						+ "(promoted?); it keeps serving reads");
			}
			pool.recordStandby(inRecovery);
			if (!inRecovery || replayText == null) {
				// promoted (or never a standby): nothing to replay, it serves reads as it
				// is
				pool.recordReplay(Long.MAX_VALUE, 0, 0, false);
			}
			else {
				long replay = Lsn.parse(replayText);
				long lagBytes = (primaryLsn >= 0) ? Math.max(0, primaryLsn - replay) : -1;
				long lagMillis;
				if (lagBytes == 0) {
					lagMillis = 0;
				}
				else {
					// two upper bounds of how old its data is (see PrimaryPositions): the
					// tighter one
					long sinceCaughtUp = this.primaryPositions.millisBehind(replay, System.nanoTime());
					long sinceLastCommit = replayMillisKnown ? Math.max(0, replayMillis) : -1;
					lagMillis = (sinceCaughtUp < 0) ? sinceLastCommit
							: (sinceLastCommit < 0) ? sinceCaughtUp : Math.min(sinceCaughtUp, sinceLastCommit);
				}
				boolean lagging = (this.maxLagBytes >= 0 && lagBytes > this.maxLagBytes)
						|| (this.maxLagMillis >= 0 && lagMillis > this.maxLagMillis);
				if (lagging != pool.isLagging()) {
					logger.info("Read pool '" + pool.getName() + "' is " + (lagging ? "lagging" : "caught up") + " ("
							+ lagMillis + " ms, " + lagBytes + " bytes behind)");
				}
				pool.recordReplay(replay, lagBytes, lagMillis, lagging);
			}
			if (!pool.isInRotation() && !this.warmUp.isWarm(pool)) {
				pool.eject(new SQLException("the server answers again; waiting for the pool's first new connection"));
				return;
			}
			if (pool.restore()) {
				logger.info("Read pool '" + pool.getName() + "' (" + pool.getUrl()
						+ ") answers again and is back in rotation");
			}
		}
		catch (SQLException | RuntimeException ex) {
			if (Thread.currentThread().isInterrupted()) {
				// the monitor gave up on this check and said why: an "interrupted" would
				// hide it
				return;
			}
			if (pool.eject(ex)) {
				logger.warn("Read pool '" + pool.getName() + "' (" + pool.getUrl() + ") is out of rotation: "
						+ ex.getMessage());
			}
		}
	}

	private ServerProbe serverProbe(Pool pool) {
		return this.serverProbes.computeIfAbsent(pool,
				(key) -> new ServerProbe(key, Duration.ofMillis(this.probeTimeoutMillis)));
	}

	/** Stops checking; {@link #start()} starts again. */
	@Override
	public synchronized void stop() {
		this.serverProbes.values().forEach(ServerProbe::close);
		this.serverProbes.clear();
		if (this.executor != null) {
			this.executor.shutdownNow();
			this.executor = null;
		}
		if (this.probes != null) {
			this.probes.shutdownNow();
			this.probes = null;
		}
	}

	/** Stops checking, as {@link #stop()}. */
	@Override
	public void close() {
		stop();
	}

}
