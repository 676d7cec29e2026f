package io.gdbpool.transaction;

/**
 * Carried by a read-only transaction definition that may only begin on a replica that
 * replayed a given commit LSN (else on the write pool). A routing transaction manager on
 * the read route honours it, so one manager serves every {@code readAfter} position:
 * choosing a position costs a definition, not a manager of its own.
 */
public interface ReplayFloor {

	/**
	 * @return the commit LSN a replica must have replayed
	 */
	long getMinLsn();

}
