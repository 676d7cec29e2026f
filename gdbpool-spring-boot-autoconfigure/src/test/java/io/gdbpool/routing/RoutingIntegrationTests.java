package io.gdbpool.routing;

import java.util.HashMap;
import java.util.Map;

import javax.sql.DataSource;

import io.gdbpool.test.GDBPoolContextRunner;
import io.gdbpool.test.ServerIdentity;
import io.gdbpool.test.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Where statements run, proven by asking the server: reads on the streaming replica,
 * writes on the primary.
 */
@ExtendWith(TestDatabase.class)
class RoutingIntegrationTests {

	private static final int PRIMARY_PORT = portOf(TestDatabase.url());

	@Test
	void writesGoToThePrimaryAndReadOnlyTransactionsToTheReplica() {
		String replica = TestDatabase.replicaUrl();
		GDBPoolContextRunner.create()
			.withPropertyValues(GDBPoolContextRunner.pool("primary", TestDatabase.url(), "write"))
			.withPropertyValues(GDBPoolContextRunner.pool("replica", replica, "read"))
			.run((context) -> {
				JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
				PlatformTransactionManager tm = context.getBean(PlatformTransactionManager.class);

				ServerIdentity plain = ServerIdentity.of(jdbc);
				assertThat(plain.standby()).isFalse();
				assertThat(plain.port()).isEqualTo(PRIMARY_PORT);
				assertThat(plain.pool()).isEqualTo("primary");

				TransactionTemplate readOnly = new TransactionTemplate(tm);
				readOnly.setReadOnly(true);
				ServerIdentity read = readOnly.execute((status) -> ServerIdentity.of(jdbc));
				assertThat(read.standby()).isTrue();
				assertThat(read.port()).isEqualTo(portOf(replica));
				assertThat(read.pool()).isEqualTo("replica");

				ServerIdentity write = new TransactionTemplate(tm).execute((status) -> ServerIdentity.of(jdbc));
				assertThat(write.standby()).isFalse();
				assertThat(write.pool()).isEqualTo("primary");
			});
	}

	@Test
	void transactionalReadOnlyMethodsReadFromTheReplica() {
		String replica = TestDatabase.replicaUrl();
		GDBPoolContextRunner.create()
			.withUserConfiguration(TransactionalService.Config.class)
			.withPropertyValues(GDBPoolContextRunner.pool("primary", TestDatabase.url(), "write"))
			.withPropertyValues(GDBPoolContextRunner.pool("replica", replica, "read"))
			.run((context) -> {
				TransactionalService service = context.getBean(TransactionalService.class);
				assertThat(service.readOnly().standby()).isTrue();
				assertThat(service.readWrite().standby()).isFalse();
				// a read-only section inside a read-write transaction stays on its
				// connection
				ServerIdentity[] both = service.readWriteThenNestedReadOnly();
				assertThat(both[1].backendPid()).isEqualTo(both[0].backendPid());
				assertThat(both[1].standby()).isFalse();
			});
	}

	@Test
	void aWriteThatReachesAReadPoolFailsEvenWhenTheReadPoolIsThePrimary() {
		String table = TestDatabase.uniqueName("misrouted");
		TestDatabase.execute("CREATE TABLE " + table + " (id int)");
		GDBPoolContextRunner.create()
			.withPropertyValues(GDBPoolContextRunner.pool("primary", TestDatabase.url(), "write"))
			.withPropertyValues(GDBPoolContextRunner.pool("not-really-a-replica", TestDatabase.url(), "read"))
			.run((context) -> {
				JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
				TransactionTemplate readOnly = new TransactionTemplate(
						context.getBean(PlatformTransactionManager.class));
				readOnly.setReadOnly(true);
				assertThatThrownBy(
						() -> readOnly.executeWithoutResult((s) -> jdbc.update("INSERT INTO " + table + " VALUES (1)")))
					.isInstanceOf(DataAccessException.class)
					.hasMessageContaining("read-only transaction");
				// taken straight from the read pool, outside any transaction: still
				// refused by the server
				DataSource readPool = context.getBean(PoolRegistry.class).get("not-really-a-replica").getDataSource();
				assertThatThrownBy(() -> new JdbcTemplate(readPool).update("INSERT INTO " + table + " VALUES (2)"))
					.hasMessageContaining("read-only transaction");
				assertThat(jdbc.queryForObject("SELECT count(*) FROM " + table, Integer.class)).isZero();
				// the write route still writes
				assertThat(jdbc.update("INSERT INTO " + table + " VALUES (3)")).isEqualTo(1);
			});
	}

	@Test
	void readsFallBackToThePrimaryWhenThereIsNoReadPool() {
		GDBPoolContextRunner.create()
			.withPropertyValues(GDBPoolContextRunner.pool("primary", TestDatabase.url(), "write"))
			.run((context) -> {
				TransactionTemplate readOnly = new TransactionTemplate(
						context.getBean(PlatformTransactionManager.class));
				readOnly.setReadOnly(true);
				ServerIdentity read = readOnly.execute((s) -> ServerIdentity.of(context.getBean(JdbcTemplate.class)));
				assertThat(read.standby()).isFalse();
				assertThat(read.pool()).isEqualTo("primary");
				assertThat(context.getBean(RoutingDataSource.class).getFallbacks()).isEqualTo(1);
			});
	}

	@Test
	void withoutFallbackAReadWithNoReadPoolFailsClearly() {
		GDBPoolContextRunner.create()
			.withPropertyValues(GDBPoolContextRunner.pool("primary", TestDatabase.url(), "write"))
			.withPropertyValues("gdbpool.routing.fallback-to-primary=false")
			.run((context) -> {
				TransactionTemplate readOnly = new TransactionTemplate(
						context.getBean(PlatformTransactionManager.class));
				readOnly.setReadOnly(true);
				assertThatThrownBy(
						() -> readOnly.execute((s) -> ServerIdentity.of(context.getBean(JdbcTemplate.class))))
					.isInstanceOf(CannotCreateTransactionException.class)
					.rootCause()
					.isInstanceOf(NoReadPoolAvailableException.class)
					.hasMessageContaining("No read pool is configured")
					.hasMessageContaining("fallback-to-primary is false");
			});
	}

	@Test
	void roundRobinAlternatesBetweenReadPools() {
		String replica = TestDatabase.replicaUrl();
		GDBPoolContextRunner.create()
			.withPropertyValues(GDBPoolContextRunner.pool("primary", TestDatabase.url(), "write"))
			.withPropertyValues(GDBPoolContextRunner.pool("replica-a", replica, "read"))
			.withPropertyValues(GDBPoolContextRunner.pool("replica-b", replica, "read"))
			.run((context) -> {
				JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
				TransactionTemplate readOnly = new TransactionTemplate(
						context.getBean(PlatformTransactionManager.class));
				readOnly.setReadOnly(true);
				Map<String, Integer> served = new HashMap<>();
				for (int i = 0; i < 100; i++) {
					served.merge(readOnly.execute((s) -> ServerIdentity.of(jdbc)).pool(), 1, Integer::sum);
				}
				assertThat(served).containsOnlyKeys("replica-a", "replica-b");
				assertThat(served.get("replica-a")).isEqualTo(50);
			});
	}

	static int portOf(String url) {
		return ServerIdentity.portOf(url);
	}

	static class TransactionalService {

		private final JdbcTemplate jdbc;

		private final TransactionalService self;

		TransactionalService(JdbcTemplate jdbc, TransactionalService self) {
			this.jdbc = jdbc;
			this.self = self;
		}

		@Transactional(readOnly = true)
		public ServerIdentity readOnly() {
			return ServerIdentity.of(this.jdbc);
		}

		@Transactional
		public ServerIdentity readWrite() {
			return ServerIdentity.of(this.jdbc);
		}

		@Transactional
		public ServerIdentity[] readWriteThenNestedReadOnly() {
			return new ServerIdentity[] { ServerIdentity.of(this.jdbc), this.self.readOnly() };
		}

		@Configuration(proxyBeanMethods = false)
		@EnableTransactionManagement
		static class Config {

			@Bean
			TransactionalService transactionalService(JdbcTemplate jdbc,
					@org.springframework.context.annotation.Lazy TransactionalService self) {
				return new TransactionalService(jdbc, self);
			}

		}

	}

}
