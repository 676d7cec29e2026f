package io.gdbpool.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import io.gdbpool.notify.PgListenerContainer;
import io.gdbpool.routing.Pool;
import io.gdbpool.routing.PoolRegistry;
import io.gdbpool.transaction.PartialTransactions;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.jdbc.autoconfigure.health.DataSourceHealthContributorAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Health of the pools, replacing Boot's single "db" indicator (which would only see the
 * routing DataSource) with one entry per pool plus the open partial transactions, under
 * "db"; and the LISTEN connection under "pgListener".
 */
@AutoConfiguration(after = { GDBPoolAutoConfiguration.class, GDBPoolListenerAutoConfiguration.class },
		before = DataSourceHealthContributorAutoConfiguration.class)
@ConditionalOnClass({ HealthContributor.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(PoolRegistry.class)
@ConditionalOnEnabledHealthIndicator("db")
public class GDBPoolHealthAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = { "dbHealthIndicator", "dbHealthContributor" })
	CompositeHealthContributor dbHealthContributor(PoolRegistry pools, GDBPoolProperties properties,
			ObjectProvider<PartialTransactions> partialTransactions) {
		Map<String, HealthContributor> contributors = new LinkedHashMap<>();
		boolean fallback = properties.getRouting().isFallbackToPrimary();
		for (Pool pool : pools.pools()) {
			contributors.put(pool.getName(), new PoolHealthIndicator(pool, fallback));
		}
		partialTransactions.ifAvailable((partials) -> contributors.put("partialTransactions",
				new PartialTransactionsHealthIndicator(partials)));
		return CompositeHealthContributor.fromMap(contributors);
	}

	@Bean
	@ConditionalOnBean(PgListenerContainer.class)
	@ConditionalOnMissingBean(name = { "pgListenerHealthIndicator", "pgListenerHealthContributor" })
	HealthContributor pgListenerHealthContributor(PgListenerContainer listener) {
		return new ListenerHealthIndicator(listener);
	}

}
