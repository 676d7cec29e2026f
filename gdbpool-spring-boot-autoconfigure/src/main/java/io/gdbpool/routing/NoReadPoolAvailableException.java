package io.gdbpool.routing;

import java.sql.SQLTransientConnectionException;

/**
 * The read route found no healthy read pool and falling back to the write pool is off.
 */
public class NoReadPoolAvailableException extends SQLTransientConnectionException {

	/**
	 * @param message which read pools there are and why none could serve
	 */
	public NoReadPoolAvailableException(String message) {
		super(message, "08001");
	}

}
