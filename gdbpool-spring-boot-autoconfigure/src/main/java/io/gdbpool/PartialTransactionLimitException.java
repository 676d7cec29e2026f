package io.gdbpool;

import org.springframework.dao.TransientDataAccessResourceException;

/**
 * {@link GDBPoolTemplate#begin} found every partial transaction of the budget
 * ({@code gdbpool.partial-transactions.max-open}) in use. Nothing was started and no
 * connection was taken: partial transactions can never take the connections ordinary work
 * needs. Transient: try again once open partial transactions have ended (a web
 * application answers 503 with {@code Retry-After}).
 */
public class PartialTransactionLimitException extends TransientDataAccessResourceException {

	/** How many partial transactions may be open at once. */
	private final int limit;

	/**
	 * @param message why nothing was started
	 * @param limit how many partial transactions may be open at once
	 */
	public PartialTransactionLimitException(String message, int limit) {
		super(message);
		this.limit = limit;
	}

	/**
	 * @return how many partial transactions may be open at once
	 */
	public int getLimit() {
		return this.limit;
	}

}
