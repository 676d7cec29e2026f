package io.gdbpool.bench.faults;

import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.ApplicationContext;

/**
 * One pool's entry of the {@code db} health contributor, called as Actuator calls it:
 * {@code ((HealthIndicator) dbHealthContributor.getContributor(pool)).health()}.
 */
final class PoolHealth {

	private static final String CONTRIBUTOR_BEAN = "dbHealthContributor";

	private final HealthIndicator indicator;

	private PoolHealth(HealthIndicator indicator) {
		this.indicator = indicator;
	}

	/** The pool's health indicator, or null when health is not configured. */
	static PoolHealth of(ApplicationContext context, String pool) {
		if (!context.containsBean(CONTRIBUTOR_BEAN)) {
			return null;
		}
		CompositeHealthContributor contributors = context.getBean(CONTRIBUTOR_BEAN, CompositeHealthContributor.class);
		return (contributors.getContributor(pool) instanceof HealthIndicator indicator) ? new PoolHealth(indicator)
				: null;
	}

	/** The status code ("UP", "DOWN", ...) of one health call. */
	String status() {
		return this.indicator.health().getStatus().getCode();
	}

}
