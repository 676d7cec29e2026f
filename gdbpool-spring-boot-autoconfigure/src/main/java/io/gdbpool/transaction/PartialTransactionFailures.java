package io.gdbpool.transaction;

import java.time.Duration;

/**
 * The exceptions a partial transaction throws for its own failures, made by the API layer so
 * callers catch the public types.
 */
public interface PartialTransactionFailures {

	/**
	 * @return what a step on a transaction rolled back for idling throws
	 */
	RuntimeException expired();

	/**
	 * @param cause what showed the connection was gone, or {@code null} when it was found gone
	 * earlier
	 * @return what a step or commit on a transaction whose connection ended throws
	 */
	RuntimeException lost(Throwable cause);

	/**
	 * @param limit the budget of open partial transactions
	 * @param waited how long begin waited for one to end
	 * @return what begin throws when the budget is used up
	 */
	RuntimeException limitReached(int limit, Duration waited);

}
