package io.gdbpool;

import org.springframework.transaction.support.TransactionCallback;

/**
 * A transaction begun by {@link GDBPoolTemplate#begin(TransactionCallback)} that stays
 * open between steps. Between steps no thread holds it: the connection and its locks stay
 * with this handle. Steps may run on any thread, one at a time.
 * <p>
 * A step that throws rolls the whole transaction back and closes the handle. A handle
 * idle longer than {@code gdbpool.partial-transactions.idle-timeout} is rolled back and
 * its connection returned to the pool; a later step fails with
 * {@link PartialTransactionExpiredException}.
 *
 * @param <T> the first step's result type
 */
public interface PartialTransaction<T> extends AutoCloseable {

	/**
	 * @return the first step's result
	 */
	T result();

	/**
	 * Runs a step in the same database transaction, which stays open afterwards.
	 * @param <R> the step's result type
	 * @param step the step
	 * @return the step's result
	 * @throws IllegalStateException if another step is running or the transaction has
	 * ended
	 */
	<R> R continueWith(TransactionCallback<R> step);

	/**
	 * Runs a last step, then commits.
	 * @param <R> the step's result type
	 * @param step the step
	 * @return the step's result
	 * @throws IllegalStateException if another step is running or the transaction has
	 * ended
	 */
	<R> R commitWith(TransactionCallback<R> step);

	/**
	 * Commits.
	 * @throws IllegalStateException if a step is running or the transaction has ended
	 */
	void commit();

	/**
	 * Rolls back.
	 * @throws IllegalStateException if a step is running or the transaction has ended
	 */
	void rollback();

	/**
	 * @return whether the transaction is still open (neither committed, rolled back nor
	 * expired)
	 */
	boolean isOpen();

	/**
	 * Rolls back if still open; does nothing otherwise.
	 */
	@Override
	void close();

}
