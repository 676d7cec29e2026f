package io.gdbpool;

/**
 * A step was attempted on a partial transaction that stayed idle longer than
 * {@code gdbpool.partial-transactions.idle-timeout} and was therefore rolled back.
 */
public class PartialTransactionExpiredException extends IllegalStateException {

	/**
	 * @param message what was attempted and how long the partial transaction had been
	 * idle
	 */
	public PartialTransactionExpiredException(String message) {
		super(message);
	}

}
