package io.gdbpool;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import org.jspecify.annotations.Nullable;

import io.gdbpool.GDBPoolObservation.InteractionKeys;

/**
 * The default {@link GDBPoolInteractionObservationConvention}: observation
 * {@code gdbpool.interaction}, contextual name {@code "<operation> <route>"}, and only
 * low-cardinality key values (see {@link InteractionKeys}).
 */
public class DefaultGDBPoolInteractionObservationConvention implements GDBPoolInteractionObservationConvention {

	/** The one instance; it holds no state. */
	public static final DefaultGDBPoolInteractionObservationConvention INSTANCE = new DefaultGDBPoolInteractionObservationConvention();

	private static final KeyValue OUTCOME_SUCCESS = KeyValue.of(InteractionKeys.OUTCOME, "success");

	private static final KeyValue OUTCOME_ERROR = KeyValue.of(InteractionKeys.OUTCOME, "error");

	private static final KeyValue EXCEPTION_NONE = KeyValue.of(InteractionKeys.EXCEPTION, "none");

	@Override
	public String getName() {
		return GDBPoolObservation.INTERACTION_NAME;
	}

	@Override
	public @Nullable String getContextualName(GDBPoolInteractionContext context) {
		return context.getOperation().value() + " " + context.getRoute();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(GDBPoolInteractionContext context) {
		Throwable error = context.getError();
		return KeyValues.of(KeyValue.of(InteractionKeys.OPERATION, context.getOperation().value()),
				KeyValue.of(InteractionKeys.ROUTE, context.getRoute()),
				KeyValue.of(InteractionKeys.POOL, context.getPool()),
				KeyValue.of(InteractionKeys.READ_ONLY, Boolean.toString(context.isReadOnly())),
				(error != null) ? OUTCOME_ERROR : OUTCOME_SUCCESS, (error != null)
						? KeyValue.of(InteractionKeys.EXCEPTION, error.getClass().getSimpleName()) : EXCEPTION_NONE);
	}

}
