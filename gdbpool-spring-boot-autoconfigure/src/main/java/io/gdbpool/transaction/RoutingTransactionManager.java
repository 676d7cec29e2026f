package io.gdbpool.transaction;

import java.sql.SQLException;

import io.gdbpool.routing.LastWriteLsn;
import io.gdbpool.routing.Route;
import io.gdbpool.routing.RoutingDataSource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Spring's {@link JdbcTransactionManager} over the {@link RoutingDataSource}, choosing each new
 * transaction's pool: a fixed route, or else the read route for read-only transactions and the
 * write route for the rest. Every instance binds its connection under the routing DataSource, so
 * JdbcTemplates on the application's DataSource join the transaction whatever pool it is on.
 * <p>
 * With read-your-writes on, a committed read-write transaction records its commit LSN for the
 * thread. It also exposes Spring's own suspend/resume of thread-bound transaction resources to
 * {@link SuspendedTransaction}, which moves a transaction between threads.
 */
public class RoutingTransactionManager extends JdbcTransactionManager {

	private static final Log logger = LogFactory.getLog(RoutingTransactionManager.class);

	private final transient RoutingDataSource routing;

	private final transient Route fixedRoute;

	/**
	 * A transaction manager that routes by the transaction definition.
	 * @param routing the routing DataSource
	 */
	public RoutingTransactionManager(RoutingDataSource routing) {
		this(routing, null);
	}

	/**
	 * @param routing the routing DataSource
	 * @param fixedRoute the route of every transaction it begins, or {@code null} to route by the
	 * definition's read-only flag
	 */
	public RoutingTransactionManager(RoutingDataSource routing, Route fixedRoute) {
		super(routing);
		this.routing = routing;
		this.fixedRoute = fixedRoute;
	}

	public RoutingDataSource getRoutingDataSource() {
		return this.routing;
	}

	/**
	 * @param definition a transaction definition
	 * @return the route a transaction of that definition would take
	 */
	public Route routeFor(TransactionDefinition definition) {
		if (this.fixedRoute != null) {
			return this.fixedRoute;
		}
		return definition.isReadOnly() ? Route.READ : Route.WRITE;
	}

	@Override
	protected void doBegin(Object transaction, TransactionDefinition definition) {
		Route previous = RoutingDataSource.withRoute(routeFor(definition));
		try {
			super.doBegin(transaction, definition);
		}
		finally {
			RoutingDataSource.restoreRoute(previous);
		}
	}

	@Override
	protected void doCommit(DefaultTransactionStatus status) {
		super.doCommit(status);
		if (this.routing.isReadYourWrites() && !status.isReadOnly() && writesToTheDefaultWritePool()) {
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

	/**
	 * Detaches whatever transaction (and synchronizations) this thread has, using Spring's own
	 * suspension.
	 * @return what was detached, for {@link #attach(Object)}; {@code null} when there was nothing
	 */
	Object detach() {
		Object transaction = doGetTransaction();
		boolean existing = isExistingTransaction(transaction);
		if (!existing && !TransactionSynchronizationManager.isSynchronizationActive()) {
			return null;
		}
		return suspend(existing ? transaction : null);
	}

	/**
	 * Attaches to this thread what {@link #detach()} returned, using Spring's own resumption.
	 * @param detached what was detached, or {@code null}
	 */
	void attach(Object detached) {
		if (detached != null) {
			resume(null, (SuspendedResourcesHolder) detached);
		}
	}

}
