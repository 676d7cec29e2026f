package io.gdbpool.notify;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import org.jspecify.annotations.Nullable;

import io.gdbpool.notify.PgNotificationObservation.NotificationKeys;

/**
 * The default {@link PgNotificationObservationConvention}: observation
 * {@code gdbpool.notification}, contextual name {@code "<channel> receive"}, and only
 * low-cardinality key values (see {@link NotificationKeys}): a channel subscribed to at
 * run time is named {@value #OTHER_CHANNEL}, as the listener's meters name it.
 */
public class DefaultPgNotificationObservationConvention implements PgNotificationObservationConvention {

	/** The one instance; it holds no state. */
	public static final DefaultPgNotificationObservationConvention INSTANCE = new DefaultPgNotificationObservationConvention();

	/** The channel key's value for channels subscribed to after start-up. */
	public static final String OTHER_CHANNEL = "_other";

	private static final KeyValue OUTCOME_SUCCESS = KeyValue.of(NotificationKeys.OUTCOME, "success");

	private static final KeyValue OUTCOME_ERROR = KeyValue.of(NotificationKeys.OUTCOME, "error");

	private static final KeyValue EXCEPTION_NONE = KeyValue.of(NotificationKeys.EXCEPTION, "none");

	@Override
	public String getName() {
		return PgNotificationObservation.NOTIFICATION_NAME;
	}

	@Override
	public @Nullable String getContextualName(PgNotificationObservationContext context) {
		return channel(context) + " receive";
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(PgNotificationObservationContext context) {
		Throwable error = context.getError();
		return KeyValues.of(KeyValue.of(NotificationKeys.CHANNEL, channel(context)),
				KeyValue.of(NotificationKeys.HANDLER, context.getHandlerKind().value()),
				(error != null) ? OUTCOME_ERROR : OUTCOME_SUCCESS, (error != null)
						? KeyValue.of(NotificationKeys.EXCEPTION, error.getClass().getSimpleName()) : EXCEPTION_NONE);
	}

	/**
	 * @param context a context
	 * @return the channel as the key value names it
	 */
	protected String channel(PgNotificationObservationContext context) {
		return context.isDeclaredChannel() ? context.getNotification().channel() : OTHER_CHANNEL;
	}

}
