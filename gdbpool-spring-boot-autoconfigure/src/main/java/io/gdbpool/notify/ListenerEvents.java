package io.gdbpool.notify;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;

/**
 * The application events the listener publishes, all with the container as their source.
 * The publisher arrives after the container is made (it is
 * {@code ApplicationEventPublisherAware}), so it is read when an event is due; without
 * one nothing is published.
 */
final class ListenerEvents {

	private static final Log logger = LogFactory.getLog(ListenerEvents.class);

	private final Object source;

	private volatile @Nullable ApplicationEventPublisher publisher;

	/**
	 * Whether anyone listens for {@link PgNotificationEvent}s: building and multicasting
	 * one per notification is the dearest part of delivery, so it is skipped when nobody
	 * would receive it.
	 */
	private volatile boolean notificationEvents = true;

	ListenerEvents(Object source) {
		this.source = source;
	}

	Object source() {
		return this.source;
	}

	void setPublisher(ApplicationEventPublisher publisher) {
		this.publisher = publisher;
	}

	boolean publishesNotifications() {
		return this.notificationEvents;
	}

	void setPublishNotifications(boolean publish) {
		this.notificationEvents = publish;
	}

	/**
	 * Publishes a {@link PgNotificationEvent} unless nobody would receive it; on the
	 * drain task's thread, after the channel's handlers.
	 * @throws RuntimeException what an event listener threw: the caller counts it like a
	 * handler's
	 */
	void notification(PgNotification notification) {
		ApplicationEventPublisher target = this.publisher;
		if (target != null && this.notificationEvents) {
			target.publishEvent(new PgNotificationEvent(this.source, notification));
		}
	}

	/**
	 * Publishes a {@link PgNotificationsDroppedEvent}; a listener that throws is logged.
	 */
	void dropped(String channel, long dropped) {
		ApplicationEventPublisher target = this.publisher;
		if (target == null) {
			return;
		}
		PgNotificationsDroppedEvent event = new PgNotificationsDroppedEvent(this.source, channel, dropped);
		try {
			target.publishEvent(event);
		}
		catch (Throwable ex) {
			logger.error("Listener of " + event + " failed", ex);
		}
	}

	/**
	 * Publishes a {@link PgListenerReconnectedEvent} on the handler executor, never on
	 * the reader thread: a listener that resyncs from the tables takes a while, and
	 * notifications wait for none.
	 */
	void reconnected(PgListenerReconnectedEvent event, Executor executor) {
		ApplicationEventPublisher target = this.publisher;
		if (target == null) {
			return;
		}
		try {
			executor.execute(() -> {
				try {
					target.publishEvent(event);
				}
				catch (Throwable ex) {
					logger.error("Listener of " + event + " failed", ex);
				}
			});
		}
		catch (RejectedExecutionException ex) {
			// back just as the container stops: nobody is left to resync, and the reader
			// must still get to close the connection
			logger.debug("Not published while stopping: " + event);
		}
	}

}
