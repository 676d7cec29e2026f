package io.gdbpool.routing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Checks the read pools in the background, one query per replica per interval: puts an ejected
 * pool back into rotation when it answers, takes out one that stops answering, and samples replay
 * lag. Lag compares LSNs first, so an idle primary does not make a caught-up replica look behind.
 */
public class ReplicaMonitor implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(ReplicaMonitor.class);

	private static final String REPLICA_STATE_SQL = "SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()::text, "
			+ "(extract(epoch from (now() - pg_last_xact_replay_timestamp())) * 1000)::bigint";

	private final PoolRegistry pools;

	private final Duration interval;

	private final long maxLagMillis;

	private final long maxLagBytes;

	private volatile ScheduledExecutorService executor;

	/**
	 * @param pools the pools
	 * @param interval how often to check
	 * @param maxLag replicas further behind are skipped; {@code null} for no limit
	 * @param maxLagBytes replicas further behind in WAL bytes are skipped; negative for no limit
	 */
	public ReplicaMonitor(PoolRegistry pools, Duration interval, Duration maxLag, long maxLagBytes) {
		this.pools = pools;
		this.interval = interval;
		this.maxLagMillis = (maxLag != null) ? maxLag.toMillis() : -1;
		this.maxLagBytes = maxLagBytes;
	}

	/** Starts checking; does nothing when there is no read pool. */
	public synchronized void start() {
		if (this.executor != null || this.pools.readPools().isEmpty()) {
			return;
		}
		this.executor = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "gdbpool-replica-monitor");
			thread.setDaemon(true);
			return thread;
		});
		long millis = this.interval.toMillis();
		this.executor.scheduleWithFixedDelay(this::checkAll, 0, millis, TimeUnit.MILLISECONDS);
	}

	public boolean isRunning() {
		return this.executor != null;
	}

	/** Checks every read pool once, now, on the calling thread. */
	public void checkAll() {
		try {
			long primaryLsn = primaryLsn();
			for (Pool pool : this.pools.readPools()) {
				check(pool, primaryLsn);
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Replica check failed", ex);
		}
	}

	private long primaryLsn() {
		try (Connection connection = this.pools.defaultWritePool().getDataSource().getConnection();
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("SELECT pg_current_wal_lsn()::text")) {
			rs.next();
			return Lsn.parse(rs.getString(1));
		}
		catch (SQLException ex) {
			// a primary in recovery or unreachable: lag cannot be judged this round
			return Lsn.NONE;
		}
	}

	private void check(Pool pool, long primaryLsn) {
		try (Connection connection = pool.getDataSource().getConnection();
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery(REPLICA_STATE_SQL)) {
			rs.next();
			boolean inRecovery = rs.getBoolean(1);
			String replayText = rs.getString(2);
			long replayMillis = rs.getLong(3);
			boolean replayMillisKnown = !rs.wasNull();
			pool.recordStandby(inRecovery);
			if (!inRecovery || replayText == null) {
				// promoted (or never a standby): nothing to replay, it serves reads as it is
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
					lagMillis = replayMillisKnown ? Math.max(0, replayMillis) : -1;
				}
				boolean lagging = (this.maxLagBytes >= 0 && lagBytes > this.maxLagBytes)
						|| (this.maxLagMillis >= 0 && lagMillis > this.maxLagMillis);
				if (lagging != pool.isLagging()) {
					logger.info("Read pool '" + pool.getName() + "' is " + (lagging ? "lagging" : "caught up") + " ("
							+ lagMillis + " ms, " + lagBytes + " bytes behind)");
				}
				pool.recordReplay(replay, lagBytes, lagMillis, lagging);
			}
			if (pool.restore()) {
				logger.info("Read pool '" + pool.getName() + "' (" + pool.getUrl() + ") answers again and is back in rotation");
			}
		}
		catch (SQLException | RuntimeException ex) {
			if (pool.eject(ex)) {
				logger.warn("Read pool '" + pool.getName() + "' (" + pool.getUrl() + ") is out of rotation: " + ex.getMessage());
			}
		}
	}

	@Override
	public synchronized void close() {
		if (this.executor != null) {
			this.executor.shutdownNow();
			this.executor = null;
		}
	}

}
