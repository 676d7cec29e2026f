package io.gdbpool.notify;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and key values of the observations of notification handling. Define a bean of
 * this type to replace {@link DefaultPgNotificationObservationConvention} (or extend it).
 */
public interface PgNotificationObservationConvention extends ObservationConvention<PgNotificationObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof PgNotificationObservationContext;
	}

}
