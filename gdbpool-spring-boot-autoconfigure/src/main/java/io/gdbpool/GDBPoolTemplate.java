package io.gdbpool;

import java.lang.reflect.UndeclaredThrowableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;

import io.gdbpool.notify.ChannelNames;
import io.gdbpool.routing.LastWriteLsn;
import io.gdbpool.routing.Lsn;
import io.gdbpool.routing.Pool;
import io.gdbpool.routing.PoolRegistry;
import io.gdbpool.routing.Route;
import io.gdbpool.routing.RoutingDataSource;
import io.gdbpool.support.SessionLoss;
import io.gdbpool.transaction.PartialTransactionFailures;
import io.gdbpool.transaction.PartialTransactions;
import io.gdbpool.transaction.RouteAwareTransactionManager;
import io.gdbpool.transaction.SuspendedTransaction;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.ArgumentPreparedStatementSetter;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SQLErrorCodeSQLExceptionTranslator;
import org.springframework.jdbc.support.SQLExceptionTranslator;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.support.DefaultTransactionDefinition;
import org.springframework.transaction.support.DelegatingTransactionDefinition;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Plain SQL, interactions (a {@link TransactionCallback} run in one transaction on a chosen pool),
 * asynchronous interactions, partial transactions, notifications and dry runs, over the routing
 * DataSource. Thread-safe; inject it.
 * <p>
 * {@link #readOnly()}, {@link #onPool(String)} and {@link #readAfter(String)} return views of the
 * same template on another route: no new pools. Everything a view runs joins a transaction that
 * is active on the calling thread, whatever its pool.
 */
public class GDBPoolTemplate {

	private final Shared shared;

	private final String description;

	private final Route queryRoute;

	private final Route updateRoute;

	private final JdbcTemplate queryJdbc;

	private final JdbcTemplate updateJdbc;

	private final JdbcClient jdbcClient;

	private final RouteAwareTransactionManager transactionManager;

	private final boolean readOnlyTransactions;

	private final TransactionTemplate defaultTransaction;

	private final AsyncInteractionQueue asyncInteractions;

	/**
	 * @param dataSource the routing DataSource
	 * @param transactionManager the transaction manager for the default route (routes by the
	 * definition's read-only flag): the JPA one when the application uses JPA, so repository calls
	 * inside interactions and partial transactions are part of them
	 * @param partialTransactions where partial transactions are tracked and expired
	 * @param asyncExecutor runs {@link #executeAsync(TransactionCallback)} interactions
	 * @param jsonWriter writes {@link #notify(String, Object)} payloads as JSON; {@code null} when
	 * no JSON mapper is available
	 */
	public GDBPoolTemplate(RoutingDataSource dataSource, RouteAwareTransactionManager transactionManager,
			PartialTransactions partialTransactions, Executor asyncExecutor, Function<Object, String> jsonWriter) {
		this(new Shared(dataSource, transactionManager, partialTransactions, asyncExecutor, jsonWriter), "default route",
				Route.READ, Route.WRITE, transactionManager, false,
				connectionsOf(dataSource.getPools().defaultWritePool()));
	}

	private GDBPoolTemplate(Shared shared, String description, Route queryRoute, Route updateRoute,
			RouteAwareTransactionManager transactionManager, boolean readOnlyTransactions, int asyncWorkers) {
		this.shared = shared;
		this.description = description;
		this.queryRoute = queryRoute;
		this.updateRoute = updateRoute;
		this.queryJdbc = shared.jdbcTemplate(queryRoute);
		this.updateJdbc = shared.jdbcTemplate(updateRoute);
		this.jdbcClient = JdbcClient.create(readOnlyTransactions ? this.queryJdbc : this.updateJdbc);
		this.transactionManager = transactionManager;
		this.readOnlyTransactions = readOnlyTransactions;
		DefaultTransactionDefinition definition = new DefaultTransactionDefinition();
		definition.setReadOnly(readOnlyTransactions);
		this.defaultTransaction = new TransactionTemplate(transactionManager, definition);
		this.asyncInteractions = new AsyncInteractionQueue(shared.asyncExecutor, asyncWorkers);
	}

	// ---- plain SQL

	/**
	 * Runs a query on the read route.
	 * @param sql SQL with {@code ?} placeholders
	 * @param args the parameters
	 * @return the rows, each a map from column name to value
	 */
	public List<Map<String, Object>> queryForList(String sql, Object... args) {
		requireSql(sql);
		try {
			return this.queryJdbc.queryForList(sql, args);
		}
		catch (DataAccessException ex) {
			if (!readMayBeRetried(ex)) {
				throw ex;
			}
			return this.queryJdbc.queryForList(sql, args);
		}
	}

	/**
	 * Runs a query on the read route.
	 * @param <T> the row type
	 * @param sql SQL with {@code ?} placeholders
	 * @param mapper maps each row
	 * @param args the parameters
	 * @return the mapped rows
	 */
	public <T> List<T> query(String sql, RowMapper<T> mapper, Object... args) {
		if (mapper == null) {
			throw new IllegalArgumentException("RowMapper must not be null");
		}
		requireSql(sql);
		try {
			return this.queryJdbc.query(sql, mapper, args);
		}
		catch (DataAccessException ex) {
			if (!readMayBeRetried(ex)) {
				throw ex;
			}
			return this.queryJdbc.query(sql, mapper, args);
		}
	}

	/**
	 * A read on the read route, outside a transaction, that failed because its replica's session
	 * ended (server stopped, killed, or frozen and aborted by the monitor) is tried once more: the
	 * replica is out of rotation by then, so the second try goes to another one or the primary.
	 */
	private boolean readMayBeRetried(DataAccessException ex) {
		return this.queryRoute.isRead() && !TransactionSynchronizationManager.isActualTransactionActive()
				&& this.shared.dataSource.ejectAfterReadFailure(ex);
	}

	/**
	 * Runs an INSERT, UPDATE, DELETE or DDL statement on the write route.
	 * @param sql SQL with {@code ?} placeholders
	 * @param args the parameters
	 * @return the number of rows affected
	 */
	public int update(String sql, Object... args) {
		requireSql(sql);
		if (this.updateRoute != Route.WRITE || !this.shared.dataSource.isReadYourWrites()
				|| TransactionSynchronizationManager.isActualTransactionActive()) {
			return this.updateJdbc.update(sql, args);
		}
		// an autocommit write: remember its commit position for read-your-writes
		return this.updateJdbc.execute((ConnectionCallback<Integer>) (connection) -> {
			int count;
			try (PreparedStatement statement = connection.prepareStatement(sql)) {
				new ArgumentPreparedStatementSetter(args).setValues(statement);
				count = statement.executeUpdate();
			}
			LastWriteLsn.advanceFrom(connection);
			return count;
		});
	}

	/**
	 * A Spring {@link JdbcClient} on this template's route (the write route for the default
	 * template, the read route for {@link #readOnly()}); it joins the current transaction.
	 * @return the client
	 */
	public JdbcClient jdbc() {
		return this.jdbcClient;
	}

	// ---- routes

	/**
	 * @return a view of this template on the read pools; its interactions are read-only
	 * transactions
	 */
	public GDBPoolTemplate readOnly() {
		return this.shared.readOnlyView;
	}

	/**
	 * @param name a pool name
	 * @return a view of this template on exactly that pool
	 * @throws IllegalArgumentException naming the known pools when there is no pool of that name
	 */
	public GDBPoolTemplate onPool(String name) {
		if (name == null) {
			throw new IllegalArgumentException("Pool name must not be null; the pools are " + this.shared.pools.names());
		}
		GDBPoolTemplate view = this.shared.poolViews.get(name);
		if (view == null) {
			Pool pool = this.shared.pools.get(name);
			view = this.shared.poolViews.computeIfAbsent(name, (key) -> this.shared.poolView(pool));
		}
		return view;
	}

	/**
	 * @param lsn a commit LSN, e.g. {@link #lastWriteLsn()} handed along from another request or
	 * service
	 * @return a view whose reads go only to replicas that have replayed {@code lsn}, else to the
	 * write pool
	 * @throws IllegalArgumentException if {@code lsn} is not an LSN
	 */
	public GDBPoolTemplate readAfter(String lsn) {
		long position = Lsn.parse(lsn);
		Route route = Route.readAfter(position);
		RouteAwareTransactionManager tm = this.shared.transactionManager(route);
		return new GDBPoolTemplate(this.shared, "read route after " + Lsn.format(position), route, Route.WRITE, tm, true,
				this.shared.readConnections);
	}

	/**
	 * @return the commit LSN of this thread's last write transaction (recorded when
	 * {@code gdbpool.routing.read-your-writes=lsn}), or {@code null}
	 */
	public String lastWriteLsn() {
		return Lsn.format(LastWriteLsn.get());
	}

	// ---- interactions

	/**
	 * Runs an interaction in one transaction on this template's route (the write route for the
	 * default template). A JdbcTemplate or JdbcClient on the application's DataSource inside it runs
	 * on the interaction's connection.
	 * @param <T> the result type
	 * @param interaction the work
	 * @return its result
	 */
	public <T> T execute(TransactionCallback<T> interaction) {
		requireInteraction(interaction);
		return executeIn(this.defaultTransaction, interaction);
	}

	/**
	 * Runs an interaction in one transaction of the given definition (isolation, timeout,
	 * read-only); a read-only definition on the default template takes the read route.
	 * @param <T> the result type
	 * @param definition the transaction's definition
	 * @param interaction the work
	 * @return its result
	 */
	public <T> T execute(TransactionDefinition definition, TransactionCallback<T> interaction) {
		if (definition == null) {
			throw new IllegalArgumentException("TransactionDefinition must not be null");
		}
		requireInteraction(interaction);
		return executeIn(new TransactionTemplate(this.transactionManager, effective(definition)), interaction);
	}

	private <T> T executeIn(TransactionTemplate transaction, TransactionCallback<T> interaction) {
		try {
			return transaction.execute(interaction);
		}
		catch (UndeclaredThrowableException ex) {
			throw translate(ex);
		}
		catch (TransactionSystemException ex) {
			throw failureBehindLostRollback(ex);
		}
	}

	/**
	 * Runs an interaction on the application's task executor. Interactions beyond the pool's size
	 * wait in line, in order (they neither fail nor hold a thread of their own blocked on the pool);
	 * the caller's read-your-writes position goes along. Cancelling the future before the
	 * interaction starts means it never runs.
	 * @param <T> the result type
	 * @param interaction the work
	 * @return the interaction's result, or its exception
	 */
	public <T> CompletableFuture<T> executeAsync(TransactionCallback<T> interaction) {
		requireInteraction(interaction);
		long callerLsn = LastWriteLsn.get();
		return this.asyncInteractions.submit((future) -> {
			// the caller's read-your-writes position goes along, and the worker's own comes back after
			long ownLsn = LastWriteLsn.get();
			LastWriteLsn.set(Math.max(ownLsn, callerLsn));
			try {
				return execute(interaction);
			}
			finally {
				LastWriteLsn.set(ownLsn);
			}
		});
	}

	// ---- partial transactions

	/**
	 * Begins a transaction on this template's route, runs the first step in it and suspends it,
	 * connection and locks included, in the returned handle.
	 * @param <T> the first step's result type
	 * @param firstStep the first step, e.g. a {@code SELECT ... FOR UPDATE}
	 * @return the open partial transaction
	 */
	public <T> PartialTransaction<T> begin(TransactionCallback<T> firstStep) {
		if (firstStep == null) {
			throw new IllegalArgumentException("The first step must not be null");
		}
		Object[] result = new Object[1];
		DefaultTransactionDefinition definition = new DefaultTransactionDefinition(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		definition.setReadOnly(this.readOnlyTransactions);
		definition.setName("gdbpool partial transaction");
		SuspendedTransaction transaction = SuspendedTransaction.begin(this.transactionManager, definition,
				this.shared.partialTransactions, this.shared, firstStep, (value) -> result[0] = value);
		@SuppressWarnings("unchecked")
		T value = (T) result[0];
		return new DefaultPartialTransaction<>(transaction, value);
	}

	// ---- notifications

	/**
	 * Sends a notification with {@code pg_notify} on the write route. Inside a transaction it is
	 * delivered when the transaction commits, and not at all if it rolls back.
	 * @param channel the channel, used exactly as written
	 * @param payload the payload, at most 7999 bytes in UTF-8
	 * @throws IllegalArgumentException before anything is sent, for a channel or payload PostgreSQL
	 * would refuse
	 */
	public void notify(String channel, String payload) {
		ChannelNames.requireValid(channel);
		ChannelNames.requireValidPayload(payload);
		this.updateJdbc.query("SELECT pg_notify(?, ?)", (rs) -> null, channel, payload);
	}

	/**
	 * Sends a notification whose payload is {@code payload} written as JSON by the application's
	 * JSON mapper.
	 * @param channel the channel, used exactly as written
	 * @param payload the payload object
	 * @throws IllegalArgumentException before anything is sent, for a channel or payload PostgreSQL
	 * would refuse
	 */
	public void notify(String channel, Object payload) {
		if (payload instanceof String text) {
			notify(channel, text);
			return;
		}
		ChannelNames.requireValid(channel);
		if (this.shared.jsonWriter == null) {
			throw new IllegalStateException("No JSON mapper is available to write the payload; add spring-boot-starter-json "
					+ "or send a String payload");
		}
		notify(channel, this.shared.jsonWriter.apply(payload));
	}

	// ---- dry run

	/**
	 * Renders a statement with its parameters inlined as the driver binds them, without executing
	 * it.
	 * @param sql SQL with {@code ?} placeholders
	 * @param args the parameters
	 * @return the statement as it would run
	 */
	public String render(String sql, Object... args) {
		return this.shared.renderer.render(sql, args);
	}

	@Override
	public String toString() {
		return "GDBPoolTemplate[" + this.description + "]";
	}

	private TransactionDefinition effective(TransactionDefinition definition) {
		if (!this.readOnlyTransactions || definition.isReadOnly()) {
			return definition;
		}
		return new DelegatingTransactionDefinition(definition) {
			@Override
			public boolean isReadOnly() {
				return true;
			}
		};
	}

	/**
	 * When the connection died under an interaction, Spring's rollback fails too and its
	 * "rollback failed" hides why: the interaction's own failure (the broken connection) is what
	 * the caller needs, and PostgreSQL rolled the transaction back when the session ended.
	 */
	private static RuntimeException failureBehindLostRollback(TransactionSystemException ex) {
		if (ex.getApplicationException() instanceof RuntimeException original && SessionLoss.causedBy(ex)) {
			original.addSuppressed(ex);
			return original;
		}
		return ex;
	}

	private RuntimeException translate(UndeclaredThrowableException ex) {
		Throwable cause = ex.getUndeclaredThrowable();
		if (cause instanceof SQLException sqlException) {
			return this.shared.translator.translate("interaction", null, sqlException);
		}
		return ex;
	}

	private static String requireSql(String sql) {
		if (sql == null || sql.isBlank()) {
			throw new IllegalArgumentException("SQL must not be empty");
		}
		return sql;
	}

	private static void requireInteraction(TransactionCallback<?> interaction) {
		if (interaction == null) {
			throw new IllegalArgumentException("The interaction must not be null");
		}
	}

	private static int connectionsOf(Pool pool) {
		return Math.max(1, pool.getDataSource().getMaximumPoolSize());
	}

	/**
	 * What the template and its views share.
	 */
	private static final class Shared implements PartialTransactionFailures {

		final RoutingDataSource dataSource;

		final PoolRegistry pools;

		final RouteAwareTransactionManager defaultTransactionManager;

		final PartialTransactions partialTransactions;

		final Executor asyncExecutor;

		final Function<Object, String> jsonWriter;

		final SQLExceptionTranslator translator = new SQLErrorCodeSQLExceptionTranslator("PostgreSQL");

		final StatementRenderer renderer;

		final int readConnections;

		final Map<String, GDBPoolTemplate> poolViews = new ConcurrentHashMap<>();

		final GDBPoolTemplate readOnlyView;

		Shared(RoutingDataSource dataSource, RouteAwareTransactionManager transactionManager,
				PartialTransactions partialTransactions, Executor asyncExecutor, Function<Object, String> jsonWriter) {
			if (transactionManager.getRoutingDataSource() != dataSource) {
				throw new IllegalArgumentException("The transaction manager must be over the same routing DataSource");
			}
			this.dataSource = dataSource;
			this.pools = dataSource.getPools();
			this.defaultTransactionManager = transactionManager;
			this.partialTransactions = partialTransactions;
			this.asyncExecutor = asyncExecutor;
			this.jsonWriter = jsonWriter;
			this.renderer = new StatementRenderer(dataSource.forRoute(Route.WRITE), this.translator);
			int reads = this.pools.readPools().stream().mapToInt(GDBPoolTemplate::connectionsOf).sum();
			this.readConnections = (reads > 0) ? reads : connectionsOf(this.pools.defaultWritePool());
			this.readOnlyView = new GDBPoolTemplate(this, "read route", Route.READ, Route.READ,
					transactionManager(Route.READ), true, this.readConnections);
		}

		JdbcTemplate jdbcTemplate(Route route) {
			JdbcTemplate jdbc = new JdbcTemplate(this.dataSource.forRoute(route), true);
			jdbc.setExceptionTranslator(this.translator);
			return jdbc;
		}

		RouteAwareTransactionManager transactionManager(Route route) {
			// of the same kind as the application's (JPA or JDBC), so repositories join view interactions too
			return this.defaultTransactionManager.onRoute(route);
		}

		GDBPoolTemplate poolView(Pool pool) {
			Route route = Route.to(pool);
			return new GDBPoolTemplate(this, "pool '" + pool.getName() + "'", route, route, transactionManager(route),
					!pool.isWrite(), connectionsOf(pool));
		}

		@Override
		public RuntimeException expired() {
			return new PartialTransactionExpiredException("This partial transaction was idle longer than "
					+ this.partialTransactions.getIdleTimeout() + " (gdbpool.partial-transactions.idle-timeout) and was "
					+ "rolled back; its connection went back to the pool");
		}

		@Override
		public RuntimeException lost(Throwable cause) {
			String reason = (cause != null) ? ": " + cause.getMessage() : "";
			return new PartialTransactionLostException("This partial transaction was lost: its connection to the server "
					+ "ended" + reason + ". PostgreSQL rolled it back, nothing of it was committed and its locks are "
					+ "gone; begin it again", cause);
		}

		@Override
		public RuntimeException limitReached(int limit, java.time.Duration waited) {
			String wait = waited.isZero() ? "" : " (waited " + waited + ", gdbpool.partial-transactions.begin-wait)";
			return new PartialTransactionLimitException("All " + limit + " partial transactions of the budget are open"
					+ wait + "; nothing was started. Try again when some have ended, or raise "
					+ "gdbpool.partial-transactions.max-open (it must stay below the pools' maximum-pool-size, so "
					+ "ordinary work keeps its connections)", limit);
		}

	}

}
