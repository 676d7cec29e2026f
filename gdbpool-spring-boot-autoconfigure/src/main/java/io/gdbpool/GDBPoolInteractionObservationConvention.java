package io.gdbpool;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and key values of the observations of {@link GDBPoolTemplate} interactions and
 * partial-transaction steps. Define a bean of this type to replace
 * {@link DefaultGDBPoolInteractionObservationConvention} (or extend it).
 */
public interface GDBPoolInteractionObservationConvention extends ObservationConvention<GDBPoolInteractionContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof GDBPoolInteractionContext;
	}

}
