package io.gdbpool.autoconfigure;

import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

import io.gdbpool.GDBPoolInteractionObservationConvention;
import io.gdbpool.GDBPoolTemplate;
import io.gdbpool.notify.PgListenerContainer;
import io.gdbpool.notify.PgNotificationObservationConvention;

/**
 * The application's observation registry and conventions, handed to the template and the
 * listener when they are built; there is no such bean when observations are off
 * ({@code gdbpool.observations.enabled=false}), and then they observe nothing.
 */
class GDBPoolObservations {

	private final ObservationRegistry registry;

	private final @Nullable GDBPoolInteractionObservationConvention interactionConvention;

	private final @Nullable PgNotificationObservationConvention notificationConvention;

	GDBPoolObservations(ObservationRegistry registry,
			@Nullable GDBPoolInteractionObservationConvention interactionConvention,
			@Nullable PgNotificationObservationConvention notificationConvention) {
		this.registry = registry;
		this.interactionConvention = interactionConvention;
		this.notificationConvention = notificationConvention;
	}

	void applyTo(GDBPoolTemplate template) {
		template.setObservationRegistry(this.registry);
		template.setObservationConvention(this.interactionConvention);
	}

	void applyTo(PgListenerContainer listener) {
		listener.setObservationRegistry(this.registry);
		listener.setObservationConvention(this.notificationConvention);
	}

}
