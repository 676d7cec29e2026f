package io.gdbpool.autoconfigure;

import io.gdbpool.notify.PgListenerStartupException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a LISTEN connection that could not be set up during start-up: a hot standby, a
 * transaction pooler in the way, or no server at all.
 */
class ListenerStartupFailureAnalyzer extends AbstractFailureAnalyzer<PgListenerStartupException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, PgListenerStartupException cause) {
		String action = switch (cause.getProblem()) {
			case STANDBY -> "Point the LISTEN connection at the primary: set gdbpool.listener.pool to a write pool, or "
					+ "gdbpool.listener.url to the primary's url.";
			case NOT_LISTENING ->
				"LISTEN needs a session of its own: set gdbpool.listener.url to the PostgreSQL server "
						+ "itself (bypassing PgBouncer), or to a PgBouncer pool in session mode.";
			case CONNECTION -> "Check that the server at " + cause.getUrl() + " is running and reachable and that the "
					+ "credentials of gdbpool.listener.pool (or gdbpool.listener.url) are right.";
		};
		return new FailureAnalysis("gDBPool could not start listening for notifications at " + cause.getUrl()
				+ ".\n\n    Reason: " + cause.getMessage(), action, cause);
	}

}
