package io.gdbpool.notify;

import org.springframework.context.ApplicationEvent;

/**
 * Published when a channel's handlers fell more than {@code max-pending} notifications
 * behind and the excess was dropped rather than stall the LISTEN connection. Resync the
 * channel's state then.
 */
public class PgNotificationsDroppedEvent extends ApplicationEvent {

	private final String channel;

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

	public String channel() {
		return this.channel;
	}

	public long dropped() {
		return this.dropped;
	}

	@Override
	public String toString() {
		return "PgNotificationsDroppedEvent[channel=" + this.channel + ", dropped=" + this.dropped + "]";
	}

}
