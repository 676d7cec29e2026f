package io.gdbpool.routing;

import java.util.Properties;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool.PoolInitializationException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.gdbpool.support.SafeUrl;

/**
 * Opens a {@link Pool}: a HikariCP pool with the settings its role needs.
 * <ul>
 * <li>read pools' sessions are read-only at the server, so a misrouted write fails
 * loudly;</li>
 * <li>every connection says which pool it belongs to ({@code ApplicationName}), so
 * {@code pg_stat_activity} shows our connections;</li>
 * <li>pools behind PgBouncer in transaction mode get {@code prepareThreshold=0};</li>
 * <li>a write pool connects during start-up and fails it when it cannot; a read pool that
 * cannot connect starts out of rotation instead.</li>
 * </ul>
 */
public class PoolFactory {

	static final String READ_ONLY_SESSION_SQL = "SET SESSION default_transaction_read_only = on";

	private static final Log logger = LogFactory.getLog(PoolFactory.class);

	/**
	 * Opens a pool.
	 * @param name the pool's name
	 * @param role its role
	 * @param settings HikariCP settings (url and credentials included); not modified
	 * @param behindPgBouncer whether the url goes through PgBouncer in transaction mode
	 * @return the started pool
	 * @throws PoolStartupException if a write pool cannot connect
	 */
	public Pool open(String name, PoolRole role, HikariConfig settings, boolean behindPgBouncer) {
		String url = settings.getJdbcUrl();
		if (url == null || !url.startsWith("jdbc:postgresql:")) {
			throw new IllegalArgumentException(
					"Pool '" + name + "' needs a jdbc:postgresql: url, not '" + SafeUrl.of(url) + "'");
		}
		HikariConfig config = configure(name, role, settings, behindPgBouncer);
		try {
			return new Pool(name, role, new HikariDataSource(config), true);
		}
		catch (PoolInitializationException ex) {
			if (role == PoolRole.WRITE) {
				throw new PoolStartupException(name, SafeUrl.of(url), ex);
			}
			// A replica that is down must not stop the application: start the pool lazily
			// and leave it out of rotation until the health check sees it answer.
			logger.warn("Read pool '" + name + "' (" + SafeUrl.of(url)
					+ ") is not reachable; it starts out of rotation: " + ex.getMessage());
			config.setInitializationFailTimeout(-1);
			Pool pool = new Pool(name, role, new HikariDataSource(config), false);
			pool.eject(ex);
			return pool;
		}
	}

	private HikariConfig configure(String name, PoolRole role, HikariConfig settings, boolean behindPgBouncer) {
		HikariConfig config = new HikariConfig();
		settings.copyStateTo(config);
		if (config.getPoolName() == null) {
			config.setPoolName("gdbpool-" + name);
		}
		if (config.getDriverClassName() == null && config.getDataSourceClassName() == null) {
			config.setDriverClassName("org.postgresql.Driver");
		}
		Properties props = config.getDataSourceProperties();
		props.putIfAbsent("ApplicationName", "gdbpool-" + name);
		props.putIfAbsent("tcpKeepAlive", "true");
		if (behindPgBouncer) {
			// PgBouncer in transaction mode hands each transaction to any server
			// connection: named server-side prepared statements would not be found there.
			props.put("prepareThreshold", "0");
		}
		if (role == PoolRole.READ) {
			String userInit = config.getConnectionInitSql();
			config.setConnectionInitSql((userInit == null || userInit.isBlank()) ? READ_ONLY_SESSION_SQL
					: READ_ONLY_SESSION_SQL + "; " + userInit);
		}
		return config;
	}

}
