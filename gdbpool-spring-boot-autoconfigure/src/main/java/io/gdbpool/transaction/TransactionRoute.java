package io.gdbpool.transaction;

import java.sql.SQLException;

import io.gdbpool.routing.LastWriteLsn;
import io.gdbpool.routing.Route;
import io.gdbpool.routing.RoutingDataSource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * What the JDBC and the JPA routing transaction managers share: which route a new transaction
 * takes, announcing it while the transaction obtains its connection, and recording a committed
 * write's position for read-your-writes.
 */
final class TransactionRoute {

	private static final Log logger = LogFactory.getLog(TransactionRoute.class);

	private final RoutingDataSource routing;

	private final Route fixedRoute;

	/**
	 * @param routing the routing DataSource
	 * @param fixedRoute the route of every transaction, or {@code null} to route by the
	 * definition's read-only flag
	 */
	TransactionRoute(RoutingDataSource routing, Route fixedRoute) {
		this.routing = routing;
		this.fixedRoute = fixedRoute;
	}

	RoutingDataSource routing() {
		return this.routing;
	}

	Route routeFor(TransactionDefinition definition) {
		if (this.fixedRoute != null) {
			return this.fixedRoute;
		}
		return definition.isReadOnly() ? Route.READ : Route.WRITE;
	}

	/**
	 * Runs a transaction manager's {@code doBegin} with the definition's route announced: the
	 * read-only flag is not yet visible to the DataSource while the connection is taken.
	 */
	void begin(TransactionDefinition definition, Runnable doBegin) {
		Route previous = RoutingDataSource.withRoute(routeFor(definition));
		try {
			doBegin.run();
		}
		finally {
			RoutingDataSource.restoreRoute(previous);
		}
	}

	/**
	 * Called after a commit, while the transaction's connection is still bound.
	 * @param readOnly whether the transaction was read-only
	 */
	void committed(boolean readOnly) {
		if (this.routing.isReadYourWrites() && !readOnly && writesToTheDefaultWritePool()) {
			recordCommitLsn();
		}
	}

	// replicas follow the default write pool: another server's positions would mean nothing to them
	private boolean writesToTheDefaultWritePool() {
		if (this.fixedRoute == null || this.fixedRoute == Route.WRITE) {
			return true;
		}
		return this.fixedRoute.kind() == Route.Kind.POOL
				&& this.fixedRoute.pool() == this.routing.getPools().defaultWritePool();
	}

	private void recordCommitLsn() {
		ConnectionHolder holder = (ConnectionHolder) TransactionSynchronizationManager.getResource(this.routing);
		if (holder == null) {
			return;
		}
		try {
			LastWriteLsn.advanceFrom(holder.getConnection());
		}
		catch (SQLException ex) {
			// a server in recovery cannot tell; reads then simply follow the replicas' positions
			logger.debug("Could not read the commit LSN: " + ex.getMessage());
		}
	}

}
