package io.gdbpool.notify;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations of the LISTEN side: one per notification handled by a
 * {@link PgListen @PgListen} method or a {@link PgNotificationListener#subscribe}
 * handler, on the thread that runs the handler.
 */
public enum PgNotificationObservation implements ObservationDocumentation {

	/** One handler handling one notification. */
	NOTIFICATION {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultPgNotificationObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return NotificationKeys.values();
		}

	};

	/** The name of {@link #NOTIFICATION} observations. */
	public static final String NOTIFICATION_NAME = "gdbpool.notification";

	/**
	 * The low-cardinality keys of {@link #NOTIFICATION}.
	 */
	public enum NotificationKeys implements KeyName {

		/**
		 * The channel, for channels listened to when the listener started; {@code _other}
		 * for channels subscribed to later.
		 */
		CHANNEL {
			@Override
			public String asString() {
				return "gdbpool.channel";
			}
		},

		/** {@code pg-listen} or {@code subscription}. */
		HANDLER {
			@Override
			public String asString() {
				return "gdbpool.handler";
			}
		},

		/** {@code success} or {@code error}. */
		OUTCOME {
			@Override
			public String asString() {
				return "outcome";
			}
		},

		/** The simple class name of the exception the handler threw, {@code none}. */
		EXCEPTION {
			@Override
			public String asString() {
				return "exception";
			}
		}

	}

}
