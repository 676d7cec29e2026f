package io.gdbpool;

import org.springframework.dao.TransientDataAccessResourceException;

/**
 * A step or commit was attempted on a partial transaction whose connection to the server
 * ended (server restart, {@code pg_terminate_backend}, network loss). PostgreSQL rolled
 * the transaction back when the session ended: nothing of it was committed and its locks
 * are gone. The handle is closed; {@code rollback()} and {@code close()} on it succeed
 * quietly. Transient: begin the partial transaction again.
 */
public class PartialTransactionLostException extends TransientDataAccessResourceException {

	/**
	 * @param message which step or commit was refused and why
	 * @param cause the failure that showed the session had ended
	 */
	public PartialTransactionLostException(String message, Throwable cause) {
		super(message, cause);
	}

}
