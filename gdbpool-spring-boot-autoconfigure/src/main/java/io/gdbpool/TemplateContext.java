package io.gdbpool;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import io.gdbpool.routing.Pool;
import io.gdbpool.routing.PoolRegistry;
import io.gdbpool.routing.Route;
import io.gdbpool.routing.RoutingDataSource;
import io.gdbpool.transaction.PartialTransactions;
import io.gdbpool.transaction.RouteAwareTransactionManager;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.SQLErrorCodeSQLExceptionTranslator;
import org.springframework.jdbc.support.SQLExceptionTranslator;

/**
 * What a template and all its views share, and where the views are built and cached: one
 * view per pool (and its read-only variant), one read view, one transaction manager and
 * one {@code executeAsync} queue per pool set. A {@code readAfter} view reuses the read
 * view's manager and queue, so choosing an LSN allocates only the view itself.
 */
final class TemplateContext {

	final RoutingDataSource dataSource;

	final PoolRegistry pools;

	final PartialTransactions partialTransactions;

	final @Nullable Function<Object, String> jsonWriter;

	final SQLExceptionTranslator translator = new SQLErrorCodeSQLExceptionTranslator("PostgreSQL");

	final StatementRenderer renderer;

	/**
	 * How interactions and partial-transaction steps are observed; off until the template
	 * is given a registry, and shared by every view.
	 */
	volatile InteractionObservations observations = InteractionObservations.OFF;

	private final RouteAwareTransactionManager defaultTransactionManager;

	private final RouteAwareTransactionManager readTransactionManager;

	private final Executor asyncExecutor;

	private final JdbcTemplate writeJdbc;

	private final JdbcTemplate readJdbc;

	private final AsyncInteractionQueue writeQueue;

	private final AsyncInteractionQueue readQueue;

	private final Map<String, PoolViews> poolViews = new ConcurrentHashMap<>();

	private final GDBPoolTemplate readView;

	TemplateContext(RouteAwareTransactionManager transactionManager, PartialTransactions partialTransactions,
			Executor asyncExecutor, @Nullable Function<Object, String> jsonWriter) {
		this.dataSource = transactionManager.getRoutingDataSource();
		this.pools = this.dataSource.getPools();
		this.defaultTransactionManager = transactionManager;
		// of the same kind as the application's (JPA or JDBC), so repositories join view
		// interactions too
		this.readTransactionManager = transactionManager.onRoute(Route.READ);
		this.partialTransactions = partialTransactions;
		this.asyncExecutor = asyncExecutor;
		this.jsonWriter = jsonWriter;
		this.renderer = new StatementRenderer(this.dataSource.forRoute(Route.WRITE), this.translator);
		this.writeJdbc = newJdbcTemplate(Route.WRITE);
		this.readJdbc = newJdbcTemplate(Route.READ);
		int writeConnections = connectionsOf(this.pools.defaultWritePool());
		int readConnections = this.pools.readPools().stream().mapToInt(TemplateContext::connectionsOf).sum();
		this.writeQueue = new AsyncInteractionQueue(asyncExecutor, writeConnections);
		this.readQueue = new AsyncInteractionQueue(asyncExecutor,
				(readConnections > 0) ? readConnections : writeConnections);
		this.readView = new GDBPoolTemplate(this, TemplateView.READ, this.readTransactionManager, this.readQueue);
	}

	// the template itself (the default view) is built by its public constructor; its
	// interactions queue for the write pool
	AsyncInteractionQueue writeQueue() {
		return this.writeQueue;
	}

	GDBPoolTemplate readView() {
		return this.readView;
	}

	GDBPoolTemplate readAfterView(long minLsn) {
		return new GDBPoolTemplate(this, TemplateView.readAfter(minLsn), this.readTransactionManager, this.readQueue);
	}

	/**
	 * @param name a pool name
	 * @param readOnly whether the view's interactions are read-only transactions
	 * @return the cached view on that pool
	 * @throws IllegalArgumentException naming the known pools when there is no such pool
	 */
	GDBPoolTemplate poolView(@Nullable String name, boolean readOnly) {
		if (name == null) {
			throw new IllegalArgumentException("Pool name must not be null; the pools are " + this.pools.names());
		}
		PoolViews views = this.poolViews.get(name);
		if (views == null) {
			Pool pool = this.pools.get(name);
			views = this.poolViews.computeIfAbsent(name, (key) -> new PoolViews(pool));
		}
		return (readOnly || !views.pool.isWrite()) ? views.readOnly : views.readWrite;
	}

	JdbcTemplate jdbcTemplate(Route route) {
		if (route == Route.WRITE) {
			return this.writeJdbc;
		}
		if (route == Route.READ) {
			return this.readJdbc;
		}
		return newJdbcTemplate(route);
	}

	private JdbcTemplate newJdbcTemplate(Route route) {
		JdbcTemplate jdbc = new JdbcTemplate(this.dataSource.forRoute(route), true);
		jdbc.setExceptionTranslator(this.translator);
		return jdbc;
	}

	private static int connectionsOf(Pool pool) {
		return Math.max(1, pool.getDataSource().getMaximumPoolSize());
	}

	/**
	 * The views on one pool: both share its transaction manager and queue.
	 */
	private final class PoolViews {

		final Pool pool;

		final GDBPoolTemplate readWrite;

		final GDBPoolTemplate readOnly;

		PoolViews(Pool pool) {
			this.pool = pool;
			Route route = Route.to(pool);
			RouteAwareTransactionManager manager = TemplateContext.this.defaultTransactionManager.onRoute(route);
			AsyncInteractionQueue queue = new AsyncInteractionQueue(TemplateContext.this.asyncExecutor,
					connectionsOf(pool));
			this.readWrite = new GDBPoolTemplate(TemplateContext.this, TemplateView.pool(pool, false), manager, queue);
			this.readOnly = pool.isWrite()
					? new GDBPoolTemplate(TemplateContext.this, TemplateView.pool(pool, true), manager, queue)
					: this.readWrite;
		}

	}

}
