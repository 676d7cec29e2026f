package io.gdbpool.notify;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

import org.springframework.context.ApplicationEvent;

/**
 * Published after a lost LISTEN connection is back and every channel is listened to
 * again. Notifications sent while it was down are lost by PostgreSQL's design: an
 * application that cares resyncs its state from the tables when it receives this event.
 * The gap to resync is {@link #lostAt()} to {@link #backAt()}, on the channels in
 * {@link #channels()}.
 */
public class PgListenerReconnectedEvent extends ApplicationEvent {

	/** How long no channel was listened to. */
	private final Duration downtime;

	/** The channels listened to again. */
	private final Set<String> channels;

	/** When the connection was found lost. */
	private final Instant lostAt;

	/** Full connection attempts it took; 0 if not known. */
	private final int attempts;

	/** Why the connection was lost; empty if not known. */
	private final String cause;

	/**
	 * @param source the listener that reconnected
	 * @param downtime how long no channel was listened to
	 * @param channels the channels listened to again
	 */
	public PgListenerReconnectedEvent(Object source, Duration downtime, Set<String> channels) {
		this(source, downtime, channels, Instant.now().minus(downtime), 0, "");
	}

	/**
	 * @param source the listener that reconnected
	 * @param downtime how long no channel was listened to, on a monotonic clock
	 * @param channels the channels listened to again
	 * @param lostAt when the connection was found lost
	 * @param attempts full connection attempts it took, the successful one included; 0 if
	 * not known
	 * @param cause why the connection was lost; empty if not known
	 */
	public PgListenerReconnectedEvent(Object source, Duration downtime, Set<String> channels, Instant lostAt,
			int attempts, String cause) {
		super(source);
		this.downtime = downtime;
		this.channels = Set.copyOf(channels);
		this.lostAt = lostAt;
		this.attempts = attempts;
		this.cause = Objects.toString(cause, "");
	}

	/**
	 * @return how long no channel was listened to, on a monotonic clock
	 */
	public Duration downtime() {
		return this.downtime;
	}

	/**
	 * @return the channels listened to again
	 */
	public Set<String> channels() {
		return this.channels;
	}

	/**
	 * @return when the connection was found lost (a silent loss is found up to
	 * {@code liveness-interval} after it happened)
	 */
	public Instant lostAt() {
		return this.lostAt;
	}

	/**
	 * @return when every channel was listened to again: {@link #lostAt()} plus
	 * {@link #downtime()}
	 */
	public Instant backAt() {
		return this.lostAt.plus(this.downtime);
	}

	/**
	 * @return full connection attempts it took, the successful one included (checks
	 * whether the server accepts TCP connections at all are not counted); 0 if not known
	 */
	public int attempts() {
		return this.attempts;
	}

	/**
	 * @return why the connection was lost, as the driver or the liveness check put it;
	 * empty if not known
	 */
	public String cause() {
		return this.cause;
	}

	@Override
	public String toString() {
		return "PgListenerReconnectedEvent[downtime=" + this.downtime + ", channels=" + this.channels + ", lostAt="
				+ this.lostAt + ", attempts=" + this.attempts + ", cause=" + this.cause + "]";
	}

}
