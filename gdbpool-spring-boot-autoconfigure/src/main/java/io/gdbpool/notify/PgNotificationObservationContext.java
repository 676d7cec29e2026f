package io.gdbpool.notify;

import io.micrometer.observation.Observation;

/**
 * What an observation of one handler's handling of one notification knows: the
 * notification, whether its channel was declared, and the kind of handler. The outcome is
 * the observation's error, if any ({@link #getError()}).
 */
public class PgNotificationObservationContext extends Observation.Context {

	private final PgNotification notification;

	private final boolean declaredChannel;

	private final HandlerKind handlerKind;

	/**
	 * @param notification the notification handled
	 * @param declaredChannel whether its channel was listened to when the listener
	 * started ({@code @PgListen} methods, {@code gdbpool.listener.channels}) rather than
	 * subscribed to later
	 * @param handlerKind the kind of handler
	 */
	public PgNotificationObservationContext(PgNotification notification, boolean declaredChannel,
			HandlerKind handlerKind) {
		this.notification = notification;
		this.declaredChannel = declaredChannel;
		this.handlerKind = handlerKind;
	}

	/**
	 * @return the notification being handled
	 */
	public PgNotification getNotification() {
		return this.notification;
	}

	/**
	 * @return whether the channel was listened to when the listener started; the default
	 * convention names only those, so channel names chosen at run time cannot explode the
	 * number of meters
	 */
	public boolean isDeclaredChannel() {
		return this.declaredChannel;
	}

	/**
	 * @return who handled the notification
	 */
	public HandlerKind getHandlerKind() {
		return this.handlerKind;
	}

	/**
	 * Who handled the notification, each with the value of its {@code gdbpool.handler}
	 * key.
	 */
	public enum HandlerKind {

		/** A {@link PgListen @PgListen} method. */
		LISTEN_METHOD("pg-listen"),

		/** A handler given to {@link PgNotificationListener#subscribe}. */
		SUBSCRIPTION("subscription");

		private final String value;

		HandlerKind(String value) {
			this.value = value;
		}

		/**
		 * @return the value of the {@code gdbpool.handler} key
		 */
		public String value() {
			return this.value;
		}

	}

}
