package io.gdbpool;

import java.lang.reflect.UndeclaredThrowableException;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

import io.gdbpool.GDBPoolInteractionContext.Operation;
import io.gdbpool.notify.ChannelNames;
import io.gdbpool.routing.LastWriteLsn;
import io.gdbpool.routing.Lsn;
import io.gdbpool.support.SessionLoss;
import io.gdbpool.transaction.PartialTransactionRefusedException;
import io.gdbpool.transaction.PartialTransactions;
import io.gdbpool.transaction.ReadAfterDefinition;
import io.gdbpool.transaction.RouteAwareTransactionManager;
import io.gdbpool.transaction.SuspendedTransaction;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.ArgumentPreparedStatementSetter;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.support.DefaultTransactionDefinition;
import org.springframework.transaction.support.DelegatingTransactionDefinition;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The {@link GDBPoolOperations} over the routing DataSource: plain SQL, interactions,
 * asynchronous interactions, partial transactions, notifications and dry runs.
 * Thread-safe; inject the one the auto-configuration builds.
 * <p>
 * {@link #readOnly()}, {@link #onPool(String)} and {@link #readAfter(String)} return
 * views of the same template on another route (cached, composable, no new pools); what
 * they share lives in a {@link TemplateContext}, which also builds them.
 */
public class GDBPoolTemplate implements GDBPoolOperations {

	private final TemplateContext context;

	private final TemplateView view;

	private final JdbcTemplate queryJdbc;

	private final JdbcTemplate updateJdbc;

	private final RouteAwareTransactionManager transactionManager;

	private final TransactionTemplate defaultTransaction;

	private final AsyncInteractionQueue asyncInteractions;

	private volatile @Nullable JdbcClient jdbcClient;

	/**
	 * Builds the template; the auto-configuration does this (bean
	 * {@code gdbPoolTemplate}).
	 * @param transactionManager the routing transaction manager of the default route
	 * (routes by the definition's read-only flag): the JPA one when the application uses
	 * JPA, so repository calls inside interactions and partial transactions are part of
	 * them
	 * @param partialTransactions where partial transactions are budgeted, tracked and
	 * expired
	 * @param asyncExecutor runs {@link #executeAsync(TransactionCallback)} interactions
	 * @param jsonWriter writes {@link #notify(String, Object)} payloads as JSON;
	 * {@code null} when no JSON mapper is available
	 */
	public GDBPoolTemplate(RouteAwareTransactionManager transactionManager, PartialTransactions partialTransactions,
			Executor asyncExecutor, @Nullable Function<Object, String> jsonWriter) {
		this(new TemplateContext(transactionManager, partialTransactions, asyncExecutor, jsonWriter),
				TemplateView.DEFAULT, transactionManager, null);
	}

	/**
	 * A view; only its {@link TemplateContext} builds them.
	 */
	GDBPoolTemplate(TemplateContext context, TemplateView view, RouteAwareTransactionManager transactionManager,
			@Nullable AsyncInteractionQueue asyncInteractions) {
		this.context = context;
		this.view = view;
		this.queryJdbc = context.jdbcTemplate(view.queryRoute());
		this.updateJdbc = context.jdbcTemplate(view.updateRoute());
		this.transactionManager = transactionManager;
		DefaultTransactionDefinition definition = new DefaultTransactionDefinition();
		definition.setReadOnly(view.readOnly());
		this.defaultTransaction = transactionTemplate(definition);
		this.asyncInteractions = (asyncInteractions != null) ? asyncInteractions : context.writeQueue();
	}

	// ---- observations

	/**
	 * Observes interactions, asynchronous interactions and partial-transaction steps
	 * through this registry ({@link GDBPoolObservation}), on this template and all its
	 * views; plain SQL is not observed. With {@link ObservationRegistry#NOOP} (the
	 * default) nothing is observed and nothing extra is allocated. Set it before use.
	 * @param registry the registry
	 */
	public void setObservationRegistry(ObservationRegistry registry) {
		if (registry == null) {
			throw new IllegalArgumentException("ObservationRegistry must not be null; use ObservationRegistry.NOOP");
		}
		this.context.observations = this.context.observations.withRegistry(registry);
	}

	/**
	 * @param convention names and key values of the observations instead of
	 * {@link DefaultGDBPoolInteractionObservationConvention}; {@code null} for the
	 * default
	 */
	public void setObservationConvention(@Nullable GDBPoolInteractionObservationConvention convention) {
		this.context.observations = this.context.observations.withConvention(convention);
	}

	// ---- plain SQL

	@Override
	public List<Map<String, Object>> queryForList(String sql, @Nullable Object... args) {
		requireSql(sql);
		return readWithRetry(() -> this.queryJdbc.queryForList(sql, args));
	}

	@Override
	public <T> List<T> query(String sql, RowMapper<T> mapper, @Nullable Object... args) {
		if (mapper == null) {
			throw new IllegalArgumentException("RowMapper must not be null");
		}
		requireSql(sql);
		return readWithRetry(() -> this.queryJdbc.query(sql, mapper, args));
	}

	/**
	 * A read on the read route, outside a transaction, that failed because its replica's
	 * session ended (server stopped, killed, or frozen and aborted by the monitor) is
	 * tried once more: the replica is out of rotation by then, so the second try goes to
	 * another one or the primary.
	 */
	private <T> T readWithRetry(Supplier<T> read) {
		try {
			return read.get();
		}
		catch (DataAccessException ex) {
			if (!this.view.queryRoute().isRead() || TransactionSynchronizationManager.isActualTransactionActive()
					|| !this.context.dataSource.ejectAfterReadFailure(ex)) {
				throw ex;
			}
			return read.get();
		}
	}

	@Override
	public int update(String sql, @Nullable Object... args) {
		requireSql(sql);
		if (TransactionSynchronizationManager.isActualTransactionActive()
				|| !this.context.dataSource.recordsCommitsOn(this.view.updateRoute())) {
			return this.updateJdbc.update(sql, args);
		}
		// an autocommit write: remember its commit position for read-your-writes
		Integer count = this.updateJdbc.execute((ConnectionCallback<Integer>) (connection) -> {
			int rows;
			try (PreparedStatement statement = connection.prepareStatement(sql)) {
				new ArgumentPreparedStatementSetter(args).setValues(statement);
				rows = statement.executeUpdate();
			}
			LastWriteLsn.advanceFrom(connection);
			return rows;
		});
		return (count != null) ? count : 0;
	}

	@Override
	public JdbcClient jdbc() {
		JdbcClient client = this.jdbcClient;
		if (client == null) {
			// built on first use: most views never need one
			client = JdbcClient.create(this.view.readOnly() ? this.queryJdbc : this.updateJdbc);
			this.jdbcClient = client;
		}
		return client;
	}

	// ---- routes

	@Override
	public GDBPoolTemplate readOnly() {
		if (this.view.readOnly()) {
			return this;
		}
		return this.view.isOnePool() ? this.context.poolView(this.view.queryRoute().pool().getName(), true)
				: this.context.readView();
	}

	@Override
	public GDBPoolTemplate onPool(String name) {
		return this.context.poolView(name, this.view.readOnly());
	}

	@Override
	public GDBPoolTemplate readAfter(String lsn) {
		long position = Lsn.parse(lsn);
		if (this.view.isOnePool()) {
			throw new IllegalStateException("This view reads only from " + this.view.description()
					+ "; readAfter chooses among the replicas, so call it on the template or its readOnly() view");
		}
		return this.context.readAfterView(Math.max(position, this.view.minLsn()));
	}

	@Override
	public @Nullable String lastWriteLsn() {
		return Lsn.format(LastWriteLsn.get());
	}

	// ---- interactions

	@Override
	public <T> @Nullable T execute(TransactionCallback<T> interaction) {
		requireInteraction(interaction);
		return observedExecute(this.defaultTransaction, interaction, Operation.EXECUTE, null);
	}

	@Override
	public <T> @Nullable T execute(TransactionDefinition definition, TransactionCallback<T> interaction) {
		if (definition == null) {
			throw new IllegalArgumentException("TransactionDefinition must not be null");
		}
		requireInteraction(interaction);
		return observedExecute(transactionTemplate(effective(definition)), interaction, Operation.EXECUTE, null);
	}

	private <T> @Nullable T observedExecute(TransactionTemplate transaction, TransactionCallback<T> interaction,
			Operation operation, @Nullable Observation parent) {
		InteractionObservations observations = this.context.observations;
		if (observations.isOff()) {
			return executeIn(transaction, interaction);
		}
		return observations.observe(operation, this.view, parent, () -> executeIn(transaction, interaction));
	}

	private <T> @Nullable T executeIn(TransactionTemplate transaction, TransactionCallback<T> interaction) {
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

	@Override
	public <T> CompletableFuture<T> executeAsync(TransactionCallback<T> interaction) {
		requireInteraction(interaction);
		long callerLsn = LastWriteLsn.get();
		// the caller's observation is the parent of the worker's (and so carries the
		// trace on)
		Observation caller = this.context.observations.current();
		return this.asyncInteractions.submit((future) -> {
			// the caller's read-your-writes position goes along, and the worker's own
			// comes back after
			long ownLsn = LastWriteLsn.get();
			LastWriteLsn.set(Math.max(ownLsn, callerLsn));
			try {
				return observedExecute(this.defaultTransaction, interaction, Operation.EXECUTE_ASYNC, caller);
			}
			finally {
				LastWriteLsn.set(ownLsn);
			}
		});
	}

	// ---- partial transactions

	@Override
	public <T> PartialTransaction<T> begin(TransactionCallback<T> firstStep) {
		if (firstStep == null) {
			throw new IllegalArgumentException("The first step must not be null");
		}
		InteractionObservations observations = this.context.observations;
		if (observations.isOff()) {
			return beginIn(firstStep, observations);
		}
		return observations.observe(Operation.PARTIAL_BEGIN, this.view, null, () -> beginIn(firstStep, observations));
	}

	private <T> PartialTransaction<T> beginIn(TransactionCallback<T> firstStep, InteractionObservations observations) {
		Object[] result = new Object[1];
		DefaultTransactionDefinition definition = new DefaultTransactionDefinition(
				TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		definition.setReadOnly(this.view.readOnly());
		definition.setName("gdbpool partial transaction");
		TransactionDefinition routed = this.view.isReadAfter() ? new ReadAfterDefinition(definition, this.view.minLsn())
				: definition;
		SuspendedTransaction transaction;
		try {
			transaction = SuspendedTransaction.begin(this.transactionManager, routed, this.context.partialTransactions,
					firstStep, (value) -> result[0] = value);
		}
		catch (PartialTransactionRefusedException ex) {
			throw PartialTransactionErrors.translate(ex);
		}
		@SuppressWarnings("unchecked")
		T value = (T) result[0];
		return new DefaultPartialTransaction<>(transaction, value, observations, this.view);
	}

	// ---- notifications

	@Override
	public void notify(String channel, String payload) {
		ChannelNames.requireValid(channel);
		ChannelNames.requireValidPayload(payload);
		this.updateJdbc.query("SELECT pg_notify(?, ?)", (rs) -> null, channel, payload);
	}

	@Override
	public void notify(String channel, Object payload) {
		if (payload instanceof String text) {
			notify(channel, text);
			return;
		}
		ChannelNames.requireValid(channel);
		Function<Object, String> writer = this.context.jsonWriter;
		if (writer == null) {
			throw new IllegalStateException(
					"No JSON mapper is available to write the payload; add spring-boot-starter-json "
							+ "or send a String payload");
		}
		notify(channel, writer.apply(payload));
	}

	// ---- dry run

	@Override
	public String render(String sql, @Nullable Object... args) {
		return this.context.renderer.render(sql, args);
	}

	@Override
	public String toString() {
		return "GDBPoolTemplate[" + this.view.description() + "]";
	}

	private TransactionTemplate transactionTemplate(TransactionDefinition definition) {
		if (this.view.isReadAfter()) {
			return new ReadAfterTransactionTemplate(this.transactionManager, definition, this.view.minLsn());
		}
		return new TransactionTemplate(this.transactionManager, definition);
	}

	private TransactionDefinition effective(TransactionDefinition definition) {
		if (!this.view.readOnly() || definition.isReadOnly()) {
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
	 * "rollback failed" hides why: the interaction's own failure (the broken connection)
	 * is what the caller needs, and PostgreSQL rolled the transaction back when the
	 * session ended.
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
			DataAccessException translated = this.context.translator.translate("interaction", null, sqlException);
			if (translated != null) {
				return translated;
			}
		}
		return ex;
	}

	private static void requireSql(String sql) {
		if (sql == null || sql.isBlank()) {
			throw new IllegalArgumentException("SQL must not be empty");
		}
	}

	private static void requireInteraction(TransactionCallback<?> interaction) {
		if (interaction == null) {
			throw new IllegalArgumentException("The interaction must not be null");
		}
	}

}
