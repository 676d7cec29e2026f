package io.gdbpool.bench.jpa;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * Scenario 8's application: Boot's auto-configuration, entity scan and repositories
 * limited to this package (the auto-configuration package of this class), and the probe.
 * Both sides run this same class; only their properties differ (gDBPool's pools, or
 * {@code spring.datasource.*} with gDBPool's auto-configurations excluded).
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(SessionProbe.class)
public class JpaBenchApp {

	/** The schema of the entity's table, created by the harness over plain JDBC. */
	public static final String SCHEMA = "bench_jpa";

}
