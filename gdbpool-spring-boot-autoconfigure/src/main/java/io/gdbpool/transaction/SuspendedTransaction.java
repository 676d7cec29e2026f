package io.gdbpool.transaction;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import io.gdbpool.support.SessionLoss;

import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionCallback;

/**
 * A transaction that no thread holds between steps. Each step attaches its connection and
 * synchronizations to the calling thread (detaching whatever that thread had, and giving
 * it back afterwards), runs, and detaches them again, all through Spring's own
 * suspend/resume.
 * <p>
 * One step at a time: a step that finds another running, or the transaction ended, fails
 * with {@link IllegalStateException}. A step that throws rolls the whole transaction
 * back. A transaction whose connection ended is <em>lost</em>: the server rolled it back,
 * so steps and commit throw {@link PartialTransactionRefusedException} ({@code LOST}),
 * while rollback and close have nothing left to undo and succeed quietly.
 */
public final class SuspendedTransaction {

	/** Where the transaction is in its life. */
	public enum State {

		/** Between steps: idle, held by nobody. */
		SUSPENDED,

		/**
		 * Between steps, while the registry checks that its connection is still alive
		 * (and, when it is not, ends it as {@link #LOST}).
		 */
		CHECKING,

		/** A step (or the commit/rollback) is running on some thread. */
		RUNNING,

		/** Committed. */
		COMMITTED,

		/** Rolled back by the application or because a step failed. */
		ROLLED_BACK,

		/** Rolled back because it stayed idle too long. */
		EXPIRED,

		/** Its connection ended: the server rolled it back. */
		LOST

	}

	// a liveness check takes at most its 1 s timeout; a step arriving meanwhile waits for
	// it
	private static final long CHECK_WAIT_NANOS = TimeUnit.SECONDS.toNanos(3);

	private final RouteAwareTransactionManager transactionManager;

	private final TransactionStatus status;

	private final PartialTransactions registry;

	private final AtomicReference<State> state = new AtomicReference<>(State.RUNNING);

	private final long startedNanos;

	// written and read only by the thread that holds the RUNNING (or CHECKING) state
	private Object detachedResources;

	private Connection connection;

	private volatile long idleSinceNanos;

	private SuspendedTransaction(RouteAwareTransactionManager transactionManager, TransactionStatus status,
			PartialTransactions registry) {
		this.transactionManager = transactionManager;
		this.status = status;
		this.registry = registry;
		this.startedNanos = System.nanoTime();
	}

	/**
	 * Begins a transaction on the calling thread, runs the first step in it and suspends
	 * it.
	 * @param <T> the step's result type
	 * @param transactionManager the transaction manager (and so the route)
	 * @param definition the transaction's definition; its propagation is ignored: always
	 * a new transaction
	 * @param registry where open partial transactions are counted, budgeted and expired
	 * @param firstStep the first step
	 * @param result receives the first step's result
	 * @return the suspended transaction
	 */
	public static <T> SuspendedTransaction begin(RouteAwareTransactionManager transactionManager,
			TransactionDefinition definition, PartialTransactions registry, TransactionCallback<T> firstStep,
			Consumer<T> result) {
		// before anything else: over the budget, no connection is taken
		registry.reserve();
		boolean reservationHandedOver = false;
		Object outer = transactionManager.detach();
		try {
			TransactionStatus status = transactionManager.getTransaction(definition);
			SuspendedTransaction transaction = new SuspendedTransaction(transactionManager, status, registry);
			// from here on the transaction gives the reservation back when it ends
			reservationHandedOver = true;
			T value;
			try {
				transaction.connection = registry.prepareSession();
				value = firstStep.doInTransaction(status);
			}
			catch (RuntimeException ex) {
				transaction.rollbackAttached(ex, State.ROLLED_BACK);
				throw transaction.lostOr(ex);
			}
			catch (Error err) {
				transaction.rollbackAttached(err, State.ROLLED_BACK);
				throw err;
			}
			if (status.isRollbackOnly()) {
				transaction.rollbackAttached(null, State.ROLLED_BACK);
				throw new IllegalStateException(
						"The first step of the partial transaction marked it rollback-only; " + "it was rolled back");
			}
			transaction.detachedResources = transactionManager.detach();
			transaction.suspend();
			registry.opened(transaction);
			result.accept(value);
			return transaction;
		}
		finally {
			if (!reservationHandedOver) {
				registry.release();
			}
			transactionManager.attach(outer);
		}
	}

	/**
	 * Runs one more step, then suspends again or commits.
	 * @param <R> the step's result type
	 * @param step the step
	 * @param commitAfter whether to commit after the step
	 * @return the step's result
	 */
	public <R> R run(TransactionCallback<R> step, boolean commitAfter) {
		claim();
		Object outer = this.transactionManager.detach();
		try {
			this.transactionManager.attach(this.detachedResources);
			this.detachedResources = null;
			R value;
			try {
				value = step.doInTransaction(this.status);
			}
			catch (RuntimeException ex) {
				rollbackAttached(ex, State.ROLLED_BACK);
				throw lostOr(ex);
			}
			catch (Error err) {
				rollbackAttached(err, State.ROLLED_BACK);
				throw err;
			}
			if (this.status.isRollbackOnly()) {
				rollbackAttached(null, State.ROLLED_BACK);
			}
			else if (commitAfter) {
				commitAttached();
			}
			else {
				this.detachedResources = this.transactionManager.detach();
				suspend();
			}
			return value;
		}
		finally {
			this.transactionManager.attach(outer);
		}
	}

	/** Commits. */
	public void commit() {
		run((status) -> null, true);
	}

	/** Rolls back; quietly does nothing more when the transaction was lost. */
	public void rollback() {
		try {
			claim();
		}
		catch (PartialTransactionRefusedException ex) {
			if (ex.getReason() == PartialTransactionRefusedException.Reason.LOST) {
				// the server rolled it back when the session ended: nothing left to undo
				return;
			}
			throw ex;
		}
		end(State.ROLLED_BACK);
	}

	/**
	 * Rolls back if it is suspended and has been idle at least {@code idleNanos}.
	 * @param nowNanos the current {@link System#nanoTime()}
	 * @param idleNanos the idle timeout
	 * @return true if it was expired now
	 */
	boolean expireIfIdle(long nowNanos, long idleNanos) {
		if (nowNanos - this.idleSinceNanos < idleNanos || !this.state.compareAndSet(State.SUSPENDED, State.RUNNING)) {
			return false;
		}
		end(State.EXPIRED);
		return true;
	}

	/**
	 * Asks the server whether the suspended transaction's connection is still alive (one
	 * round trip, at most one second); ends it as lost when it is not, so its connection
	 * and budget come back at once instead of at the idle timeout.
	 * @return true if it was found lost now
	 */
	boolean endIfLost() {
		if (!this.state.compareAndSet(State.SUSPENDED, State.CHECKING)) {
			return false;
		}
		boolean alive;
		try {
			alive = this.connection == null || this.connection.isValid(1);
		}
		catch (SQLException ex) {
			alive = false;
		}
		if (alive) {
			// idle time goes on counting from the last step, not from the check
			this.state.set(State.SUSPENDED);
			return false;
		}
		// ended while still CHECKING: a step or rollback arriving meanwhile waits for the
		// outcome (LOST) instead of finding a "running step" and failing with a conflict
		end(State.LOST);
		return true;
	}

	/**
	 * Rolls back if still open, e.g. at shutdown.
	 * @return true if it was open
	 */
	boolean rollbackIfSuspended() {
		if (!this.state.compareAndSet(State.SUSPENDED, State.RUNNING)) {
			return false;
		}
		end(State.ROLLED_BACK);
		return true;
	}

	/**
	 * @return where the partial transaction is in its life
	 */
	public State getState() {
		return this.state.get();
	}

	/**
	 * @return whether it can still take a step, commit or roll back
	 */
	public boolean isOpen() {
		State current = this.state.get();
		return current == State.SUSPENDED || current == State.CHECKING || current == State.RUNNING;
	}

	/**
	 * @return nanoseconds since it began
	 */
	public long ageNanos() {
		return System.nanoTime() - this.startedNanos;
	}

	private void claim() {
		long deadline = System.nanoTime() + CHECK_WAIT_NANOS;
		while (!this.state.compareAndSet(State.SUSPENDED, State.RUNNING)) {
			State current = this.state.get();
			switch (current) {
				case SUSPENDED -> {
					// changed under us: try again
				}
				case CHECKING -> {
					if (System.nanoTime() - deadline > 0) {
						throw new IllegalStateException(
								"The liveness check of this partial transaction did not finish");
					}
					LockSupport.parkNanos(100_000);
				}
				case RUNNING -> throw new IllegalStateException(
						"Another step of this partial transaction is running; steps run one at a time");
				case EXPIRED -> throw PartialTransactionRefusedException.expired(this.registry.getIdleTimeout());
				case LOST -> throw PartialTransactionRefusedException.lost(null);
				case COMMITTED -> throw new IllegalStateException("This partial transaction is already committed");
				case ROLLED_BACK -> throw new IllegalStateException("This partial transaction is already rolled back");
			}
		}
	}

	private void suspend() {
		this.idleSinceNanos = System.nanoTime();
		this.state.set(State.SUSPENDED);
	}

	// the caller holds the RUNNING state and the transaction is detached
	private void end(State endState) {
		Object outer = this.transactionManager.detach();
		try {
			this.transactionManager.attach(this.detachedResources);
			this.detachedResources = null;
			rollbackAttached(null, endState);
		}
		finally {
			this.transactionManager.attach(outer);
		}
	}

	private void commitAttached() {
		try {
			this.transactionManager.commit(this.status);
			this.state.set(State.COMMITTED);
		}
		catch (RuntimeException ex) {
			boolean lost = SessionLoss.causedBy(ex);
			this.state.set(lost ? State.LOST : State.ROLLED_BACK);
			throw lost ? PartialTransactionRefusedException.lost(ex) : ex;
		}
		catch (Error err) {
			this.state.set(State.ROLLED_BACK);
			throw err;
		}
		finally {
			this.connection = null;
			this.registry.closed(this);
		}
	}

	private void rollbackAttached(Throwable cause, State endState) {
		State finalState = endState;
		try {
			this.transactionManager.rollback(this.status);
		}
		catch (RuntimeException | Error rollbackFailure) {
			if (SessionLoss.causedBy(rollbackFailure)) {
				// the server already rolled it back when the session ended: nothing was
				// left to undo
				finalState = State.LOST;
			}
			else if (cause != null) {
				cause.addSuppressed(rollbackFailure);
			}
			else {
				throw rollbackFailure;
			}
		}
		finally {
			if (cause != null && SessionLoss.causedBy(cause)) {
				finalState = State.LOST;
			}
			this.state.set(finalState);
			this.connection = null;
			this.registry.closed(this);
		}
	}

	// a step that failed because the session is gone says so, with the library's
	// exception
	private RuntimeException lostOr(RuntimeException ex) {
		return (this.state.get() == State.LOST) ? PartialTransactionRefusedException.lost(ex) : ex;
	}

}
