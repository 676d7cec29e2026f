package io.gdbpool.notify;

import java.util.Arrays;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.micrometer.observation.ObservationRegistry;

/**
 * Who hears of one channel's notifications: its subscribers and, after them, the
 * {@link PgNotificationEvent} listeners. A handler that throws is logged and counted, and
 * the next one still runs. When the container observes, each handler's handling of each
 * notification is an observation ({@link PgNotificationObservation}).
 */
final class ChannelHandlers {

	private static final Log logger = LogFactory.getLog(ChannelHandlers.class);

	private static final Subscriber[] NO_SUBSCRIBERS = new Subscriber[0];

	private final String channel;

	private final ChannelCounters counters;

	private final ListenerEvents events;

	private final NotificationObservations observations;

	/** Copied on write: subscribing is rare, delivering is not. */
	private volatile Subscriber[] subscribers = NO_SUBSCRIBERS;

	ChannelHandlers(String channel, ChannelCounters counters, ListenerEvents events,
			NotificationObservations observations) {
		this.channel = channel;
		this.counters = counters;
		this.events = events;
		this.observations = observations;
	}

	synchronized void add(Subscriber subscriber) {
		Subscriber[] current = this.subscribers;
		Subscriber[] added = Arrays.copyOf(current, current.length + 1);
		added[current.length] = subscriber;
		this.subscribers = added;
	}

	/**
	 * @param subscriber a subscriber
	 * @return whether no subscriber is left
	 */
	synchronized boolean remove(Subscriber subscriber) {
		Subscriber[] current = this.subscribers;
		for (int i = 0; i < current.length; i++) {
			if (current[i] == subscriber) {
				Subscriber[] removed = new Subscriber[current.length - 1];
				System.arraycopy(current, 0, removed, 0, i);
				System.arraycopy(current, i + 1, removed, i, current.length - i - 1);
				this.subscribers = removed;
				break;
			}
		}
		return this.subscribers.length == 0;
	}

	/**
	 * Hands one notification to every subscriber, then publishes it as an event; runs on
	 * the channel's drain task.
	 */
	void deliver(PgNotification notification) {
		long start = System.nanoTime();
		ObservationRegistry registry = this.observations.registry();
		for (Subscriber subscriber : this.subscribers) {
			try {
				if (registry.isNoop()) {
					subscriber.handler().accept(notification);
				}
				else {
					this.observations.observe(registry, subscriber.handler(), notification);
				}
			}
			catch (Throwable ex) {
				failed(notification, subscriber.handler(), ex);
			}
		}
		try {
			this.events.notification(notification);
		}
		catch (Throwable ex) {
			failed(notification, "a PgNotificationEvent listener", ex);
		}
		this.counters.handled.increment();
		this.counters.handlerNanos.add(System.nanoTime() - start);
	}

	/**
	 * Tells the application that notifications were dropped: a warning and a
	 * {@link PgNotificationsDroppedEvent}, so it can resync.
	 */
	void dropped(long dropped, int maxPending) {
		logger.warn("Handlers of notification channel '" + this.channel + "' fell behind by more than " + maxPending
				+ " notifications; dropped " + dropped);
		this.events.dropped(this.channel, dropped);
	}

	private void failed(PgNotification notification, Object handler, Throwable ex) {
		this.counters.handlerFailures.increment();
		logger.error("Handler " + handler + " of notification channel '" + this.channel
				+ "' failed on a notification from pid " + notification.pid()
				+ "; later notifications are still delivered", ex);
	}

	/**
	 * A handler subscribed to the channel; its identity tells subscriptions of the same
	 * handler apart.
	 */
	record Subscriber(Consumer<PgNotification> handler) {

		@Override
		public boolean equals(Object other) {
			return this == other;
		}

		@Override
		public int hashCode() {
			return System.identityHashCode(this);
		}

	}

}
