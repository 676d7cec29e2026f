package io.gdbpool.autoconfigure;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import io.gdbpool.GDBPoolTemplate;
import io.gdbpool.routing.LoadBalance;
import io.gdbpool.routing.PoolRegistry;
import io.gdbpool.routing.ReplicaMonitor;
import io.gdbpool.routing.ReplicaSelector;
import io.gdbpool.routing.RoutingDataSource;
import io.gdbpool.test.GDBPoolContextRunner;
import io.gdbpool.test.TestDatabase;
import io.gdbpool.transaction.PartialTransactions;
import io.gdbpool.transaction.RouteAwareTransactionManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application that defines its own {@code DataSource} bean gets no pools, no monitor,
 * no template and no transaction manager of gDBPool's, only its own DataSource, and one
 * INFO line saying why.
 */
@ExtendWith({ TestDatabase.class, OutputCaptureExtension.class })
class OwnDataSourceBackOffTests {

	private static final String REASON = "gDBPool creates no pools: the application defines its own DataSource bean "
			+ "'appDataSource' (remove that bean to use gDBPool)";

	private final ApplicationContextRunner runner = GDBPoolContextRunner.create()
		.withConfiguration(
				AutoConfigurations.of(GDBPoolListenerAutoConfiguration.class, GDBPoolMetricsAutoConfiguration.class));

	@Test
	void anApplicationDataSourceWithGdbpoolPoolsConfiguredMeansNoPools(CapturedOutput output) {
		this.runner.withUserConfiguration(AppDataSourceConfig.class)
			.withPropertyValues(GDBPoolContextRunner.pool("own_ds_primary", TestDatabase.url(), "write"))
			.withPropertyValues(GDBPoolContextRunner.pool("own_ds_replica", TestDatabase.replicaUrl(), "read"))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertNothingOfGdbpool(context);
				assertThat(context).hasSingleBean(DataSource.class);
				assertThat(context.getBean(DataSource.class)).isSameAs(context.getBean("appDataSource"))
					.isInstanceOf(HikariDataSource.class);
				// Boot's transaction manager and JdbcTemplate, on the application's
				// DataSource
				PlatformTransactionManager transactionManager = context.getBean(PlatformTransactionManager.class);
				assertThat(transactionManager).isInstanceOf(DataSourceTransactionManager.class)
					.isNotInstanceOf(RouteAwareTransactionManager.class);
				assertThat(((DataSourceTransactionManager) transactionManager).getDataSource())
					.isSameAs(context.getBean("appDataSource"));
				assertThat(context.getBean(JdbcTemplate.class).getDataSource())
					.isSameAs(context.getBean("appDataSource"));
				assertThat(context.getBean(JdbcTemplate.class).queryForObject("SELECT 1", Integer.class)).isEqualTo(1);
			});
		assertThat(output).containsOnlyOnce(REASON);
	}

	@Test
	void anApplicationDataSourceBesideAPostgresqlSpringDatasourceUrlMeansNoPools(CapturedOutput output) {
		this.runner.withUserConfiguration(AppDataSourceConfig.class)
			.withPropertyValues("spring.datasource.url=" + TestDatabase.url(),
					"spring.datasource.username=" + TestDatabase.USER,
					"spring.datasource.password=" + TestDatabase.password())
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertNothingOfGdbpool(context);
				assertThat(context.getBean(DataSource.class)).isSameAs(context.getBean("appDataSource"));
			});
		assertThat(output).containsOnlyOnce(REASON);
	}

	@Test
	void anApplicationRoutingDataSourceOverOurPoolsIsOursAndKeepsThePools(CapturedOutput output) {
		this.runner.withUserConfiguration(AppRoutingDataSourceConfig.class)
			.withPropertyValues(GDBPoolContextRunner.pool("own_routing_primary", TestDatabase.url(), "write"))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).hasSingleBean(PoolRegistry.class);
				assertThat(context).hasSingleBean(ReplicaMonitor.class);
				assertThat(context.getBean(DataSource.class)).isSameAs(context.getBean("appRoutingDataSource"));
				assertThat(context.getBean(GDBPoolTemplate.class).queryForList("SELECT 1 AS one")).hasSize(1);
			});
		assertThat(output).doesNotContain("gDBPool creates no pools");
	}

	private static void assertNothingOfGdbpool(org.springframework.context.ApplicationContext context) {
		assertThat(context.getBeansOfType(PoolRegistry.class)).isEmpty();
		assertThat(context.getBeansOfType(ReplicaMonitor.class)).isEmpty();
		assertThat(context.getBeansOfType(RoutingDataSource.class)).isEmpty();
		assertThat(context.getBeansOfType(GDBPoolTemplate.class)).isEmpty();
		assertThat(context.getBeansOfType(PartialTransactions.class)).isEmpty();
		assertThat(context.getBeansOfType(io.gdbpool.notify.PgNotificationListener.class)).isEmpty();
		assertThat(context.getBeansOfType(GDBPoolMetrics.class)).isEmpty();
	}

	@Configuration(proxyBeanMethods = false)
	static class AppDataSourceConfig {

		@Bean
		HikariDataSource appDataSource() {
			HikariDataSource dataSource = new HikariDataSource();
			dataSource.setJdbcUrl(TestDatabase.url());
			dataSource.setUsername(TestDatabase.USER);
			dataSource.setPassword(TestDatabase.password());
			dataSource.setMaximumPoolSize(2);
			dataSource.setPoolName("own-ds-backoff");
			return dataSource;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class AppRoutingDataSourceConfig {

		@Bean
		RoutingDataSource appRoutingDataSource(PoolRegistry pools) {
			return new RoutingDataSource(pools, new ReplicaSelector(pools, LoadBalance.ROUND_ROBIN), true, false);
		}

	}

}
