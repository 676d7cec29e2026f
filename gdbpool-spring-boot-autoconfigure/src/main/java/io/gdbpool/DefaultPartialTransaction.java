package io.gdbpool;

import io.gdbpool.transaction.PartialTransactionRefusedException;
import io.gdbpool.transaction.SuspendedTransaction;

import org.springframework.transaction.support.TransactionCallback;

/**
 * {@link PartialTransaction} over a {@link SuspendedTransaction}.
 */
final class DefaultPartialTransaction<T> implements PartialTransaction<T> {

	private final SuspendedTransaction transaction;

	private final T result;

	DefaultPartialTransaction(SuspendedTransaction transaction, T result) {
		this.transaction = transaction;
		this.result = result;
	}

	@Override
	public T result() {
		return this.result;
	}

	@Override
	public <R> R continueWith(TransactionCallback<R> step) {
		TransactionCallback<R> checked = requireStep(step);
		try {
			return this.transaction.run(checked, false);
		}
		catch (PartialTransactionRefusedException ex) {
			throw PartialTransactionErrors.translate(ex);
		}
	}

	@Override
	public <R> R commitWith(TransactionCallback<R> step) {
		TransactionCallback<R> checked = requireStep(step);
		try {
			return this.transaction.run(checked, true);
		}
		catch (PartialTransactionRefusedException ex) {
			throw PartialTransactionErrors.translate(ex);
		}
	}

	@Override
	public void commit() {
		try {
			this.transaction.commit();
		}
		catch (PartialTransactionRefusedException ex) {
			throw PartialTransactionErrors.translate(ex);
		}
	}

	@Override
	public void rollback() {
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
		if (this.transaction.getState() == SuspendedTransaction.State.SUSPENDED) {
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
