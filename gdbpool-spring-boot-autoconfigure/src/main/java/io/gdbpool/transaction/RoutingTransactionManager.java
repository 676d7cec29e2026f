package io.gdbpool.transaction;

import org.jspecify.annotations.Nullable;

import io.gdbpool.routing.Route;
import io.gdbpool.routing.RoutingDataSource;

import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Spring's {@link JdbcTransactionManager} over the {@link RoutingDataSource}, choosing
 * each new transaction's pool: a fixed route, or else the read route for read-only
 * transactions and the write route for the rest. Every instance binds its connection
 * under the routing DataSource, so JdbcTemplates on the application's DataSource join the
 * transaction whatever pool it is on.
 * <p>
 * With read-your-writes on, a committed read-write transaction records its commit LSN for
 * the thread. Applications that use JPA get {@link RoutingJpaTransactionManager} instead.
 */
public class RoutingTransactionManager extends JdbcTransactionManager implements RouteAwareTransactionManager {

	private final transient TransactionRoute route;

	/**
	 * A transaction manager that routes by the transaction definition.
	 * @param routing the routing DataSource
	 */
	public RoutingTransactionManager(RoutingDataSource routing) {
		this(routing, null);
	}

	/**
	 * @param routing the routing DataSource
	 * @param fixedRoute the route of every transaction it begins, or {@code null} to
	 * route by the definition's read-only flag
	 */
	public RoutingTransactionManager(RoutingDataSource routing, @Nullable Route fixedRoute) {
		super(routing);
		this.route = new TransactionRoute(routing, fixedRoute);
	}

	@Override
	public RoutingDataSource getRoutingDataSource() {
		return this.route.routing();
	}

	@Override
	public Route routeFor(TransactionDefinition definition) {
		return this.route.routeFor(definition);
	}

	@Override
	public RoutingTransactionManager onRoute(Route fixedRoute) {
		RoutingTransactionManager manager = new RoutingTransactionManager(getRoutingDataSource(), fixedRoute);
		TransactionSettings.copy(this, manager);
		manager.setExceptionTranslator(getExceptionTranslator());
		manager.setEnforceReadOnly(isEnforceReadOnly());
		manager.setLazyInit(isLazyInit());
		return manager;
	}

	@Override
	protected void doBegin(Object transaction, TransactionDefinition definition) {
		this.route.begin(definition, () -> super.doBegin(transaction, definition));
	}

	@Override
	protected void doCommit(DefaultTransactionStatus status) {
		super.doCommit(status);
		this.route.committed(status.isReadOnly());
	}

	@Override
	public @Nullable Object detach() {
		Object transaction = doGetTransaction();
		boolean existing = isExistingTransaction(transaction);
		if (!existing && !TransactionSynchronizationManager.isSynchronizationActive()) {
			return null;
		}
		return suspend(existing ? transaction : null);
	}

	@Override
	public void attach(@Nullable Object detached) {
		if (detached != null) {
			resume(null, (SuspendedResourcesHolder) detached);
		}
	}

}
