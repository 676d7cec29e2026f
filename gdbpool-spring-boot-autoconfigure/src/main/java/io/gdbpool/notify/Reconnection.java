package io.gdbpool.notify;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * One outage of the LISTEN connection, from its loss until a new connection listens to
 * every channel again: when to check whether the server accepts TCP, when to make a full
 * connection attempt, and what is known of the gap for the
 * {@link PgListenerReconnectedEvent}.
 * <p>
 * Notifications committed between the server's return and the new LISTEN are lost, so the
 * aim is to be back within a second of the server accepting connections, however long it
 * was away, without hammering a server that answers but refuses us:
 * <ul>
 * <li>a full attempt is made only when a {@link ServerReachability TCP check} just
 * succeeded. While the server refuses TCP connections (down, restarting) the check runs
 * every {@value #CHECK_INTERVAL_MILLIS} ms, which costs the server nothing, and the first
 * check that succeeds is followed by an attempt at once;</li>
 * <li>a failed attempt against a server that is not ready yet (starting up or in
 * recovery, 57P03; a standby being promoted; too many connections; a frozen server timing
 * out the login) is retried after an exponential pause capped at
 * {@value #NOT_READY_MAX_PAUSE_MILLIS} ms (or {@code reconnect-max-backoff} if smaller),
 * so the first attempt after it becomes ready comes at most half a second late and the
 * listener is back within the second. A few failed logins a second for as long as a
 * server starts are cheap;</li>
 * <li>a failed attempt that says the server refuses us for good (authentication, a
 * missing database or privilege, a pooler that loses LISTEN) backs off up to
 * {@code reconnect-max-backoff}: only a change on the server ends that, and retrying
 * every second would fill its log;</li>
 * <li>both pauses start over whenever the server stops accepting TCP: its return is a new
 * start.</li>
 * </ul>
 * While checks fail, full attempts still go on at the slow pace: were a check ever wrong
 * about the driver's route to the server, the listener would be late, never gone for
 * good.
 * <p>
 * Used by the reader thread alone. Its time comes from a {@link Clock}: the reader's
 * {@link StopSignal}, which ends every wait at once, or a simulated clock in tests, so
 * the pacing is tested without waiting for it.
 */
final class Reconnection {

	private static final Log logger = LogFactory.getLog(Reconnection.class);

	/** How often a server that refuses TCP connections is checked again. */
	static final long CHECK_INTERVAL_MILLIS = 250;

	/** How long one host may take to accept a TCP check. */
	static final int CHECK_TIMEOUT_MILLIS = 1000;

	/**
	 * The longest pause after an attempt that failed because the server was not ready
	 * yet.
	 */
	static final long NOT_READY_MAX_PAUSE_MILLIS = 500;

	private static final long FIRST_PAUSE_MILLIS = 200;

	/**
	 * A full connection attempt: connect, then LISTEN to every wanted channel.
	 */
	@FunctionalInterface
	interface Attempt<C> {

		C open() throws SQLException;

	}

	/**
	 * Whether the server accepts TCP connections now: a {@link ServerReachability} check.
	 */
	@FunctionalInterface
	interface TcpCheck {

		boolean accepting();

	}

	/**
	 * Time as a reconnection sees it.
	 */
	interface Clock {

		/**
		 * @return now, on a monotonic clock in nanoseconds
		 */
		long nanoTime();

		/**
		 * Waits until a time on this clock, unless stopped first.
		 * @return {@code false} once stopped
		 */
		boolean sleepUntil(long dueNanos);

	}

	private final String safeUrl;

	private final TcpCheck reachability;

	private final long maxPauseMillis;

	private final Clock clock;

	private final long lostAtNanos;

	private final Instant lostAt;

	private final String cause;

	private BackOffExecution notReadyPauses;

	private BackOffExecution refusedPauses;

	private int attempts;

	private @Nullable String lastFailure;

	/**
	 * @param safeUrl the url without password, for logs
	 * @param reachability checks whether the server accepts TCP connections
	 * @param maxBackoff {@code reconnect-max-backoff}
	 * @param clock the time, and waits that end when the container stops
	 * @param lostAtNanos {@link Clock#nanoTime()} when the connection was found lost
	 * @param cause why it was lost
	 */
	Reconnection(String safeUrl, TcpCheck reachability, Duration maxBackoff, Clock clock, long lostAtNanos,
			@Nullable String cause) {
		this.safeUrl = safeUrl;
		this.reachability = reachability;
		this.maxPauseMillis = maxBackoff.toMillis();
		this.clock = clock;
		this.lostAtNanos = lostAtNanos;
		this.lostAt = Instant.now();
		this.cause = Objects.toString(cause, "");
		restartPauses();
	}

	/**
	 * Checks and attempts until a connection listens again.
	 * @param attempt one full attempt
	 * @param pauseFirst wait one short pause before the first attempt: the lost
	 * connection had only just been made, and a server that ends every new session must
	 * not get a tight loop
	 * @return the connection, or {@code null} once stopped
	 */
	<C> @Nullable C connect(Attempt<C> attempt, boolean pauseFirst) {
		long due = this.clock.nanoTime() + (pauseFirst ? nanos(this.notReadyPauses.nextBackOff()) : 0);
		// while checks fail: when the next attempt is made anyway, paced like attempts
		// the server refused
		long fallbackDue = due;
		boolean accepting = true;
		while (this.clock.sleepUntil(due)) {
			long now = this.clock.nanoTime();
			boolean accepts = this.reachability.accepting();
			if (accepts != accepting) {
				accepting = accepts;
				restartPauses();
				if (accepts) {
					logger.info("The LISTEN connection's server " + this.safeUrl
							+ " accepts TCP connections again; connecting");
				}
				else {
					fallbackDue = now + nanos(this.refusedPauses.nextBackOff());
					logger.info("No host of " + this.safeUrl + " accepts TCP connections " + this.reachability
							+ "; checking every " + CHECK_INTERVAL_MILLIS + " ms");
				}
			}
			if (!accepts && now - fallbackDue < 0) {
				due = now + nanos(CHECK_INTERVAL_MILLIS);
				continue;
			}
			this.attempts++;
			try {
				return attempt.open();
			}
			catch (SQLException | RuntimeException ex) {
				boolean refused = refusesUs(ex);
				// an attempt the check did not allow is a fallback: paced like a refused
				// one
				long pause = pauseAfter(refused || !accepts);
				logFailure(ex, refused, accepts, pause);
				now = this.clock.nanoTime();
				if (accepts) {
					due = now + nanos(pause);
				}
				else {
					fallbackDue = now + nanos(pause);
					due = now + nanos(CHECK_INTERVAL_MILLIS);
				}
			}
		}
		return null;
	}

	/**
	 * @param source the listener
	 * @param channels the channels listened to again
	 * @return the event saying what is known of the gap, now that it is over
	 */
	PgListenerReconnectedEvent reconnected(Object source, Set<String> channels) {
		Duration downtime = Duration.ofNanos(this.clock.nanoTime() - this.lostAtNanos);
		return new PgListenerReconnectedEvent(source, downtime, channels, this.lostAt, this.attempts, this.cause);
	}

	/**
	 * Whether a failed attempt says the server refuses this listener until something
	 * changes on it, rather than that it is not ready yet.
	 */
	static boolean refusesUs(Exception failure) {
		if (failure instanceof PgListenerStartupException startup) {
			// a standby is not ready yet (a failover promotes it); a pooler that loses
			// LISTEN stays one
			return startup.getProblem() == PgListenerStartupException.Problem.NOT_LISTENING;
		}
		for (Throwable t = failure; t != null; t = t.getCause()) {
			if (t instanceof SQLException sql && sql.getSQLState() != null) {
				String state = sql.getSQLState();
				// 28: invalid authorization (password, pg_hba.conf, role); 3D000: no such
				// database; 42501: no CONNECT privilege
				return state.startsWith("28") || state.equals("3D000") || state.equals("42501");
			}
		}
		return false;
	}

	private long pauseAfter(boolean refused) {
		long pause = (refused ? this.refusedPauses : this.notReadyPauses).nextBackOff();
		return (pause == BackOffExecution.STOP) ? this.maxPauseMillis : pause;
	}

	private void restartPauses() {
		this.notReadyPauses = backOff(Math.min(NOT_READY_MAX_PAUSE_MILLIS, this.maxPauseMillis)).start();
		this.refusedPauses = backOff(this.maxPauseMillis).start();
	}

	private static ExponentialBackOff backOff(long max) {
		long initial = Math.min(FIRST_PAUSE_MILLIS, max);
		ExponentialBackOff backOff = new ExponentialBackOff(initial, 2.0);
		// listeners of many applications lost together do not all come back in the same
		// instant
		backOff.setJitter(initial / 2);
		backOff.setMaxInterval(max);
		return backOff;
	}

	private void logFailure(Exception ex, boolean refused, boolean accepting, long pause) {
		String message = Objects.toString(ex.getMessage(), ex.getClass().getName());
		String text = "Reconnecting the LISTEN connection to " + this.safeUrl + " failed (" + message + "); "
				+ (refused ? "the server refuses it; " : "") + "trying again "
				+ (accepting ? "" : "as soon as it accepts TCP connections, at the latest ") + "in about " + pause
				+ " ms";
		// once per kind of failure: a server that takes a minute to start would log one
		// line a second
		if (!message.equals(this.lastFailure)) {
			logger.info(text);
		}
		else if (logger.isDebugEnabled()) {
			logger.debug(text);
		}
		this.lastFailure = message;
	}

	private static long nanos(long millis) {
		return TimeUnit.MILLISECONDS.toNanos(millis);
	}

}
