package io.gdbpool.notify;

import org.springframework.context.ApplicationEvent;

/**
 * Published when a channel's handlers fell more than {@code max-pending} notifications
 * behind and the excess was dropped rather than stall the LISTEN connection. Resync the
 * channel's state then.
 */
public class PgNotificationsDroppedEvent extends ApplicationEvent {

	/** The channel whose notifications were dropped. */
	private final String channel;

	/** How many were dropped since the last such event. */
	private final long dropped;

	/**
	 * @param source the listener that dropped the notifications
	 * @param channel the channel
	 * @param dropped how many notifications were dropped since the last such event
	 */
	public PgNotificationsDroppedEvent(Object source, String channel, long dropped) {
		super(source);
		this.channel = channel;
		this.dropped = dropped;
	}

	/**
	 * @return the channel whose notifications were dropped
	 */
	public String channel() {
		return this.channel;
	}

	/**
	 * @return how many notifications were dropped since the last such event
	 */
	public long dropped() {
		return this.dropped;
	}

	@Override
	public String toString() {
		return "PgNotificationsDroppedEvent[channel=" + this.channel + ", dropped=" + this.dropped + "]";
	}

}
