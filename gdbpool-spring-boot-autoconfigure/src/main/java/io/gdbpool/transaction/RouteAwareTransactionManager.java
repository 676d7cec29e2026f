package io.gdbpool.transaction;

import org.jspecify.annotations.Nullable;

import io.gdbpool.routing.Route;
import io.gdbpool.routing.RoutingDataSource;

import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;

/**
 * A transaction manager over the {@link RoutingDataSource} that announces each new
 * transaction's route before its connection is taken: {@link RoutingTransactionManager}
 * for plain JDBC, {@link RoutingJpaTransactionManager} when the application uses JPA.
 * <p>
 * {@link #detach()} and {@link #attach(Object)} expose Spring's own suspend/resume of a
 * thread's transaction resources (for JPA: the EntityManager with its connection), which
 * {@link SuspendedTransaction} uses to move a partial transaction between threads.
 */
public interface RouteAwareTransactionManager extends PlatformTransactionManager {

	/**
	 * @return the routing DataSource this manager binds its connections to
	 */
	RoutingDataSource getRoutingDataSource();

	/**
	 * @param definition a transaction definition
	 * @return the route a transaction of that definition takes
	 */
	Route routeFor(TransactionDefinition definition);

	/**
	 * A manager of the same kind and settings whose transactions all take one route.
	 * @param route the route
	 * @return a new manager fixed to {@code route}
	 */
	RouteAwareTransactionManager onRoute(Route route);

	/**
	 * Detaches whatever transaction (and synchronizations) this thread has, using
	 * Spring's own suspension.
	 * @return what was detached, for {@link #attach(Object)}; {@code null} when there was
	 * nothing
	 */
	@Nullable Object detach();

	/**
	 * Attaches to this thread what {@link #detach()} returned, using Spring's own
	 * resumption.
	 * @param detached what was detached, or {@code null}
	 */
	void attach(@Nullable Object detached);

}
