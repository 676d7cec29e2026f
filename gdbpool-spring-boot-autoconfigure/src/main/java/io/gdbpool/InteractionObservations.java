package io.gdbpool;

import java.util.function.Supplier;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Where a template and its views observe interactions and partial-transaction steps: the
 * registry and the application's convention, if any. With no registry (or one that
 * observes nothing) {@link #isOff()} is true and the callers take their unobserved path,
 * which allocates nothing extra.
 */
final class InteractionObservations {

	static final InteractionObservations OFF = new InteractionObservations(ObservationRegistry.NOOP, null);

	private final ObservationRegistry registry;

	private final @Nullable GDBPoolInteractionObservationConvention convention;

	InteractionObservations(ObservationRegistry registry,
			@Nullable GDBPoolInteractionObservationConvention convention) {
		this.registry = registry;
		this.convention = convention;
	}

	InteractionObservations withRegistry(ObservationRegistry registry) {
		return new InteractionObservations(registry, this.convention);
	}

	InteractionObservations withConvention(@Nullable GDBPoolInteractionObservationConvention convention) {
		return new InteractionObservations(this.registry, convention);
	}

	ObservationRegistry registry() {
		return this.registry;
	}

	boolean isOff() {
		return this.registry.isNoop();
	}

	/**
	 * @return the observation current on this thread, to be the parent of work run
	 * elsewhere; {@code null} when off or there is none
	 */
	@Nullable Observation current() {
		return isOff() ? null : this.registry.getCurrentObservation();
	}

	/**
	 * Runs work in an observation (its scope open, so what the work observes is its
	 * child); an exception is recorded as the observation's error and rethrown.
	 * @param parent the parent, when the work runs on another thread than the caller's;
	 * else {@code null} and the thread's current observation is the parent
	 */
	<T> T observe(GDBPoolInteractionContext.Operation operation, TemplateView view, @Nullable Observation parent,
			Supplier<T> work) {
		GDBPoolInteractionContext context = new GDBPoolInteractionContext(operation, view.observedRoute(),
				view.observedPool(), view.readOnly());
		Observation observation = GDBPoolObservation.INTERACTION.observation(this.convention,
				DefaultGDBPoolInteractionObservationConvention.INSTANCE, () -> context, this.registry);
		if (parent != null) {
			observation.parentObservation(parent);
		}
		return observation.observe(work);
	}

	/**
	 * {@link #observe} for work without a result.
	 */
	void observe(GDBPoolInteractionContext.Operation operation, TemplateView view, Runnable work) {
		observe(operation, view, null, () -> {
			work.run();
			return null;
		});
	}

}
