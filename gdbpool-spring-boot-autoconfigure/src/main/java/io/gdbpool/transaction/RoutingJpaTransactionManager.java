package io.gdbpool.transaction;

import jakarta.persistence.EntityManagerFactory;
import org.jspecify.annotations.Nullable;

import io.gdbpool.routing.Route;
import io.gdbpool.routing.RoutingDataSource;

import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Spring's {@link JpaTransactionManager} (the EntityManager bound to the thread, flush at
 * commit, the JDBC connection exposed so JdbcTemplates join the transaction) over the
 * {@link RoutingDataSource}, announcing each new transaction's route before Hibernate
 * takes its connection in {@code doBegin}. Without that, the read-only flag is set only
 * after the connection is taken, and every JPA transaction would land on the write pool;
 * with it, a read-only transaction runs on a read pool on one connection.
 * <p>
 * With read-your-writes on, a committed read-write transaction records its commit LSN for
 * the thread, as {@link RoutingTransactionManager} does.
 */
public class RoutingJpaTransactionManager extends JpaTransactionManager implements RouteAwareTransactionManager {

	private final transient TransactionRoute route;

	/**
	 * A transaction manager that routes by the transaction definition.
	 * @param entityManagerFactory the application's EntityManagerFactory, built on
	 * {@code routing}
	 * @param routing the routing DataSource
	 */
	public RoutingJpaTransactionManager(EntityManagerFactory entityManagerFactory, RoutingDataSource routing) {
		this(entityManagerFactory, routing, null);
	}

	/**
	 * @param entityManagerFactory the application's EntityManagerFactory, built on
	 * {@code routing}
	 * @param routing the routing DataSource
	 * @param fixedRoute the route of every transaction it begins, or {@code null} to
	 * route by the definition's read-only flag
	 */
	public RoutingJpaTransactionManager(EntityManagerFactory entityManagerFactory, RoutingDataSource routing,
			@Nullable Route fixedRoute) {
		// the superclass takes the JpaDialect (Hibernate's: read-only and isolation on
		// the connection, the connection exposed to JDBC code) and the DataSource from
		// the factory
		super(entityManagerFactory);
		this.route = new TransactionRoute(routing, fixedRoute);
		setDataSource(routing);
	}

	@Override
	public void afterPropertiesSet() {
		super.afterPropertiesSet();
		if (this.route != null) {
			// connections are bound under the routing DataSource, whatever the factory
			// reports
			setDataSource(this.route.routing());
		}
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
	public RoutingJpaTransactionManager onRoute(Route fixedRoute) {
		RoutingJpaTransactionManager manager = new RoutingJpaTransactionManager(obtainEntityManagerFactory(),
				getRoutingDataSource(), fixedRoute);
		TransactionSettings.copy(this, manager);
		manager.setJpaDialect(getJpaDialect());
		manager.setJpaPropertyMap(getJpaPropertyMap());
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
			resume(null, (AbstractPlatformTransactionManager.SuspendedResourcesHolder) detached);
		}
	}

}
