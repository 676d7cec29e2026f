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
	// while silent): null while it answers; one field, so a reader never sees half a
	// change
	private volatile @Nullable Silence silence;

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

	/**
	 * @return the pool's name, as configured under {@code gdbpool.pools}
	 */
	public String getName() {
		return this.name;
	}

	/**
	 * @return whether it is a write or a read pool
	 */
	public PoolRole getRole() {
		return this.role;
	}

	/**
	 * @return true for a write pool
	 */
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

	/**
	 * @return the WAL position the server had replayed (a standby) when last checked, as
	 * a number; negative when not known
	 */
	public long getReplayLsn() {
		return this.replayLsn;
	}

	/**
	 * @return how many WAL bytes the replica was behind when last checked; -1 when not
	 * known
	 */
	public long getLagBytes() {
		return this.lagBytes;
	}

	/**
	 * @return how many milliseconds of replay the replica was behind when last checked;
	 * -1 when not known
	 */
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

	/**
	 * @return why the pool was last taken out of rotation, or {@code null} while it
	 * answers
	 */
	public @Nullable String getLastError() {
		return this.lastError;
	}

	/**
	 * @return when the pool was taken out of rotation, or {@code null} while it is in
	 * rotation
	 */
	public Instant getEjectedAt() {
		return this.ejectedAt;
	}

	/**
	 * @return how many connections the read route took from this pool
	 */
	public long getReadsRouted() {
		return this.readsRouted.sum();
	}

	/**
	 * @return how many connections the write route took from this pool
	 */
	public long getWritesRouted() {
		return this.writesRouted.sum();
	}

	/**
	 * @return how many times the pool was taken out of rotation
	 */
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
		return this.silence == null;
	}

	/**
	 * @return why the server was found not answering, or {@code null} while it answers
	 */
	public @Nullable String getSilentBecause() {
		Silence current = this.silence;
		return (current != null) ? current.because() : null;
	}

	/**
	 * @return since when the server has not answered, or {@code null} while it answers
	 */
	public @Nullable Instant getSilentSince() {
		Silence current = this.silence;
		return (current != null) ? current.since() : null;
	}

	/**
	 * @return why and since when the server does not answer, read at once; {@code null}
	 * while it answers
	 */
	@Nullable Silence silence() {
		return this.silence;
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
		this.silence = null;
	}

	/**
	 * The monitor's check was not answered.
	 * @param because what failed
	 * @return true if it answered until now
	 */
	boolean recordSilent(String because) {
		Silence before = this.silence;
		this.silence = new Silence(because, (before != null) ? before.since() : Instant.now());
		return before == null;
	}

	/**
	 * Why and since when a server does not answer the monitor.
	 *
	 * @param because what the last check found
	 * @param since when it first stopped answering
	 */
	record Silence(String because, Instant since) {
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
