package io.gdbpool.transaction;

import java.sql.SQLException;

import io.gdbpool.routing.LastWriteLsn;
import io.gdbpool.routing.Route;
import io.gdbpool.routing.RoutingDataSource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * What the JDBC and the JPA routing transaction managers share: which route a new
 * transaction takes, announcing it while the transaction obtains its connection, and
 * recording a committed write's position for read-your-writes.
 */
final class TransactionRoute {

	private static final Log logger = LogFactory.getLog(TransactionRoute.class);

	private final RoutingDataSource routing;

	private final @Nullable Route fixedRoute;

	/**
	 * @param routing the routing DataSource
	 * @param fixedRoute the route of every transaction, or {@code null} to route by the
	 * definition's read-only flag
	 */
	TransactionRoute(RoutingDataSource routing, @Nullable Route fixedRoute) {
		this.routing = routing;
		this.fixedRoute = fixedRoute;
	}

	RoutingDataSource routing() {
		return this.routing;
	}

	Route routeFor(TransactionDefinition definition) {
		Route route = (this.fixedRoute != null) ? this.fixedRoute : definition.isReadOnly() ? Route.READ : Route.WRITE;
		if (route.isRead() && definition instanceof ReplayFloor readAfter && readAfter.getMinLsn() > route.minLsn()) {
			return Route.readAfter(readAfter.getMinLsn());
		}
		return route;
	}

	/**
	 * Runs a transaction manager's {@code doBegin} with the definition's route announced:
	 * the read-only flag is not yet visible to the DataSource while the connection is
	 * taken.
	 */
	void begin(TransactionDefinition definition, Runnable doBegin) {
		RoutingDataSource.withRoute(routeFor(definition), doBegin);
	}

	/**
	 * Called after a commit, while the transaction's connection is still bound.
	 * @param readOnly whether the transaction was read-only
	 */
	void committed(boolean readOnly) {
		Route route = (this.fixedRoute != null) ? this.fixedRoute : Route.WRITE;
		if (!readOnly && this.routing.recordsCommitsOn(route)) {
			recordCommitLsn();
		}
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
			// a server in recovery cannot tell; reads then simply follow the replicas'
			// positions
			logger.debug("Could not read the commit LSN: " + ex.getMessage());
		}
	}

}
