package io.gdbpool.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * Pool settings shared by ours and the reference, so the only difference is the code in
 * between.
 */
final class Db {

	private Db() {
	}

	/**
	 * @param url JDBC url
	 * @param user user
	 * @param size maximum (and minimum idle) pool size: a fixed-size pool, warm before
	 * the run
	 * @return the settings both sides use
	 */
	static HikariConfig settings(String url, String user, int size) {
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(url);
		config.setUsername(user);
		config.setMaximumPoolSize(size);
		config.setMinimumIdle(size);
		config.setConnectionTimeout(10_000);
		config.addDataSourceProperty("tcpKeepAlive", "true");
		return config;
	}

	/** A plain HikariCP pool with the same settings: the reference side. */
	static HikariDataSource plainPool(String name, String url, String user, int size) {
		HikariConfig config = settings(url, user, size);
		config.setPoolName("bench-ref-" + name);
		config.setDriverClassName("org.postgresql.Driver");
		config.addDataSourceProperty("ApplicationName", "bench-ref-" + name);
		return new HikariDataSource(config);
	}

	static String scalar(HikariDataSource ds, String sql) throws SQLException {
		try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
			rs.next();
			return rs.getString(1);
		}
	}

	static void execute(HikariDataSource ds, String sql) throws SQLException {
		try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
			s.execute(sql);
		}
	}

	/** Fills every connection of a fixed-size pool before the first trial. */
	static void awaitFull(HikariDataSource ds) throws InterruptedException {
		long deadline = System.nanoTime() + 10_000_000_000L;
		while (System.nanoTime() < deadline) {
			var bean = ds.getHikariPoolMXBean();
			if (bean != null && bean.getTotalConnections() >= ds.getMaximumPoolSize()) {
				return;
			}
			Thread.sleep(20);
		}
	}

}
