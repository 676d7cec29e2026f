package io.gdbpool.transaction;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.support.SQLExceptionTranslator;
import org.springframework.jdbc.support.SQLStateSQLExceptionTranslator;

/**
 * The open partial transactions: counted, budgeted, and rolled back by a background task
 * when idle longer than the idle timeout, so an abandoned handle never keeps its
 * connection and locks.
 * <p>
 * The budget ({@code maxOpen}) bounds how many may be open at once, so partial
 * transactions can never take every connection that ordinary work needs: {@code begin}
 * beyond it waits at most {@code beginWait} for one to end, then fails without taking a
 * connection. The same background task asks each suspended transaction's connection
 * whether it is still alive, so one whose session ended (server restart,
 * {@code pg_terminate_backend}) is closed within a second and gives its budget back,
 * instead of being counted until the idle timeout.
 * <p>
 * As a server-side backstop each partial transaction's session gets
 * {@code SET LOCAL idle_in_transaction_session_timeout} a little above the idle timeout;
 * {@code LOCAL} makes PostgreSQL restore the previous value when the transaction ends,
 * before the connection goes back to the pool.
 * <p>
 * The background task (the reaper) runs between {@link #start()} and {@link #stop()}; in
 * a Spring context it starts and stops as a {@link SmartLifecycle} in phase
 * {@link #PHASE}: it starts before the web server takes traffic and stops only after the
 * web server has drained its requests and stopped, so no request can begin a partial
 * transaction it would not watch. {@link #close()}, when the bean is destroyed and before
 * the pools close, rolls back what is still open. Built by hand, call {@link #start()}
 * and {@link #close()}.
 */
public class PartialTransactions implements SmartLifecycle, AutoCloseable {

	/**
	 * {@code SmartLifecycle.DEFAULT_PHASE - 3072}: lower than Boot's web server
	 * ({@code DEFAULT_PHASE - 2048}, start and stop) and its graceful shutdown
	 * ({@code DEFAULT_PHASE - 1024}), so it starts before them and stops after them;
	 * higher than the replica monitor's ({@code ReplicaMonitor.PHASE}), which stops after
	 * it.
	 */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 3072;

	private static final Log logger = LogFactory.getLog(PartialTransactions.class);

	private static final SQLExceptionTranslator translator = new SQLStateSQLExceptionTranslator();

	private final DataSource dataSource;

	private final long idleTimeoutNanos;

	private final String backstopSql;

	private final Set<SuspendedTransaction> open = ConcurrentHashMap.newKeySet();

	private final LongAdder committed = new LongAdder();

	private final LongAdder rolledBack = new LongAdder();

	private final LongAdder expired = new LongAdder();

	private final LongAdder lost = new LongAdder();

	private final LongAdder refused = new LongAdder();

	private final int maxOpen;

	private final long beginWaitNanos;

	private final Semaphore budget;

	private static final long LIVENESS_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

	// only the sweeping thread reads and writes it
	private long lastLivenessCheckNanos = System.nanoTime();

	private final Object lifecycleLock = new Object();

	// guarded by lifecycleLock; null while stopped
	private volatile ScheduledExecutorService expiry;

	/**
	 * Partial transactions with the server backstop and no budget of their own (for a
	 * stack built by hand; the auto-configuration always sets a budget).
	 * @param dataSource the routing DataSource transactions bind their connections to
	 * @param idleTimeout how long a partial transaction may stay idle
	 */
	public PartialTransactions(DataSource dataSource, Duration idleTimeout) {
		this(dataSource, idleTimeout, true, Integer.MAX_VALUE, Duration.ZERO);
	}

	/**
	 * @param dataSource the routing DataSource transactions bind their connections to
	 * @param idleTimeout how long a partial transaction may stay idle
	 * @param serverBackstop whether each partial transaction sets the server's
	 * idle_in_transaction_session_timeout too (one round trip per partial transaction)
	 * @param maxOpen how many may be open at once
	 * @param beginWait how long {@code begin} waits for one to end when {@code maxOpen}
	 * are open
	 */
	public PartialTransactions(DataSource dataSource, Duration idleTimeout, boolean serverBackstop, int maxOpen,
			Duration beginWait) {
		if (maxOpen < 1) {
			throw new IllegalArgumentException(
					"The partial transaction budget (max-open) must be at least 1, not " + maxOpen);
		}
		if (beginWait == null || beginWait.isNegative()) {
			throw new IllegalArgumentException(
					"The partial transaction begin wait must be zero or positive, not " + beginWait);
		}
		if (idleTimeout == null || idleTimeout.isNegative() || idleTimeout.isZero()) {
			throw new IllegalArgumentException(
					"The partial transaction idle timeout must be positive, not " + idleTimeout);
		}
		this.dataSource = dataSource;
		this.idleTimeoutNanos = idleTimeout.toNanos();
		this.maxOpen = maxOpen;
		this.beginWaitNanos = beginWait.toNanos();
		this.budget = new Semaphore(maxOpen);
		// the server gives up a little after we would have: our rollback is the normal
		// path
		long backstopMillis = idleTimeout.toMillis() + Math.max(1000, idleTimeout.toMillis() / 2);
		this.backstopSql = serverBackstop ? "SET LOCAL idle_in_transaction_session_timeout = " + backstopMillis : null;
	}

	/**
	 * Starts the background task that expires idle and ends lost partial transactions.
	 */
	@Override
	public void start() {
		synchronized (this.lifecycleLock) {
			if (this.expiry != null) {
				return;
			}
			ScheduledExecutorService expiry = Executors.newSingleThreadScheduledExecutor((runnable) -> {
				Thread thread = new Thread(runnable, "gdbpool-partial-expiry");
				thread.setDaemon(true);
				return thread;
			});
			long sweepMillis = Math.max(10, Math.min(1000, TimeUnit.NANOSECONDS.toMillis(this.idleTimeoutNanos) / 4));
			expiry.scheduleWithFixedDelay(this::sweep, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
			this.expiry = expiry;
		}
	}

	/**
	 * Stops the background task; open partial transactions stay open ({@link #close()}
	 * rolls them back) and {@link #start()} starts it again.
	 */
	@Override
	public void stop() {
		synchronized (this.lifecycleLock) {
			if (this.expiry != null) {
				this.expiry.shutdownNow();
				this.expiry = null;
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.expiry != null;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	/**
	 * @return partial transactions open now
	 */
	public int getOpenCount() {
		return this.open.size();
	}

	/**
	 * @return age of the oldest open partial transaction, {@link Duration#ZERO} when none
	 * is open
	 */
	public Duration getOldestAge() {
		long oldest = 0;
		for (SuspendedTransaction transaction : this.open) {
			oldest = Math.max(oldest, transaction.ageNanos());
		}
		return Duration.ofNanos(oldest);
	}

	/**
	 * @return partial transactions committed
	 */
	public long getCommitted() {
		return this.committed.sum();
	}

	/**
	 * @return partial transactions rolled back (by the application, or because a step or
	 * the commit failed), expired and lost ones not counted
	 */
	public long getRolledBack() {
		return this.rolledBack.sum();
	}

	/**
	 * @return partial transactions rolled back because they stayed idle too long
	 */
	public long getExpired() {
		return this.expired.sum();
	}

	/**
	 * @return partial transactions found lost (their session ended) and closed
	 */
	public long getLost() {
		return this.lost.sum();
	}

	/**
	 * @return begins refused because the budget was used up
	 */
	public long getRefused() {
		return this.refused.sum();
	}

	/**
	 * @return how long a suspended partial transaction may stay idle before it is rolled
	 * back
	 */
	public Duration getIdleTimeout() {
		return Duration.ofNanos(this.idleTimeoutNanos);
	}

	/**
	 * @return how many partial transactions may be open at once
	 */
	public int getMaxOpen() {
		return this.maxOpen;
	}

	/**
	 * @return how long a begin waits for a place when every one is taken
	 */
	public Duration getBeginWait() {
		return Duration.ofNanos(this.beginWaitNanos);
	}

	/**
	 * Takes one place of the budget, waiting at most the begin wait.
	 * @throws PartialTransactionRefusedException ({@code LIMIT_REACHED}) when there is
	 * none
	 */
	void reserve() {
		boolean reserved;
		try {
			reserved = (this.beginWaitNanos == 0) ? this.budget.tryAcquire()
					: this.budget.tryAcquire(this.beginWaitNanos, TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			reserved = false;
		}
		if (!reserved) {
			this.refused.increment();
			throw PartialTransactionRefusedException.limitReached(this.maxOpen, getBeginWait());
		}
	}

	/** Gives back a place of the budget taken by {@link #reserve}. */
	void release() {
		this.budget.release();
	}

	/**
	 * Prepares the session of the transaction just begun on this thread.
	 * @return the transaction's connection, for liveness checks while it is suspended
	 */
	Connection prepareSession() {
		Connection connection = DataSourceUtils.getConnection(this.dataSource);
		try {
			if (this.backstopSql != null) {
				try (Statement statement = connection.createStatement()) {
					statement.execute(this.backstopSql);
				}
				catch (SQLException ex) {
					throw translator.translate("Setting the partial transaction's idle backstop", this.backstopSql, ex);
				}
			}
			return connection;
		}
		finally {
			DataSourceUtils.releaseConnection(connection, this.dataSource);
		}
	}

	void opened(SuspendedTransaction transaction) {
		this.open.add(transaction);
	}

	void closed(SuspendedTransaction transaction) {
		// called once per transaction, when it ends (also for one whose first step
		// failed)
		this.open.remove(transaction);
		release();
		switch (transaction.getState()) {
			case COMMITTED -> this.committed.increment();
			case EXPIRED -> this.expired.increment();
			case LOST -> this.lost.increment();
			default -> this.rolledBack.increment();
		}
	}

	private void sweep() {
		long now = System.nanoTime();
		// one liveness round trip per suspended transaction per second, however short the
		// idle timeout
		boolean checkLiveness = now - this.lastLivenessCheckNanos >= LIVENESS_INTERVAL_NANOS;
		if (checkLiveness) {
			this.lastLivenessCheckNanos = now;
		}
		for (SuspendedTransaction transaction : this.open) {
			try {
				if (transaction.expireIfIdle(now, this.idleTimeoutNanos)) {
					logger.warn("A partial transaction was idle longer than " + getIdleTimeout()
							+ " and was rolled back; its connection is back in the pool");
				}
				else if (checkLiveness && transaction.endIfLost()) {
					logger.warn("A suspended partial transaction lost its connection (the server ended the session) "
							+ "and was closed; nothing of it was committed");
				}
			}
			catch (RuntimeException ex) {
				logger.warn("Ending a partial transaction failed; its connection was discarded", ex);
			}
		}
	}

	/** Rolls back every open partial transaction and stops the expiry task. */
	@Override
	public void close() {
		stop();
		for (SuspendedTransaction transaction : this.open) {
			try {
				transaction.rollbackIfSuspended();
			}
			catch (RuntimeException ex) {
				logger.warn("Rolling back a partial transaction at shutdown failed", ex);
			}
		}
	}

}
