package io.gdbpool.transaction;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.support.SQLExceptionTranslator;
import org.springframework.jdbc.support.SQLStateSQLExceptionTranslator;

/**
 * The open partial transactions: counted, and rolled back by a background task when idle longer
 * than the idle timeout, so an abandoned handle never keeps its connection and locks.
 * <p>
 * As a server-side backstop each partial transaction's session gets
 * {@code SET LOCAL idle_in_transaction_session_timeout} a little above the idle timeout;
 * {@code LOCAL} makes PostgreSQL restore the previous value when the transaction ends, before the
 * connection goes back to the pool.
 */
public class PartialTransactions implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(PartialTransactions.class);

	private static final SQLExceptionTranslator translator = new SQLStateSQLExceptionTranslator();

	private final DataSource dataSource;

	private final long idleTimeoutNanos;

	private final String backstopSql;

	private final Set<SuspendedTransaction> open = ConcurrentHashMap.newKeySet();

	private final LongAdder committed = new LongAdder();

	private final LongAdder rolledBack = new LongAdder();

	private final LongAdder expired = new LongAdder();

	private final ScheduledExecutorService expiry;

	/**
	 * @param dataSource the routing DataSource transactions bind their connections to
	 * @param idleTimeout how long a partial transaction may stay idle
	 */
	public PartialTransactions(DataSource dataSource, Duration idleTimeout) {
		this(dataSource, idleTimeout, true);
	}

	/**
	 * @param dataSource the routing DataSource transactions bind their connections to
	 * @param idleTimeout how long a partial transaction may stay idle
	 * @param serverBackstop whether each partial transaction sets the server's
	 * idle_in_transaction_session_timeout too (one round trip per partial transaction)
	 */
	public PartialTransactions(DataSource dataSource, Duration idleTimeout, boolean serverBackstop) {
		if (idleTimeout == null || idleTimeout.isNegative() || idleTimeout.isZero()) {
			throw new IllegalArgumentException("The partial transaction idle timeout must be positive, not " + idleTimeout);
		}
		this.dataSource = dataSource;
		this.idleTimeoutNanos = idleTimeout.toNanos();
		// the server gives up a little after we would have: our rollback is the normal path
		long backstopMillis = idleTimeout.toMillis() + Math.max(1000, idleTimeout.toMillis() / 2);
		this.backstopSql = serverBackstop ? "SET LOCAL idle_in_transaction_session_timeout = " + backstopMillis : null;
		this.expiry = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "gdbpool-partial-expiry");
			thread.setDaemon(true);
			return thread;
		});
		long sweepMillis = Math.max(10, Math.min(1000, idleTimeout.toMillis() / 4));
		this.expiry.scheduleWithFixedDelay(this::expireIdle, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
	}

	/**
	 * @return partial transactions open now
	 */
	public int getOpenCount() {
		return this.open.size();
	}

	/**
	 * @return age of the oldest open partial transaction, {@link Duration#ZERO} when none is open
	 */
	public Duration getOldestAge() {
		long oldest = 0;
		for (SuspendedTransaction transaction : this.open) {
			oldest = Math.max(oldest, transaction.ageNanos());
		}
		return Duration.ofNanos(oldest);
	}

	public long getCommitted() {
		return this.committed.sum();
	}

	public long getRolledBack() {
		return this.rolledBack.sum();
	}

	public long getExpired() {
		return this.expired.sum();
	}

	public Duration getIdleTimeout() {
		return Duration.ofNanos(this.idleTimeoutNanos);
	}

	void prepareSession() {
		if (this.backstopSql == null) {
			return;
		}
		Connection connection = DataSourceUtils.getConnection(this.dataSource);
		try (Statement statement = connection.createStatement()) {
			statement.execute(this.backstopSql);
		}
		catch (SQLException ex) {
			throw translator.translate("Setting the partial transaction's idle backstop", this.backstopSql, ex);
		}
		finally {
			DataSourceUtils.releaseConnection(connection, this.dataSource);
		}
	}

	void opened(SuspendedTransaction transaction) {
		this.open.add(transaction);
	}

	void closed(SuspendedTransaction transaction) {
		// called once per transaction, when it ends (also for one whose first step failed)
		this.open.remove(transaction);
		switch (transaction.getState()) {
			case COMMITTED -> this.committed.increment();
			case EXPIRED -> this.expired.increment();
			default -> this.rolledBack.increment();
		}
	}

	private void expireIdle() {
		long now = System.nanoTime();
		for (SuspendedTransaction transaction : this.open) {
			try {
				if (transaction.expireIfIdle(now, this.idleTimeoutNanos)) {
					logger.warn("A partial transaction was idle longer than " + getIdleTimeout()
							+ " and was rolled back; its connection is back in the pool");
				}
			}
			catch (RuntimeException ex) {
				logger.warn("Rolling back an idle partial transaction failed; its connection was discarded", ex);
			}
		}
	}

	/** Rolls back every open partial transaction and stops the expiry task. */
	@Override
	public void close() {
		this.expiry.shutdownNow();
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
