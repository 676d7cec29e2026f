package io.gdbpool.notify;

import java.time.Duration;

/**
 * When the reader pings its connection and when a missing echo means the connection is
 * dead. A half-open connection (a silent network partition, a frozen server) raises no
 * error on its own: only a round trip that does not come back tells.
 * <p>
 * The reader pings every third of the liveness interval. A ping on a half-open connection
 * blocks until the driver's socket timeout, {@link #socketTimeoutSeconds two thirds} of
 * the interval, and fails; so a connection that dies is noticed within the interval. A
 * ping that was sent but whose echo does not arrive within the interval (a server that
 * takes the statement but no longer notifies) counts as dead too.
 * <p>
 * Pure bookkeeping on {@link System#nanoTime()} values the caller passes in; the reader
 * thread alone uses it.
 */
final class Liveness {

	private final long intervalNanos;

	private final long pingEveryNanos;

	private long nextPing;

	private boolean awaitingEcho;

	private long echoDue;

	/**
	 * @param interval the liveness interval
	 * @param nowNanos the time the connection is taken into use
	 */
	Liveness(Duration interval, long nowNanos) {
		this.intervalNanos = interval.toNanos();
		this.pingEveryNanos = this.intervalNanos / 3;
		this.nextPing = nowNanos + this.pingEveryNanos;
	}

	/**
	 * @param interval the liveness interval
	 * @return the driver's socket timeout, in the whole seconds pgjdbc takes: a ping must
	 * answer within two thirds of the interval
	 */
	static long socketTimeoutSeconds(Duration interval) {
		return Math.max(1, (interval.toMillis() * 2 / 3) / 1000);
	}

	/**
	 * @return whether a ping is due now
	 */
	boolean pingDue(long nowNanos) {
		return nowNanos - this.nextPing >= 0;
	}

	/**
	 * Records a ping sent now. The echo is due one interval after the first unanswered
	 * ping: later pings do not push that back.
	 */
	void pinged(long nowNanos) {
		if (!this.awaitingEcho) {
			this.awaitingEcho = true;
			this.echoDue = nowNanos + this.intervalNanos;
		}
		this.nextPing = nowNanos + this.pingEveryNanos;
	}

	/**
	 * Records that an echo arrived.
	 */
	void echoed() {
		this.awaitingEcho = false;
	}

	/**
	 * @return whether an echo is overdue now, so the connection counts as dead
	 */
	boolean overdue(long nowNanos) {
		return this.awaitingEcho && nowNanos - this.echoDue > 0;
	}

}
