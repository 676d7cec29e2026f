package io.gdbpool.routing;

import java.io.Closeable;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.concurrent.atomic.LongAdder;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import org.jspecify.annotations.Nullable;

import io.gdbpool.support.SafeUrl;

/**
 * One named HikariCP pool with its role and what routing knows of its server: whether it
 * is in rotation and how far its replay has come.
 */
public final class Pool implements Closeable {

	private final String name;

	private final PoolRole role;

	private final HikariDataSource dataSource;

	private final String displayUrl;

	// written by the health/lag monitor and on connection failures, read on every routed
	// read
	private volatile boolean inRotation = true;

	private volatile boolean lagging;

	private volatile long replayLsn = Lsn.NONE;

	private volatile long lagBytes = -1;

	private volatile long lagMillis = -1;

	private volatile boolean standby;

	private volatile String lastError;

	private volatile Instant ejectedAt;

	// what the monitor's last check of the server found (write pools: writes fail fast
	// while silent)
	private volatile boolean answering = true;

	private volatile String silentBecause;

	private volatile Instant silentSince;

	private final InFlightConnections inFlight;

	private final LongAdder readsRouted = new LongAdder();

	private final LongAdder writesRouted = new LongAdder();

	private final LongAdder ejections = new LongAdder();

	Pool(String name, PoolRole role, HikariDataSource dataSource, boolean inRotation) {
		this.name = name;
		this.role = role;
		this.dataSource = dataSource;
		this.displayUrl = SafeUrl.of(dataSource.getJdbcUrl());
		this.inRotation = inRotation;
		this.standby = role == PoolRole.READ;
		this.inFlight = new InFlightConnections(dataSource.getMaximumPoolSize());
	}

	public String getName() {
		return this.name;
	}

	public PoolRole getRole() {
		return this.role;
	}

	public boolean isWrite() {
		return this.role == PoolRole.WRITE;
	}

	/**
	 * The pool's HikariCP {@link DataSource}: connections taken here bypass routing.
	 * @return the pool
	 */
	public HikariDataSource getDataSource() {
		return this.dataSource;
	}

	/**
	 * The pool's url without credentials, fit for logs and health details.
	 * @return the url
	 */
	public String getUrl() {
		return this.displayUrl;
	}

	/**
	 * Whether reads may be routed here (a read pool that failed is out until it answers
	 * again).
	 * @return true when in rotation
	 */
	public boolean isInRotation() {
		return this.inRotation;
	}

	/**
	 * Whether the replica is further behind than the configured maximum lag.
	 * @return true when lagging
	 */
	public boolean isLagging() {
		return this.lagging;
	}

	public long getReplayLsn() {
		return this.replayLsn;
	}

	public long getLagBytes() {
		return this.lagBytes;
	}

	public long getLagMillis() {
		return this.lagMillis;
	}

	/**
	 * Whether the server was in recovery (a standby) when last checked.
	 * @return true for a standby
	 */
	public boolean isStandby() {
		return this.standby;
	}

	public @Nullable String getLastError() {
		return this.lastError;
	}

	public Instant getEjectedAt() {
		return this.ejectedAt;
	}

	public long getReadsRouted() {
		return this.readsRouted.sum();
	}

	public long getWritesRouted() {
		return this.writesRouted.sum();
	}

	public long getEjections() {
		return this.ejections.sum();
	}

	/**
	 * Connections currently borrowed from this pool.
	 * @return active connections, 0 before the pool has started
	 */
	public int getActiveConnections() {
		HikariPoolMXBean bean = this.dataSource.getHikariPoolMXBean();
		return (bean != null) ? bean.getActiveConnections() : 0;
	}

	/**
	 * Whether the server answered the monitor's last check.
	 * @return false while the server does not answer
	 */
	public boolean isAnswering() {
		return this.answering;
	}

	/**
	 * @return why the server was found not answering, or {@code null} while it answers
	 */
	public @Nullable String getSilentBecause() {
		return this.silentBecause;
	}

	/**
	 * @return since when the server has not answered, or {@code null} while it answers
	 */
	public @Nullable Instant getSilentSince() {
		return this.silentSince;
	}

	Connection connectForRead() throws SQLException {
		this.readsRouted.increment();
		Connection connection = this.dataSource.getConnection();
		this.inFlight.record(connection);
		return connection;
	}

	Connection connectForWrite() throws SQLException {
		this.writesRouted.increment();
		Connection connection = this.dataSource.getConnection();
		this.inFlight.record(connection);
		return connection;
	}

	/**
	 * Takes this pool out of rotation after a failure.
	 * @param cause what failed
	 * @return true if it was in rotation until now
	 */
	boolean eject(Throwable cause) {
		this.lastError = String.valueOf(cause.getMessage());
		if (this.inRotation) {
			this.inRotation = false;
			this.ejectedAt = Instant.now();
			this.ejections.increment();
			return true;
		}
		return false;
	}

	/**
	 * Puts this pool back into rotation after it answered.
	 * @return true if it was out of rotation until now
	 */
	boolean restore() {
		this.lastError = null;
		if (!this.inRotation) {
			this.inRotation = true;
			this.ejectedAt = null;
			return true;
		}
		return false;
	}

	/** The monitor's check was answered. */
	void recordAnswered() {
		this.answering = true;
		this.silentBecause = null;
		this.silentSince = null;
	}

	/**
	 * The monitor's check was not answered.
	 * @param because what failed
	 * @return true if it answered until now
	 */
	boolean recordSilent(String because) {
		this.silentBecause = because;
		if (this.answering) {
			this.silentSince = Instant.now();
			this.answering = false;
			return true;
		}
		return false;
	}

	/**
	 * Aborts the connections this pool handed out that are still in use, so work blocked
	 * on a server that stopped answering fails now (reads are retried elsewhere) instead
	 * of never.
	 * @return how many were aborted
	 */
	int abortInFlight() {
		return this.inFlight.abortAll();
	}

	void recordReplay(long replayLsn, long lagBytes, long lagMillis, boolean lagging) {
		this.replayLsn = replayLsn;
		this.lagBytes = lagBytes;
		this.lagMillis = lagMillis;
		this.lagging = lagging;
	}

	void recordReplayLsn(long replayLsn) {
		if (replayLsn > this.replayLsn) {
			this.replayLsn = replayLsn;
		}
	}

	void recordStandby(boolean standby) {
		this.standby = standby;
	}

	@Override
	public void close() {
		this.dataSource.close();
	}

	@Override
	public String toString() {
		return "Pool[" + this.name + ", " + this.role.name().toLowerCase() + ", " + this.displayUrl + "]";
	}

}
