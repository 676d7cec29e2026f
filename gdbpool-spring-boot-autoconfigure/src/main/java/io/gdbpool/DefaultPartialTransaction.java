package io.gdbpool;

import io.gdbpool.GDBPoolInteractionContext.Operation;
import io.gdbpool.transaction.PartialTransactionRefusedException;
import io.gdbpool.transaction.SuspendedTransaction;

import org.springframework.transaction.support.TransactionCallback;

/**
 * {@link PartialTransaction} over a {@link SuspendedTransaction}. Each step, commit and
 * rollback is observed when the template that began it observes (on the thread that calls
 * it, a child of that thread's current observation).
 */
final class DefaultPartialTransaction<T> implements PartialTransaction<T> {

	private final SuspendedTransaction transaction;

	private final T result;

	private final InteractionObservations observations;

	private final TemplateView view;

	DefaultPartialTransaction(SuspendedTransaction transaction, T result, InteractionObservations observations,
			TemplateView view) {
		this.transaction = transaction;
		this.result = result;
		this.observations = observations;
		this.view = view;
	}

	@Override
	public T result() {
		return this.result;
	}

	@Override
	public <R> R continueWith(TransactionCallback<R> step) {
		TransactionCallback<R> checked = requireStep(step);
		if (!this.observations.isOff()) {
			return this.observations.observe(Operation.PARTIAL_CONTINUE, this.view, null, () -> run(checked, false));
		}
		return run(checked, false);
	}

	private <R> R run(TransactionCallback<R> step, boolean commit) {
		try {
			return this.transaction.run(step, commit);
		}
		catch (PartialTransactionRefusedException ex) {
			throw PartialTransactionErrors.translate(ex);
		}
	}

	@Override
	public <R> R commitWith(TransactionCallback<R> step) {
		TransactionCallback<R> checked = requireStep(step);
		if (!this.observations.isOff()) {
			return this.observations.observe(Operation.PARTIAL_COMMIT_WITH, this.view, null, () -> run(checked, true));
		}
		return run(checked, true);
	}

	@Override
	public void commit() {
		if (!this.observations.isOff()) {
			this.observations.observe(Operation.PARTIAL_COMMIT, this.view, this::commitNow);
			return;
		}
		commitNow();
	}

	private void commitNow() {
		try {
			this.transaction.commit();
		}
		catch (PartialTransactionRefusedException ex) {
			throw PartialTransactionErrors.translate(ex);
		}
	}

	@Override
	public void rollback() {
		if (!this.observations.isOff()) {
			this.observations.observe(Operation.PARTIAL_ROLLBACK, this.view, this::rollbackNow);
			return;
		}
		rollbackNow();
	}

	private void rollbackNow() {
		try {
			this.transaction.rollback();
		}
		catch (PartialTransactionRefusedException ex) {
			throw PartialTransactionErrors.translate(ex);
		}
	}

	@Override
	public boolean isOpen() {
		return this.transaction.isOpen();
	}

	@Override
	public void close() {
		SuspendedTransaction.State state = this.transaction.getState();
		// CHECKING too: the liveness check holds it for one round trip, and a close that
		// skipped it would leave the transaction (and its row locks) open until the idle
		// timeout; rollback waits for the check to finish
		if (state == SuspendedTransaction.State.SUSPENDED || state == SuspendedTransaction.State.CHECKING) {
			try {
				this.transaction.rollback();
			}
			catch (IllegalStateException | PartialTransactionRefusedException ex) {
				// ended (or expired) meanwhile: nothing left to close
			}
		}
	}

	@Override
	public String toString() {
		return "PartialTransaction[" + this.transaction.getState().name().toLowerCase() + "]";
	}

	private static <R> TransactionCallback<R> requireStep(TransactionCallback<R> step) {
		if (step == null) {
			throw new IllegalArgumentException("The step must not be null");
		}
		return step;
	}

}
