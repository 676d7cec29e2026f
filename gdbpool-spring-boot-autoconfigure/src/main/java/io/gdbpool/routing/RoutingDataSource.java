package io.gdbpool.routing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.concurrent.atomic.LongAdder;

import javax.sql.DataSource;

import io.gdbpool.support.SessionLoss;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.datasource.AbstractDataSource;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The application's {@code DataSource}: each connection comes from the pool its route
 * names.
 * <ul>
 * <li>A transaction manager beginning a transaction announces its route with
 * {@link #withRoute(Route, Runnable)}: read-only transactions take the read route.</li>
 * <li>Otherwise a connection taken while a read-only transaction is active takes the read
 * route; any other the write route.</li>
 * <li>{@link #forRoute(Route)} gives a view fixed to one route.</li>
 * </ul>
 * The read route picks a healthy read pool ({@link ReplicaSelector}); a read pool that
 * fails to hand out a connection is taken out of rotation and the read is tried once more
 * elsewhere, so the caller sees no error. With read-your-writes on, a read only goes to a
 * replica known to have replayed this thread's last commit.
 */
public class RoutingDataSource extends AbstractDataSource {

	private static final Log logger = LogFactory.getLog(RoutingDataSource.class);

	// set only while a transaction manager obtains its connection; read on every
	// getConnection()
	private static final ThreadLocal<Route> announcedRoute = new ThreadLocal<>();

	// the read pool of this thread's last read-route connection, so a read that fails on
	// it can eject it and be tried elsewhere; null when the last read went to the write
	// pool
	private static final ThreadLocal<Pool> lastReadPool = new ThreadLocal<>();

	private final PoolRegistry pools;

	private final Pool writePool;

	private final ReplicaSelector selector;

	private final boolean fallbackToPrimary;

	private final boolean readYourWrites;

	private final LongAdder fallbacks = new LongAdder();

	private final RouteDataSource readView;

	private final RouteDataSource writeView;

	/**
	 * @param pools the pools
	 * @param selector chooses read pools
	 * @param fallbackToPrimary whether reads go to the write pool when no read pool is
	 * eligible
	 * @param readYourWrites whether reads after a write wait for a replica that replayed
	 * it
	 */
	public RoutingDataSource(PoolRegistry pools, ReplicaSelector selector, boolean fallbackToPrimary,
			boolean readYourWrites) {
		this.pools = pools;
		this.writePool = pools.defaultWritePool();
		this.selector = selector;
		this.fallbackToPrimary = fallbackToPrimary;
		this.readYourWrites = readYourWrites;
		this.readView = new RouteDataSource(this, Route.READ);
		this.writeView = new RouteDataSource(this, Route.WRITE);
	}

	/**
	 * @return the pools it routes to
	 */
	public PoolRegistry getPools() {
		return this.pools;
	}

	/**
	 * @return whether reads after a write wait for a replica that replayed it
	 * (read-your-writes: lsn)
	 */
	public boolean isReadYourWrites() {
		return this.readYourWrites;
	}

	/**
	 * The one rule for read-your-writes bookkeeping, for transaction managers and
	 * autocommit writes alike: a write committed on {@code route} records its commit LSN
	 * when read-your-writes is on and the route writes to the default write pool, the
	 * server the replicas follow (another server's positions would mean nothing to them).
	 * @param route the route a write committed on
	 * @return whether to record the commit LSN of that write
	 */
	public boolean recordsCommitsOn(Route route) {
		if (!this.readYourWrites) {
			return false;
		}
		return route == Route.WRITE || (route.kind() == Route.Kind.POOL && route.pool() == this.writePool);
	}

	/**
	 * Reads sent to the write pool because no read pool was eligible.
	 * @return the count so far
	 */
	public long getFallbacks() {
		return this.fallbacks.sum();
	}

	/**
	 * A view of this DataSource fixed to one route.
	 * @param route the route
	 * @return a DataSource that joins transactions bound to this one
	 */
	public DataSource forRoute(Route route) {
		if (route == Route.READ) {
			return this.readView;
		}
		if (route == Route.WRITE) {
			return this.writeView;
		}
		return new RouteDataSource(this, route);
	}

	/**
	 * Runs {@code action} with {@code route} announced for every {@link #getConnection()}
	 * on this thread meanwhile; a transaction manager runs its {@code doBegin} this way,
	 * since a transaction's read-only flag is not yet visible while it obtains its
	 * connection. The previous announcement (if any) is back afterwards, whatever
	 * happens.
	 * @param route the route, or {@code null} to decide by the transaction state
	 * @param action what takes the connection
	 */
	public static void withRoute(@Nullable Route route, Runnable action) {
		Route previous = announcedRoute.get();
		announcedRoute.set(route);
		try {
			action.run();
		}
		finally {
			if (previous == null) {
				announcedRoute.remove();
			}
			else {
				announcedRoute.set(previous);
			}
		}
	}

	@Override
	public Connection getConnection() throws SQLException {
		Route route = announcedRoute.get();
		if (route == null) {
			route = TransactionSynchronizationManager.isCurrentTransactionReadOnly() ? Route.READ : Route.WRITE;
		}
		return getConnection(route);
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		throw new java.sql.SQLFeatureNotSupportedException(
				"Connections come from the configured pools; credentials are per pool");
	}

	/**
	 * A connection for a route.
	 * @param route the route
	 * @return a connection from the route's pool
	 * @throws SQLException if no pool of the route can give one
	 */
	public Connection getConnection(Route route) throws SQLException {
		switch (route.kind()) {
			case WRITE:
				return connectForWrite(this.writePool);
			case POOL:
				Pool pool = route.pool();
				return pool.isWrite() ? connectForWrite(pool) : pool.connectForRead();
			default:
				return readConnection(requiredLsn(route));
		}
	}

	private static Connection connectForWrite(Pool pool) throws SQLException {
		Pool.Silence silence = pool.silence();
		if (silence != null) {
			// the monitor found the server silent: fail now, not after the pool's
			// connection timeout
			throw new SQLTransientConnectionException("Write pool '" + pool.getName() + "' (" + pool.getUrl()
					+ ") is not answering since " + silence.since() + " (" + silence.because()
					+ "); failing at once instead of waiting for a connection. It is used again as soon as the "
					+ "server answers the monitor's check (gdbpool.routing.check-interval)", "08001");
		}
		if (pool.isStandby()) {
			// a failover demoted this server: say so instead of letting each write fail
			// obscurely
			throw new SQLNonTransientConnectionException("Write pool '" + pool.getName() + "' (" + pool.getUrl()
					+ ") is connected to a standby (pg_is_in_recovery() is true), which cannot take writes; point "
					+ "gdbpool.pools." + pool.getName() + ".url at the current primary", "25006");
		}
		return pool.connectForWrite();
	}

	private long requiredLsn(Route route) {
		if (!this.readYourWrites) {
			return route.minLsn();
		}
		return Math.max(route.minLsn(), LastWriteLsn.get());
	}

	private Connection readConnection(long minLsn) throws SQLException {
		Pool busy = null;
		// two attempts: a replica that fails is ejected (or, merely busy, passed over)
		// and the read goes to the next one
		for (int attempt = 0; attempt < 2; attempt++) {
			Pool pool = this.selector.select(minLsn);
			boolean mustCheckReplay = false;
			if (pool == null && minLsn >= 0) {
				// none known to have replayed minLsn: our cached positions may be old, so
				// ask a healthy replica (one round trip, only when the cache is behind
				// what we need)
				pool = this.selector.select(Lsn.NONE);
				mustCheckReplay = true;
			}
			if (pool == null || pool == busy) {
				break;
			}
			Connection connection;
			try {
				connection = pool.connectForRead();
			}
			catch (SQLException ex) {
				if (isExhausted(ex)) {
					// busy, not broken: it stays in rotation, this read goes elsewhere
					busy = pool;
				}
				else if (pool.eject(ex)) {
					logger.warn("Read pool '" + pool.getName() + "' (" + pool.getUrl()
							+ ") failed to give a connection and is out of rotation: " + ex.getMessage());
				}
				continue;
			}
			if (!mustCheckReplay || hasReplayed(pool, connection, minLsn)) {
				lastReadPool.set(pool);
				return connection;
			}
			connection.close();
			break;
		}
		return fallback(minLsn);
	}

	/**
	 * HikariCP times out with no cause when every connection is busy, and with the last
	 * connection failure as the cause when it cannot reach the server.
	 */
	private static boolean isExhausted(SQLException ex) {
		return ex instanceof SQLTransientConnectionException && ex.getCause() == null;
	}

	private boolean hasReplayed(Pool pool, Connection connection, long minLsn) throws SQLException {
		try (Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("SELECT pg_last_wal_replay_lsn()::text")) {
			rs.next();
			String replay = rs.getString(1);
			if (replay == null) {
				// not in recovery (promoted): it has everything it ever received
				return true;
			}
			long lsn = Lsn.parse(replay);
			pool.recordReplayLsn(lsn);
			return lsn >= minLsn;
		}
		catch (SQLException ex) {
			connection.close();
			throw ex;
		}
	}

	private Connection fallback(long minLsn) throws SQLException {
		if (!this.fallbackToPrimary) {
			throw new NoReadPoolAvailableException(describeNoReadPool(minLsn)
					+ "; gdbpool.routing.fallback-to-primary is false, so the read is not sent to the write pool '"
					+ this.writePool.getName() + "'");
		}
		this.fallbacks.increment();
		lastReadPool.remove();
		return this.writePool.connectForRead();
	}

	/**
	 * After a read outside a transaction failed: when it failed because its replica's
	 * session ended (server stopped, killed, frozen and aborted), takes that replica out
	 * of rotation so the read can be tried once more elsewhere.
	 * @param failure what the read threw
	 * @return true if the read failed on a replica that is now out of rotation, so trying
	 * it again goes elsewhere
	 */
	public boolean ejectAfterReadFailure(Throwable failure) {
		Pool pool = lastReadPool.get();
		lastReadPool.remove();
		if (pool == null || !SessionLoss.causedBy(failure)) {
			return false;
		}
		if (pool.eject(failure)) {
			logger
				.warn("Read pool '" + pool.getName() + "' (" + pool.getUrl() + ") lost a connection during a read and "
						+ "is out of rotation; the read is tried once more elsewhere: " + failure.getMessage());
		}
		return true;
	}

	private String describeNoReadPool(long minLsn) {
		if (this.pools.readPools().isEmpty()) {
			return "No read pool is configured (add a pool with role: read under gdbpool.pools)";
		}
		StringBuilder sb = new StringBuilder("No read pool is eligible for the read route");
		if (minLsn >= 0) {
			sb.append(" after LSN ").append(Lsn.format(minLsn));
		}
		sb.append(':');
		for (Pool pool : this.pools.readPools()) {
			sb.append(' ').append(pool.getName()).append('=');
			if (!pool.isInRotation()) {
				sb.append("out of rotation (").append(pool.getLastError()).append(')');
			}
			else if (pool.isLagging()) {
				sb.append("lagging (")
					.append(pool.getLagMillis())
					.append(" ms, ")
					.append(pool.getLagBytes())
					.append(" bytes)");
			}
			else {
				sb.append("replayed ").append(Lsn.format(pool.getReplayLsn()));
			}
		}
		return sb.toString();
	}

	@Override
	public String toString() {
		return "RoutingDataSource" + this.pools.names();
	}

}
