package io.gdbpool.autoconfigure;

import java.util.Map;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import io.gdbpool.GDBPoolTemplate;
import io.gdbpool.routing.PoolRegistry;
import io.gdbpool.routing.PoolRole;
import io.gdbpool.routing.RoutingDataSource;
import io.gdbpool.test.GDBPoolContextRunner;
import io.gdbpool.test.ServerIdentity;
import io.gdbpool.test.TestDatabase;
import io.gdbpool.transaction.RoutingTransactionManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.transaction.PlatformTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Wiring: zero configuration, several pools, service connections, and backing off.
 */
@ExtendWith(TestDatabase.class)
class GDBPoolAutoConfigurationTests {

	private final ApplicationContextRunner runner = GDBPoolContextRunner.create();

	@Test
	void withoutGdbpoolPoolsOneWritePoolNamedDefaultComesFromSpringDatasource() {
		this.runner.withPropertyValues("spring.datasource.url=" + TestDatabase.url(),
				"spring.datasource.username=" + TestDatabase.USER,
				"spring.datasource.password=" + TestDatabase.password(), "spring.datasource.hikari.maximum-pool-size=3")
			.run((context) -> {
				assertThat(context).hasSingleBean(RoutingDataSource.class);
				assertThat(context.getBean(DataSource.class)).isInstanceOf(RoutingDataSource.class);
				assertThat(context.getBean("dataSource")).isSameAs(context.getBean(RoutingDataSource.class));
				assertThat(context.getBean("transactionManager")).isInstanceOf(RoutingTransactionManager.class);
				assertThat(context).hasSingleBean(GDBPoolTemplate.class);
				assertThat(context.getBean("gdbPoolTemplate")).isSameAs(context.getBean(GDBPoolTemplate.class));
				PoolRegistry pools = context.getBean(PoolRegistry.class);
				assertThat(pools.names()).containsExactly("default");
				assertThat(pools.defaultWritePool().getRole()).isEqualTo(PoolRole.WRITE);
				HikariDataSource hikari = pools.get("default").getDataSource();
				assertThat(hikari.getMaximumPoolSize()).isEqualTo(3);
				assertThat(hikari.getPoolName()).isEqualTo("gdbpool-default");
				// Boot's own JdbcTemplate and JdbcClient run on it unchanged
				assertThat(ServerIdentity.of(context.getBean(JdbcTemplate.class)).pool()).isEqualTo("default");
				assertThat(context.getBean(JdbcClient.class).sql("SELECT 1").query(Integer.class).single())
					.isEqualTo(1);
			});
	}

	@Test
	void aJdbcConnectionDetailsBeanFeedsTheDefaultPool() {
		this.runner.withUserConfiguration(ConnectionDetailsConfig.class)
			.withPropertyValues("spring.datasource.url=jdbc:postgresql://127.0.0.1:1/ignored")
			.run((context) -> {
				PoolRegistry pools = context.getBean(PoolRegistry.class);
				assertThat(pools.get("default").getDataSource().getJdbcUrl()).isEqualTo(TestDatabase.url());
				assertThat(context.getBean(GDBPoolTemplate.class).queryForList("SELECT 1 AS one"))
					.containsExactly(Map.of("one", 1));
			});
	}

	@Test
	void aJdbcConnectionDetailsBeanFeedsAWritePoolConfiguredWithoutUrl() {
		this.runner.withUserConfiguration(ConnectionDetailsConfig.class)
			.withPropertyValues("gdbpool.pools.primary.role=write", "gdbpool.pools.primary.hikari.maximum-pool-size=2")
			.withPropertyValues(GDBPoolContextRunner.pool("replica", TestDatabase.replicaUrl(), "read"))
			.run((context) -> {
				PoolRegistry pools = context.getBean(PoolRegistry.class);
				assertThat(pools.get("primary").getDataSource().getJdbcUrl()).isEqualTo(TestDatabase.url());
				assertThat(pools.get("primary").getDataSource().getMaximumPoolSize()).isEqualTo(2);
				assertThat(pools.get("replica").getDataSource().getJdbcUrl()).isEqualTo(TestDatabase.replicaUrl());
			});
	}

	@Test
	void severalPoolsWithRolesAndHikariSettings() {
		this.runner.withPropertyValues(GDBPoolContextRunner.pool("main", TestDatabase.url(), "write"))
			.withPropertyValues(GDBPoolContextRunner.pool("archive", TestDatabase.url(), "write"))
			.withPropertyValues(GDBPoolContextRunner.pool("reports", TestDatabase.url(), "read"))
			.withPropertyValues("gdbpool.default-write-pool=main", "gdbpool.pools.reports.hikari.maximum-pool-size=2",
					"gdbpool.pools.reports.hikari.data-source-properties.ApplicationName=reporting")
			.run((context) -> {
				PoolRegistry pools = context.getBean(PoolRegistry.class);
				assertThat(pools.names()).containsExactly("main", "archive", "reports");
				assertThat(pools.defaultWritePool().getName()).isEqualTo("main");
				assertThat(pools.readPools()).extracting("name").containsExactly("reports");
				assertThat(pools.get("reports").getDataSource().getMaximumPoolSize()).isEqualTo(2);
				GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
				assertThat(template.onPool("reports").queryForList("SELECT current_setting('application_name') AS a"))
					.containsExactly(Map.of("a", "reporting"));
				assertThat(template.onPool("archive").queryForList("SELECT current_setting('application_name') AS a"))
					.containsExactly(Map.of("a", "gdbpool-archive"));
			});
	}

	@Test
	void backsOffWhenTheApplicationDefinesItsOwnDataSource() {
		this.runner.withUserConfiguration(OwnDataSourceConfig.class)
			.withPropertyValues(GDBPoolContextRunner.pool("primary", TestDatabase.url(), "write"))
			.run((context) -> {
				assertThat(context).hasSingleBean(DataSource.class);
				assertThat(context).doesNotHaveBean(RoutingDataSource.class);
				assertThat(context).doesNotHaveBean(GDBPoolTemplate.class);
				assertThat(context.getBean(DataSource.class)).isInstanceOf(SimpleDriverDataSource.class);
			});
	}

	@Test
	void backsOffWhenTheApplicationDefinesItsOwnTransactionManagerButTheTemplateStillRoutes() {
		this.runner.withUserConfiguration(OwnTransactionManagerConfig.class)
			.withPropertyValues(GDBPoolContextRunner.pool("primary", TestDatabase.url(), "write"))
			.withPropertyValues(GDBPoolContextRunner.pool("replica", TestDatabase.replicaUrl(), "read"))
			.run((context) -> {
				assertThat(context).hasSingleBean(PlatformTransactionManager.class);
				assertThat(context.getBean(PlatformTransactionManager.class))
					.isExactlyInstanceOf(DataSourceTransactionManager.class);
				GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
				JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
				int primaryPort = ServerIdentity.portOf(TestDatabase.url());
				int replicaPort = ServerIdentity.portOf(TestDatabase.replicaUrl());
				// a write interaction runs on the primary; the template's client and code
				// on the DataSource inside it share its session
				ServerIdentity write = template.execute((status) -> {
					ServerIdentity identity = ServerIdentity.of(jdbc);
					assertThat(template.jdbc().sql("SELECT pg_backend_pid()").query(Integer.class).single())
						.isEqualTo(identity.backendPid());
					return identity;
				});
				assertThat(write.standby()).isFalse();
				assertThat(write.port()).isEqualTo(primaryPort);
				assertThat(write.pool()).isEqualTo("primary");
				// a read-only interaction runs on the replica: the template keeps a
				// routing transaction manager of its own (the application's would have
				// taken its connection on the write route)
				ServerIdentity read = template.readOnly().execute((status) -> ServerIdentity.of(jdbc));
				assertThat(read.standby()).isTrue();
				assertThat(read.port()).isEqualTo(replicaPort);
				assertThat(read.pool()).isEqualTo("replica");
				// plain reads take the read route, plain writes the write route
				assertThat(template.queryForList("SELECT pg_is_in_recovery() AS standby, inet_server_port() AS port"))
					.containsExactly(Map.of("standby", true, "port", replicaPort));
				String table = TestDatabase.uniqueName("own_tm");
				template.update("CREATE TABLE " + table + " (id int)");
				assertThat(template.update("INSERT INTO " + table + " VALUES (1)")).isEqualTo(1);
				assertThat(template.onPool("primary").queryForList("SELECT count(*) AS n FROM " + table))
					.containsExactly(Map.of("n", 1L));
			});
	}

	@Test
	void backsOffForAUserDefinedTemplate() {
		this.runner.withUserConfiguration(OwnTemplateConfig.class)
			.withPropertyValues(GDBPoolContextRunner.pool("primary", TestDatabase.url(), "write"))
			.run((context) -> {
				assertThat(context).hasSingleBean(GDBPoolTemplate.class);
				assertThat(context.getBean(GDBPoolTemplate.class)).isSameAs(context.getBean("myTemplate"));
			});
	}

	@Test
	void aReadPoolThatIsDownAtStartUpStartsOutOfRotation() {
		this.runner.withPropertyValues(GDBPoolContextRunner.pool("primary", TestDatabase.url(), "write"))
			.withPropertyValues("gdbpool.pools.down.url=jdbc:postgresql://127.0.0.1:1/test",
					"gdbpool.pools.down.role=read", "gdbpool.pools.down.hikari.connection-timeout=500")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(PoolRegistry.class).get("down").isInRotation()).isFalse();
				assertThat(context.getBean(PoolRegistry.class).get("down").getLastError()).contains("127.0.0.1:1");
				// reads fall back to the write pool without an error
				assertThat(context.getBean(GDBPoolTemplate.class)
					.readOnly()
					.queryForList("SELECT pg_is_in_recovery() AS s")).containsExactly(Map.of("s", false));
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class ConnectionDetailsConfig {

		@Bean
		JdbcConnectionDetails jdbcConnectionDetails() {
			return new JdbcConnectionDetails() {
				@Override
				public String getUsername() {
					return TestDatabase.USER;
				}

				@Override
				public String getPassword() {
					return TestDatabase.password();
				}

				@Override
				public String getJdbcUrl() {
					return TestDatabase.url();
				}
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnDataSourceConfig {

		@Bean
		DataSource dataSource() {
			return new SimpleDriverDataSource(new org.postgresql.Driver(), TestDatabase.url(), TestDatabase.USER,
					TestDatabase.password());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnTransactionManagerConfig {

		@Bean
		PlatformTransactionManager transactionManager(DataSource dataSource) {
			return new DataSourceTransactionManager(dataSource);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnTemplateConfig {

		@Bean
		GDBPoolTemplate myTemplate(RoutingDataSource dataSource, io.gdbpool.transaction.PartialTransactions partials) {
			return new GDBPoolTemplate(new RoutingTransactionManager(dataSource), partials, Runnable::run, null);
		}

	}

}
