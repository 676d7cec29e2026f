package io.gdbpool.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;

import io.gdbpool.notify.PgListenerContainer;
import io.gdbpool.routing.PoolRegistry;
import io.gdbpool.routing.RoutingDataSource;
import io.gdbpool.transaction.PartialTransactions;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * gDBPool's meters and HikariCP's, when Micrometer is on the classpath. Boot binds every
 * {@code MeterBinder} bean to the application's registries.
 */
@AutoConfiguration(after = { GDBPoolAutoConfiguration.class, GDBPoolListenerAutoConfiguration.class })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(PoolRegistry.class)
public class GDBPoolMetricsAutoConfiguration {

	@Bean
	GDBPoolMetrics gdbPoolMetrics(PoolRegistry pools, ObjectProvider<RoutingDataSource> routing,
			ObjectProvider<PartialTransactions> partialTransactions) {
		return new GDBPoolMetrics(pools, routing.getIfAvailable(), partialTransactions.getIfAvailable());
	}

	@Bean
	@ConditionalOnBean(PgListenerContainer.class)
	ListenerMetrics gdbPoolListenerMetrics(PgListenerContainer listener) {
		return new ListenerMetrics(listener);
	}

}
