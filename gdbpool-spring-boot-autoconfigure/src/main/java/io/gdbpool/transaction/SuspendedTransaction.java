package io.gdbpool.transaction;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionCallback;

/**
 * A transaction that no thread holds between steps. Each step attaches its connection and
 * synchronizations to the calling thread (detaching whatever that thread had, and giving it back
 * afterwards), runs, and detaches them again, all through Spring's own suspend/resume.
 * <p>
 * One step at a time: a step that finds another running, or the transaction ended, fails with
 * {@link IllegalStateException}. A step that throws rolls the whole transaction back.
 */
public final class SuspendedTransaction {

	/** Where the transaction is in its life. */
	public enum State {

		/** Between steps: idle, held by nobody. */
		SUSPENDED,

		/** A step (or the commit/rollback) is running on some thread. */
		RUNNING,

		/** Committed. */
		COMMITTED,

		/** Rolled back by the application or because a step failed. */
		ROLLED_BACK,

		/** Rolled back because it stayed idle too long. */
		EXPIRED

	}

	private final RouteAwareTransactionManager transactionManager;

	private final TransactionStatus status;

	private final PartialTransactions registry;

	private final AtomicReference<State> state = new AtomicReference<>(State.RUNNING);

	private final long startedNanos;

	// written and read only by the thread that holds the RUNNING state
	private Object detachedResources;

	private volatile long idleSinceNanos;

	private final Supplier<? extends RuntimeException> expiredException;

	private SuspendedTransaction(RouteAwareTransactionManager transactionManager, TransactionStatus status,
			PartialTransactions registry, Supplier<? extends RuntimeException> expiredException) {
		this.transactionManager = transactionManager;
		this.status = status;
		this.registry = registry;
		this.expiredException = expiredException;
		this.startedNanos = System.nanoTime();
	}

	/**
	 * Begins a transaction on the calling thread, runs the first step in it and suspends it.
	 * @param <T> the step's result type
	 * @param transactionManager the transaction manager (and so the route)
	 * @param definition the transaction's definition; its propagation is ignored: always a new
	 * transaction
	 * @param registry where open partial transactions are tracked and expired
	 * @param expiredException what a step on an expired transaction throws
	 * @param firstStep the first step
	 * @param result receives the first step's result
	 * @return the suspended transaction
	 */
	public static <T> SuspendedTransaction begin(RouteAwareTransactionManager transactionManager,
			TransactionDefinition definition, PartialTransactions registry,
			Supplier<? extends RuntimeException> expiredException, TransactionCallback<T> firstStep,
			java.util.function.Consumer<T> result) {
		Object outer = transactionManager.detach();
		try {
			TransactionStatus status = transactionManager.getTransaction(definition);
			SuspendedTransaction transaction = new SuspendedTransaction(transactionManager, status, registry,
					expiredException);
			T value;
			try {
				registry.prepareSession();
				value = firstStep.doInTransaction(status);
			}
			catch (RuntimeException | Error ex) {
				transaction.rollbackAttached(ex, State.ROLLED_BACK);
				throw ex;
			}
			if (status.isRollbackOnly()) {
				transaction.rollbackAttached(null, State.ROLLED_BACK);
				throw new IllegalStateException("The first step of the partial transaction marked it rollback-only; "
						+ "it was rolled back");
			}
			transaction.detachedResources = transactionManager.detach();
			transaction.suspend();
			registry.opened(transaction);
			result.accept(value);
			return transaction;
		}
		finally {
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
			catch (RuntimeException | Error ex) {
				rollbackAttached(ex, State.ROLLED_BACK);
				throw ex;
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

	/** Rolls back. */
	public void rollback() {
		claim();
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

	public State getState() {
		return this.state.get();
	}

	public boolean isOpen() {
		State current = this.state.get();
		return current == State.SUSPENDED || current == State.RUNNING;
	}

	/**
	 * @return nanoseconds since it began
	 */
	public long ageNanos() {
		return System.nanoTime() - this.startedNanos;
	}

	private void claim() {
		if (this.state.compareAndSet(State.SUSPENDED, State.RUNNING)) {
			return;
		}
		State current = this.state.get();
		switch (current) {
			case RUNNING -> throw new IllegalStateException(
					"Another step of this partial transaction is running; steps run one at a time");
			case EXPIRED -> throw this.expiredException.get();
			case COMMITTED -> throw new IllegalStateException("This partial transaction is already committed");
			case ROLLED_BACK -> throw new IllegalStateException("This partial transaction is already rolled back");
			default -> throw new IllegalStateException("This partial transaction is " + current);
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
		catch (RuntimeException | Error ex) {
			this.state.set(State.ROLLED_BACK);
			throw ex;
		}
		finally {
			this.registry.closed(this);
		}
	}

	private void rollbackAttached(Throwable cause, State endState) {
		try {
			this.transactionManager.rollback(this.status);
		}
		catch (RuntimeException | Error rollbackFailure) {
			if (cause != null) {
				cause.addSuppressed(rollbackFailure);
			}
			else {
				throw rollbackFailure;
			}
		}
		finally {
			this.state.set(endState);
			this.registry.closed(this);
		}
	}

}
