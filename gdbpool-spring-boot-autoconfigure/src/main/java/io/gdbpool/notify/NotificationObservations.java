package io.gdbpool.notify;

import java.util.Set;
import java.util.function.Consumer;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * How a container observes its handlers: the registry, the application's convention, and
 * the channels declared at start. Off (the registry {@link ObservationRegistry#NOOP}) by
 * default; then {@link ChannelHandlers} calls its handlers as if this did not exist.
 */
final class NotificationObservations {

	/** For handlers outside a container: never observed, never changed. */
	static final NotificationObservations NONE = new NotificationObservations();

	private volatile ObservationRegistry registry = ObservationRegistry.NOOP;

	private volatile @Nullable PgNotificationObservationConvention convention;

	private volatile Set<String> declared = Set.of();

	ObservationRegistry registry() {
		return this.registry;
	}

	void setRegistry(ObservationRegistry registry) {
		this.registry = registry;
	}

	void setConvention(@Nullable PgNotificationObservationConvention convention) {
		this.convention = convention;
	}

	/**
	 * @param channels the channels listened to at start
	 */
	void declare(Set<String> channels) {
		this.declared = Set.copyOf(channels);
	}

	/**
	 * Runs one handler on one notification in an observation (its scope open); what the
	 * handler throws is recorded as the observation's error and rethrown.
	 */
	void observe(ObservationRegistry registry, Consumer<PgNotification> handler, PgNotification notification) {
		PgNotificationObservationContext context = new PgNotificationObservationContext(notification,
				this.declared.contains(notification.channel()),
				(handler instanceof PgListenMethodAdapter) ? PgNotificationObservationContext.HandlerKind.LISTEN_METHOD
						: PgNotificationObservationContext.HandlerKind.SUBSCRIPTION);
		Observation observation = PgNotificationObservation.NOTIFICATION.observation(this.convention,
				DefaultPgNotificationObservationConvention.INSTANCE, () -> context, registry);
		observation.observe(() -> handler.accept(notification));
	}

}
