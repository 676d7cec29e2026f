package io.gdbpool;

import java.time.Duration;

import io.gdbpool.transaction.PartialTransactionRefusedException;

/**
 * Turns the partial-transaction machinery's refusals into the public exceptions, with
 * messages that say what happened and what to do: the boundary between
 * {@code io.gdbpool.transaction} and the API, as Spring's exception translation is
 * between JDBC and its callers.
 */
final class PartialTransactionErrors {

	private PartialTransactionErrors() {
	}

	static RuntimeException translate(PartialTransactionRefusedException refusal) {
		return switch (refusal.getReason()) {
			case EXPIRED -> expired(refusal.getIdleTimeout());
			case LOST -> lost(refusal.getCause());
			case LIMIT_REACHED -> limitReached(refusal.getLimit(), refusal.getWaited());
		};
	}

	private static RuntimeException expired(Duration idleTimeout) {
		return new PartialTransactionExpiredException("This partial transaction was idle longer than " + idleTimeout
				+ " (gdbpool.partial-transactions.idle-timeout) and was rolled back; its connection went back to the pool");
	}

	private static RuntimeException lost(Throwable cause) {
		String reason = (cause != null) ? ": " + cause.getMessage() : "";
		return new PartialTransactionLostException("This partial transaction was lost: its connection to the server "
				+ "ended" + reason + ". PostgreSQL rolled it back, nothing of it was committed and its locks are gone; "
				+ "begin it again", cause);
	}

	private static RuntimeException limitReached(int limit, Duration waited) {
		String wait = waited.isZero() ? "" : " (waited " + waited + ", gdbpool.partial-transactions.begin-wait)";
		return new PartialTransactionLimitException("All " + limit + " partial transactions of the budget are open"
				+ wait + "; nothing was started. Try again when some have ended, or raise "
				+ "gdbpool.partial-transactions.max-open (it must stay below the pools' maximum-pool-size, so ordinary "
				+ "work keeps its connections)", limit);
	}

}
