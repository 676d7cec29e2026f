package io.gdbpool.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import io.gdbpool.routing.PoolRole;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Configuration turned into pool definitions, bound as Boot binds it: the defaults a pool
 * gets, and each mistake reported with its property. No database needed.
 */
class PoolDefinitionsTests {

	@Test
	void readPoolsWaitASecondAndWritePoolsFiveForAConnectionUnlessConfigured() {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("gdbpool.pools.primary.url", "jdbc:postgresql://p/app");
		properties.put("gdbpool.pools.replica_a.url", "jdbc:postgresql://r/app");
		properties.put("gdbpool.pools.replica_a.role", "read");
		properties.put("gdbpool.pools.replica-b.url", "jdbc:postgresql://r2/app");
		properties.put("gdbpool.pools.replica-b.role", "read");
		properties.put("gdbpool.pools.replica-b.hikari.connection-timeout", "30000");
		properties.put("gdbpool.pools[Replica_C].url", "jdbc:postgresql://r3/app");
		properties.put("gdbpool.pools[Replica_C].role", "read");
		properties.put("gdbpool.pools[Replica_C].hikari.connection-timeout", "2500");
		PoolDefinitions definitions = definitions(properties);
		assertThat(definition(definitions, "primary").hikari().getConnectionTimeout()).isEqualTo(5000);
		assertThat(definition(definitions, "primary").hikari().getValidationTimeout()).isLessThan(5000);
		// a name a property name could not hold is still found by its map key
		assertThat(definition(definitions, "replica_a").hikari().getConnectionTimeout()).isEqualTo(1000);
		assertThat(definition(definitions, "replica_a").role()).isEqualTo(PoolRole.READ);
		// what the application set stays, even HikariCP's own default written out
		assertThat(definition(definitions, "replica-b").hikari().getConnectionTimeout()).isEqualTo(30000);
		assertThat(definition(definitions, "Replica_C").hikari().getConnectionTimeout()).isEqualTo(2500);
		assertThat(definitions.defaultWritePool()).isEqualTo("primary");
	}

	@Test
	void withoutPoolsTheDefaultPoolComesFromSpringDatasource() {
		PoolDefinitions definitions = definitions(Map.of("spring.datasource.url", "jdbc:postgresql://db/app",
				"spring.datasource.username", "app", "spring.datasource.hikari.maximum-pool-size", "7"));
		PoolDefinitions.Definition pool = definition(definitions, PoolDefinitions.DEFAULT_POOL);
		assertThat(pool.role()).isEqualTo(PoolRole.WRITE);
		assertThat(pool.hikari().getJdbcUrl()).isEqualTo("jdbc:postgresql://db/app");
		assertThat(pool.hikari().getUsername()).isEqualTo("app");
		assertThat(pool.hikari().getMaximumPoolSize()).isEqualTo(7);
		assertThat(pool.hikari().getConnectionTimeout()).isEqualTo(5000);
	}

	@Test
	void mistakesNameTheirProperty() {
		assertThatThrownBy(() -> definitions(Map.of("gdbpool.pools.a.url", "jdbc:postgresql://a/app",
				"gdbpool.pools.b.url", "jdbc:postgresql://b/app")))
			.isInstanceOf(GDBPoolConfigurationException.class)
			.hasMessageContaining("gdbpool.default-write-pool");
		assertThatThrownBy(() -> definitions(Map.of("gdbpool.pools.a.url", "jdbc:mysql://a/app")))
			.isInstanceOf(GDBPoolConfigurationException.class)
			.hasMessageContaining("gdbpool.pools.a.url");
		assertThatThrownBy(() -> definitions(Map.of("gdbpool.pools.a.role", "write")))
			.isInstanceOf(GDBPoolConfigurationException.class)
			.hasMessageContaining("gdbpool.pools.a.url");
		assertThatThrownBy(() -> definitions(
				Map.of("gdbpool.pools.r.url", "jdbc:postgresql://r/app", "gdbpool.pools.r.role", "read")))
			.isInstanceOf(GDBPoolConfigurationException.class)
			.hasMessageContaining("gdbpool.pools");
		assertThatThrownBy(() -> definitions(
				Map.of("gdbpool.pools.a.url", "jdbc:postgresql://a/app", "gdbpool.listener.pool", "b")))
			.isInstanceOf(GDBPoolConfigurationException.class)
			.hasMessageContaining("gdbpool.listener.pool");
	}

	private static PoolDefinitions definitions(Map<String, String> properties) {
		Binder binder = new Binder(new MapConfigurationPropertySource(new LinkedHashMap<>(properties)));
		GDBPoolProperties gdbpool = binder.bind("gdbpool", GDBPoolProperties.class).orElseGet(GDBPoolProperties::new);
		DataSourceProperties dataSource = binder.bind("spring.datasource", DataSourceProperties.class)
			.orElseGet(DataSourceProperties::new);
		return PoolDefinitions.of(gdbpool, null, dataSource, binder);
	}

	private static PoolDefinitions.Definition definition(PoolDefinitions definitions, String name) {
		return definitions.definitions().stream().filter((d) -> d.name().equals(name)).findFirst().orElseThrow();
	}

}
