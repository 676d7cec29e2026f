package io.gdbpool.routing;

import java.sql.SQLTransientConnectionException;

/**
 * The read route found no healthy read pool and falling back to the write pool is off.
 */
public class NoReadPoolAvailableException extends SQLTransientConnectionException {

	public NoReadPoolAvailableException(String message) {
		super(message, "08001");
	}

}
