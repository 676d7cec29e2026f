package io.gdbpool.notify;

import java.time.Duration;

/**
 * The settings of a {@link PgListenerContainer}, and the one place their defaults are
 * written. The Boot properties under {@code gdbpool.listener} extend this class, so what
 * they bind and document (these field comments, these defaults) comes from here. A plain
 * bean: the container checks each value as it is set on it.
 */
public class PgListenerProperties {

	/** Notifications queued per channel at most, by default. */
	public static final int DEFAULT_MAX_PENDING = 10_000;

	/** Within how long a silent dead connection is noticed, by default. */
	public static final Duration DEFAULT_LIVENESS_INTERVAL = Duration.ofSeconds(5);

	/** The longest pause between reconnection attempts the server refused, by default. */
	public static final Duration DEFAULT_RECONNECT_MAX_BACKOFF = Duration.ofSeconds(30);

	// volatile: the container's copy is set by the application's thread and read by the
	// reader thread and the queues

	/**
	 * Upper bound of the pause between reconnection attempts the server refused
	 * (credentials, missing database, privileges). A server that is down or still
	 * starting is checked every 250 ms and tried at most 500 ms apart, so the listener is
	 * back within about a second of it accepting connections.
	 */
	private volatile Duration reconnectMaxBackoff = DEFAULT_RECONNECT_MAX_BACKOFF;

	/**
	 * A silent dead LISTEN connection is noticed within this interval; it also sets the
	 * listener's connect and login timeouts (between 2 and 5 s).
	 */
	private volatile Duration livenessInterval = DEFAULT_LIVENESS_INTERVAL;

	/**
	 * Notifications queued for a channel's handlers at most; the excess is dropped and
	 * reported with a PgNotificationsDroppedEvent.
	 */
	private volatile int maxPending = DEFAULT_MAX_PENDING;

	/**
	 * @return the longest wait between two reconnection attempts
	 */
	public Duration getReconnectMaxBackoff() {
		return this.reconnectMaxBackoff;
	}

	/**
	 * @param reconnectMaxBackoff the longest wait between two reconnection attempts
	 */
	public void setReconnectMaxBackoff(Duration reconnectMaxBackoff) {
		this.reconnectMaxBackoff = reconnectMaxBackoff;
	}

	/**
	 * @return within how long a silent dead connection is noticed
	 */
	public Duration getLivenessInterval() {
		return this.livenessInterval;
	}

	/**
	 * @param livenessInterval within how long a silent dead connection is noticed
	 */
	public void setLivenessInterval(Duration livenessInterval) {
		this.livenessInterval = livenessInterval;
	}

	/**
	 * @return how many notifications are queued for a channel's handlers at most
	 */
	public int getMaxPending() {
		return this.maxPending;
	}

	/**
	 * @param maxPending how many notifications are queued for a channel's handlers at
	 * most
	 */
	public void setMaxPending(int maxPending) {
		this.maxPending = maxPending;
	}

}
