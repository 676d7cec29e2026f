package io.gdbpool.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.zaxxer.hikari.HikariConfig;

import io.gdbpool.routing.PoolRole;
import io.gdbpool.support.SafeUrl;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.util.StringUtils;

/**
 * Turns {@code gdbpool.pools.*} (or, without it, {@code spring.datasource.*}) into
 * validated pool definitions. Every mistake becomes a
 * {@link GDBPoolConfigurationException} naming the property and the fix.
 */
final class PoolDefinitions {

	/** Name of the single pool built from {@code spring.datasource.*}. */
	static final String DEFAULT_POOL = "default";

	/**
	 * One pool to open.
	 *
	 * @param name its name
	 * @param role its role
	 * @param hikari HikariCP settings with url and credentials
	 * @param pgbouncer whether the url goes through PgBouncer in transaction mode
	 */
	record Definition(String name, PoolRole role, HikariConfig hikari, boolean pgbouncer) {

		@Override
		public String toString() {
			return "Definition[" + this.name + ", " + this.role + ", " + SafeUrl.of(this.hikari.getJdbcUrl()) + "]";
		}

	}

	private final List<Definition> definitions;

	private final String defaultWritePool;

	private PoolDefinitions(List<Definition> definitions, String defaultWritePool) {
		this.definitions = definitions;
		this.defaultWritePool = defaultWritePool;
	}

	List<Definition> definitions() {
		return this.definitions;
	}

	String defaultWritePool() {
		return this.defaultWritePool;
	}

	/**
	 * @param properties gdbpool.*
	 * @param connectionDetails a JdbcConnectionDetails bean (Testcontainers' service
	 * connection), or null
	 * @param dataSourceProperties spring.datasource.*
	 * @param binder the environment's binder, for spring.datasource.hikari.*
	 * @return the validated definitions
	 * @throws GDBPoolConfigurationException for a configuration mistake
	 */
	static PoolDefinitions of(GDBPoolProperties properties, JdbcConnectionDetails connectionDetails,
			DataSourceProperties dataSourceProperties, Binder binder) {
		PoolDefinitions result = properties.getPools().isEmpty()
				? fromSpringDataSource(connectionDetails, dataSourceProperties, binder)
				: fromPools(properties, connectionDetails, binder);
		result.validateListenerPool(properties);
		return result;
	}

	private static PoolDefinitions fromSpringDataSource(JdbcConnectionDetails details, DataSourceProperties dataSource,
			Binder binder) {
		HikariConfig hikari = new HikariConfig();
		// Boot's own spring.datasource.hikari.* keep applying to the default pool, as
		// they did before the starter
		binder.bind("spring.datasource.hikari", Bindable.ofInstance(hikari));
		if (details != null) {
			hikari.setJdbcUrl(details.getJdbcUrl());
			hikari.setUsername(details.getUsername());
			hikari.setPassword(details.getPassword());
		}
		else {
			hikari.setJdbcUrl(dataSource.determineUrl());
			hikari.setUsername(dataSource.determineUsername());
			hikari.setPassword(dataSource.determinePassword());
		}
		checkUrl(hikari.getJdbcUrl(), "spring.datasource.url");
		applyDefaultConnectionTimeout(hikari, PoolRole.WRITE, binder,
				ConfigurationPropertyName.of("spring.datasource.hikari.connection-timeout"));
		return new PoolDefinitions(List.of(new Definition(DEFAULT_POOL, PoolRole.WRITE, hikari, false)), DEFAULT_POOL);
	}

	private static PoolDefinitions fromPools(GDBPoolProperties properties, JdbcConnectionDetails details,
			Binder binder) {
		List<Definition> definitions = new ArrayList<>();
		List<String> writePools = new ArrayList<>();
		for (Map.Entry<String, PoolProperties> entry : properties.getPools().entrySet()) {
			String name = entry.getKey();
			PoolProperties pool = entry.getValue();
			String prefix = GDBPoolProperties.PREFIX + ".pools." + name;
			HikariConfig hikari = new HikariConfig();
			pool.getHikari().copyStateTo(hikari);
			if (pool.getUrl() != null) {
				hikari.setJdbcUrl(pool.getUrl());
			}
			if (pool.getUsername() != null) {
				hikari.setUsername(pool.getUsername());
			}
			if (pool.getPassword() != null) {
				hikari.setPassword(pool.getPassword());
			}
			PoolRole role = (pool.getRole() != null) ? pool.getRole() : PoolRole.WRITE;
			if (!StringUtils.hasText(hikari.getJdbcUrl()) && details != null && role == PoolRole.WRITE) {
				// a service connection (Testcontainers' @ServiceConnection) feeds a write
				// pool left without url
				hikari.setJdbcUrl(details.getJdbcUrl());
				hikari.setUsername(details.getUsername());
				hikari.setPassword(details.getPassword());
			}
			if (!StringUtils.hasText(hikari.getJdbcUrl())) {
				throw new GDBPoolConfigurationException(prefix + ".url", "Pool '" + name + "' has no url",
						"Set " + prefix + ".url to the server's JDBC url, e.g. jdbc:postgresql://localhost:5432/app.");
			}
			checkUrl(hikari.getJdbcUrl(), prefix + ".url");
			applyDefaultConnectionTimeout(hikari, role, binder, poolProperty(name, "hikari.connection-timeout"));
			if (role == PoolRole.WRITE) {
				writePools.add(name);
			}
			definitions.add(new Definition(name, role, hikari, Boolean.TRUE.equals(pool.getPgbouncer())));
		}
		return new PoolDefinitions(List.copyOf(definitions),
				chooseDefaultWritePool(properties, definitions, writePools));
	}

	private static String chooseDefaultWritePool(GDBPoolProperties properties, List<Definition> definitions,
			List<String> writePools) {
		String property = GDBPoolProperties.PREFIX + ".default-write-pool";
		String chosen = properties.getDefaultWritePool();
		List<String> names = definitions.stream().map(Definition::name).toList();
		if (StringUtils.hasText(chosen)) {
			Definition definition = definitions.stream()
				.filter((d) -> d.name().equals(chosen))
				.findFirst()
				.orElse(null);
			if (definition == null) {
				throw new GDBPoolConfigurationException(property, "'" + chosen + "' is not the name of a pool", "Set "
						+ property + " to one of the write pools " + writePools + " (the pools are " + names + ").");
			}
			if (definition.role() != PoolRole.WRITE) {
				throw new GDBPoolConfigurationException(property, "'" + chosen + "' is a read pool",
						"Set " + property + " to a pool with role: write " + writePools
								+ ", or change the role of gdbpool.pools." + chosen + ".role to write.");
			}
			return chosen;
		}
		if (writePools.isEmpty()) {
			throw new GDBPoolConfigurationException(GDBPoolProperties.PREFIX + ".pools",
					"No pool has role write (pools " + names + " are all read pools)",
					"Give the primary's pool role: write (gdbpool.pools.<name>.role=write); writes need it.");
		}
		if (writePools.size() > 1) {
			throw new GDBPoolConfigurationException(property,
					"Several pools have role write " + writePools + " and none is chosen as the default",
					"Set " + property + " to the one the write route should use, one of " + writePools + ".");
		}
		return writePools.get(0);
	}

	private void validateListenerPool(GDBPoolProperties properties) {
		String listenerPool = properties.getListener().getPool();
		if (StringUtils.hasText(listenerPool)
				&& this.definitions.stream().noneMatch((d) -> d.name().equals(listenerPool))) {
			List<String> names = this.definitions.stream().map(Definition::name).toList();
			throw new GDBPoolConfigurationException(GDBPoolProperties.PREFIX + ".listener.pool",
					"'" + listenerPool + "' is not the name of a pool",
					"Set gdbpool.listener.pool to one of " + names + " (the LISTEN connection uses that pool's url and "
							+ "credentials), or leave it unset for the default write pool.");
		}
	}

	/**
	 * HikariCP waits 30 s for a connection by default, which is how long a request would
	 * hang on a server that died: unless the application set connection-timeout, read
	 * pools wait briefly (the read goes elsewhere) and write pools a few seconds.
	 */
	/**
	 * The names a pool's property may be bound under: {@code gdbpool.pools.NAME.suffix}
	 * when the pool's name is a valid property name element ({@code replica-b}), and the
	 * indexed form {@code gdbpool.pools[NAME].suffix}, which holds any name
	 * ({@code Replica_A}). A dashed element and an indexed one never compare equal, so
	 * both are asked.
	 */
	private static java.util.List<ConfigurationPropertyName> poolProperty(String name, String suffix) {
		java.util.List<ConfigurationPropertyName> names = new ArrayList<>();
		String dotted = GDBPoolProperties.PREFIX + ".pools." + name + "." + suffix;
		if (ConfigurationPropertyName.isValid(dotted)) {
			names.add(ConfigurationPropertyName.of(dotted));
		}
		names.add(ConfigurationPropertyName.of(GDBPoolProperties.PREFIX + ".pools")
			.append("[" + name + "]")
			.append(suffix));
		return names;
	}

	private static void applyDefaultConnectionTimeout(HikariConfig hikari, PoolRole role, Binder binder,
			ConfigurationPropertyName property) {
		applyDefaultConnectionTimeout(hikari, role, binder, java.util.List.of(property));
	}

	private static void applyDefaultConnectionTimeout(HikariConfig hikari, PoolRole role, Binder binder,
			java.util.List<ConfigurationPropertyName> properties) {
		for (ConfigurationPropertyName property : properties) {
			if (binder.bind(property, Bindable.of(String.class)).isBound()) {
				return;
			}
		}
		java.time.Duration timeout = (role == PoolRole.READ) ? PoolProperties.READ_POOL_CONNECTION_TIMEOUT
				: PoolProperties.WRITE_POOL_CONNECTION_TIMEOUT;
		hikari.setConnectionTimeout(timeout.toMillis());
		if (hikari.getValidationTimeout() >= timeout.toMillis()) {
			// HikariCP requires validation to finish within the connection timeout
			hikari.setValidationTimeout(Math.max(250, timeout.toMillis() / 2));
		}
	}

	private static void checkUrl(String url, String property) {
		if (url == null || !url.startsWith("jdbc:postgresql:")) {
			throw new GDBPoolConfigurationException(property, "'" + SafeUrl.of(url) + "' is not a PostgreSQL JDBC url",
					"Set " + property + " to a url of the form jdbc:postgresql://host:5432/database.");
		}
	}

}
