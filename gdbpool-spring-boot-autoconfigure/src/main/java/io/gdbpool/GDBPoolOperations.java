package io.gdbpool;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionCallback;

/**
 * What {@link GDBPoolTemplate} does, as an interface an application can mock or decorate,
 * the way Spring's {@code JdbcOperations} stands for {@code JdbcTemplate}: plain SQL on a
 * route, interactions (a {@link TransactionCallback} in one transaction), asynchronous
 * interactions, partial transactions, notifications and dry runs.
 * <p>
 * {@link #readOnly()}, {@link #onPool(String)} and {@link #readAfter(String)} return
 * views on another route; views compose ({@code onPool("a").readOnly()} stays on pool
 * {@code a}) and cost no new pools. Everything a view runs joins a transaction that is
 * active on the calling thread, whatever its pool.
 */
public interface GDBPoolOperations {

	// ---- plain SQL

	/**
	 * Runs a query on the read route. A read outside a transaction whose replica's
	 * session ended under it is tried once more, elsewhere.
	 * @param sql SQL with {@code ?} placeholders
	 * @param args the parameters
	 * @return the rows, each a map from column name to value
	 * @throws IllegalArgumentException if {@code sql} is empty
	 */
	List<Map<String, Object>> queryForList(String sql, @Nullable Object... args);

	/**
	 * Runs a query on the read route, mapping each row.
	 * @param <T> the row type
	 * @param sql SQL with {@code ?} placeholders
	 * @param mapper maps each row
	 * @param args the parameters
	 * @return the mapped rows
	 * @throws IllegalArgumentException if {@code sql} is empty or {@code mapper} is null
	 */
	<T> List<T> query(String sql, RowMapper<T> mapper, @Nullable Object... args);

	/**
	 * Runs an INSERT, UPDATE, DELETE or DDL statement on the write route.
	 * @param sql SQL with {@code ?} placeholders
	 * @param args the parameters
	 * @return the number of rows affected
	 * @throws IllegalArgumentException if {@code sql} is empty
	 */
	int update(String sql, @Nullable Object... args);

	/**
	 * A Spring {@link JdbcClient} on this route (the write route for the default
	 * template, the read route for {@link #readOnly()}); it joins the current
	 * transaction.
	 * @return the client
	 */
	JdbcClient jdbc();

	// ---- routes

	/**
	 * A read-only view of this one: on the default template the read pools; on a view of
	 * one pool that same pool; its interactions are read-only transactions.
	 * @return the view
	 */
	GDBPoolOperations readOnly();

	/**
	 * A view on exactly one pool, read-only when this view is.
	 * @param name a pool name
	 * @return the view
	 * @throws IllegalArgumentException naming the known pools when there is no pool of
	 * that name
	 */
	GDBPoolOperations onPool(String name);

	/**
	 * A read-only view whose reads go only to replicas that have replayed {@code lsn},
	 * else to the write pool; on a {@code readAfter} view the later of both positions
	 * counts.
	 * @param lsn a commit LSN, e.g. {@link #lastWriteLsn()} handed along from another
	 * request or service
	 * @return the view
	 * @throws IllegalArgumentException if {@code lsn} is not an LSN
	 * @throws IllegalStateException on a view of one pool, whose reads cannot choose a
	 * replica
	 */
	GDBPoolOperations readAfter(String lsn);

	/**
	 * @return the commit LSN of this thread's last write transaction (recorded when
	 * {@code gdbpool.routing.read-your-writes=lsn}), or {@code null}
	 */
	@Nullable String lastWriteLsn();

	// ---- interactions

	/**
	 * Runs an interaction in one transaction on this route (the write route for the
	 * default template). A JdbcTemplate or JdbcClient on the application's DataSource
	 * inside it runs on the interaction's connection.
	 * @param <T> the result type
	 * @param interaction the work
	 * @return its result
	 * @throws IllegalArgumentException if {@code interaction} is null
	 */
	<T> @Nullable T execute(TransactionCallback<T> interaction);

	/**
	 * Runs an interaction in one transaction of the given definition (isolation, timeout,
	 * read-only); a read-only definition on the default template takes the read route.
	 * @param <T> the result type
	 * @param definition the transaction's definition
	 * @param interaction the work
	 * @return its result
	 * @throws IllegalArgumentException if an argument is null
	 */
	<T> @Nullable T execute(TransactionDefinition definition, TransactionCallback<T> interaction);

	/**
	 * Runs an interaction on the application's task executor. Interactions beyond the
	 * pool's size wait in line, in order (they neither fail nor hold a thread of their
	 * own blocked on the pool); the caller's read-your-writes position goes along.
	 * Cancelling the future before the interaction starts means it never runs.
	 * @param <T> the result type
	 * @param interaction the work
	 * @return the interaction's result, or its exception
	 * @throws IllegalArgumentException if {@code interaction} is null
	 */
	<T> CompletableFuture<T> executeAsync(TransactionCallback<T> interaction);

	// ---- partial transactions

	/**
	 * Begins a transaction on this route, runs the first step in it and suspends it,
	 * connection and locks included, in the returned handle.
	 * @param <T> the first step's result type
	 * @param firstStep the first step, e.g. a {@code SELECT ... FOR UPDATE}
	 * @return the open partial transaction
	 * @throws PartialTransactionLimitException when the budget of open partial
	 * transactions is used up ({@code gdbpool.partial-transactions.max-open}); nothing
	 * was started
	 */
	<T> PartialTransaction<T> begin(TransactionCallback<T> firstStep);

	// ---- notifications

	/**
	 * Sends a notification with {@code pg_notify} on the write route. Inside a
	 * transaction it is delivered when the transaction commits, and not at all if it
	 * rolls back.
	 * @param channel the channel, used exactly as written
	 * @param payload the payload, at most 7999 bytes in UTF-8
	 * @throws IllegalArgumentException before anything is sent, for a channel or payload
	 * PostgreSQL would refuse
	 */
	void notify(String channel, String payload);

	/**
	 * Sends a notification whose payload is {@code payload} written as JSON by the
	 * application's JSON mapper.
	 * @param channel the channel, used exactly as written
	 * @param payload the payload object
	 * @throws IllegalArgumentException before anything is sent, for a channel or payload
	 * PostgreSQL would refuse
	 */
	void notify(String channel, Object payload);

	// ---- dry run

	/**
	 * Renders a statement with its parameters inlined as the driver binds them, without
	 * executing it.
	 * @param sql SQL with {@code ?} placeholders
	 * @param args the parameters
	 * @return the statement as it would run
	 */
	String render(String sql, @Nullable Object... args);

}
