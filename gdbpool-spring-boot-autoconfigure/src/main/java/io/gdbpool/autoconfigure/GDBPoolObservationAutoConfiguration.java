package io.gdbpool.autoconfigure;

import io.micrometer.observation.ObservationRegistry;

import io.gdbpool.GDBPoolInteractionObservationConvention;
import io.gdbpool.notify.PgNotificationObservationConvention;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Observations (Micrometer Observation API) of interactions, partial-transaction steps
 * and notification handling, through the application's {@link ObservationRegistry} (Boot
 * builds one with Actuator); none without a registry, or with
 * {@code gdbpool.observations.enabled=false}. The observations' names start with
 * {@code gdbpool.}, so Boot's {@code management.observations.enable.gdbpool=false}
 * switches them off too. A {@link GDBPoolInteractionObservationConvention} or
 * {@link PgNotificationObservationConvention} bean replaces the default names and key
 * values.
 */
@AutoConfiguration(
		afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass(ObservationRegistry.class)
@ConditionalOnBooleanProperty(name = GDBPoolProperties.PREFIX + ".observations.enabled", matchIfMissing = true)
public class GDBPoolObservationAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	GDBPoolObservations gdbPoolObservations(ObjectProvider<ObservationRegistry> registry,
			ObjectProvider<GDBPoolInteractionObservationConvention> interactionConvention,
			ObjectProvider<PgNotificationObservationConvention> notificationConvention) {
		return new GDBPoolObservations(registry.getIfUnique(() -> ObservationRegistry.NOOP),
				interactionConvention.getIfUnique(), notificationConvention.getIfUnique());
	}

}
