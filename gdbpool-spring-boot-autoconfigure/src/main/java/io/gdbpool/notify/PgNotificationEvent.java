package io.gdbpool.notify;

import org.springframework.context.ApplicationEvent;

/**
 * Published for every notification received on a listened channel, after the channel's
 * subscribers saw it, so {@code @EventListener} methods receive notifications too.
 */
public class PgNotificationEvent extends ApplicationEvent {

	/** The notification received. */
	private final PgNotification notification;

	/**
	 * @param source the listener that received the notification
	 * @param notification the notification
	 */
	public PgNotificationEvent(Object source, PgNotification notification) {
		super(source);
		this.notification = notification;
	}

	/**
	 * @return the notification received
	 */
	public PgNotification getNotification() {
		return this.notification;
	}

	@Override
	public String toString() {
		return "PgNotificationEvent[" + this.notification + "]";
	}

}
