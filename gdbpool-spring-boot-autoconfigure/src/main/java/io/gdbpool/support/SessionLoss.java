package io.gdbpool.support;

import java.sql.SQLException;

/**
 * Tells whether a failure means the session itself is gone: the server then rolled back
 * whatever the session had open, so there is nothing left to commit or to undo.
 */
public final class SessionLoss {

	private static final String HIKARI_CLOSED = "Connection is closed";

	private SessionLoss() {
	}

	/**
	 * @param failure a failure and its causes
	 * @return true when some cause is a connection exception (SQLState class 08) or the
	 * server ending the session (57P01 admin shutdown / pg_terminate_backend, 57P02 crash
	 * shutdown, 57P03 cannot connect now)
	 */
	public static boolean causedBy(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause instanceof SQLException sql && isLoss(sql)) {
				return true;
			}
			for (Throwable suppressed : cause.getSuppressed()) {
				if (suppressed instanceof SQLException sql && isLoss(sql)) {
					return true;
				}
			}
		}
		return false;
	}

	private static boolean isLoss(SQLException ex) {
		String state = ex.getSQLState();
		if (state == null) {
			// HikariCP swaps a connection that failed with one of the states above for a
			// closed one, whose every call (Spring's rollback after a failed commit, say)
			// says only this
			return HIKARI_CLOSED.equals(ex.getMessage());
		}
		return state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03");
	}

}
