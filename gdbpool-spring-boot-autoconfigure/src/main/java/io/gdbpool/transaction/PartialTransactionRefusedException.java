package io.gdbpool.transaction;

import java.time.Duration;

/**
 * Why the partial-transaction machinery refused a call: the transaction expired, was lost
 * with its session, or the budget of open ones is used up. It never reaches an
 * application: the API layer ({@code io.gdbpool}) turns it into its public exception at
 * the boundary, so this package needs no knowledge of the public types above it.
 */
public final class PartialTransactionRefusedException extends RuntimeException {

	/** What went wrong. */
	public enum Reason {

		/** Rolled back for idling longer than the idle timeout. */
		EXPIRED,

		/** Its connection ended: the server rolled it back. */
		LOST,

		/** Every place of the budget of open partial transactions is taken. */
		LIMIT_REACHED

	}

	/** Why the step or begin was refused. */
	private final Reason reason;

	/**
	 * How many partial transactions may be open at once; 0 unless the limit was reached.
	 */
	private final int limit;

	/** How long begin waited for a place; zero unless the limit was reached. */
	private final Duration waited;

	/** The idle timeout that expired the partial transaction; zero unless it expired. */
	private final Duration idleTimeout;

	private PartialTransactionRefusedException(Reason reason, Throwable cause, int limit, Duration waited,
			Duration idleTimeout) {
		super(reason.name(), cause, false, false);
		this.reason = reason;
		this.limit = limit;
		this.waited = waited;
		this.idleTimeout = idleTimeout;
	}

	static PartialTransactionRefusedException expired(Duration idleTimeout) {
		return new PartialTransactionRefusedException(Reason.EXPIRED, null, 0, Duration.ZERO, idleTimeout);
	}

	static PartialTransactionRefusedException lost(Throwable cause) {
		return new PartialTransactionRefusedException(Reason.LOST, cause, 0, Duration.ZERO, Duration.ZERO);
	}

	static PartialTransactionRefusedException limitReached(int limit, Duration waited) {
		return new PartialTransactionRefusedException(Reason.LIMIT_REACHED, null, limit, waited, Duration.ZERO);
	}

	/**
	 * @return why the step or begin was refused
	 */
	public Reason getReason() {
		return this.reason;
	}

	/**
	 * @return the budget of open partial transactions, for {@link Reason#LIMIT_REACHED}
	 */
	public int getLimit() {
		return this.limit;
	}

	/**
	 * @return how long begin waited for a place, for {@link Reason#LIMIT_REACHED}
	 */
	public Duration getWaited() {
		return this.waited;
	}

	/**
	 * @return the idle timeout that expired the transaction, for {@link Reason#EXPIRED}
	 */
	public Duration getIdleTimeout() {
		return this.idleTimeout;
	}

}
