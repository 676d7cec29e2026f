package io.gdbpool.routing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.locks.ReentrantLock;

import com.zaxxer.hikari.HikariDataSource;
import org.postgresql.Driver;

import io.gdbpool.support.SafeUrl;

/**
 * The monitor's own connection to one pool's server, outside the pool. A check therefore
 * never waits behind the application's work: a pool whose connections are all in use is
 * busy, not broken, and stays in rotation. Whether the server answers is told by short
 * connect and socket timeouts instead, so a stopped or frozen server is noticed within
 * the probe timeout.
 * <p>
 * One check at a time: a check that finds the previous one still waiting for the server
 * fails at once (that server is not answering).
 */
final class ServerProbe implements AutoCloseable {

	private final String url;

	private final Properties properties;

	private final ReentrantLock lock = new ReentrantLock();

	// guarded by lock
	private Connection connection;

	ServerProbe(Pool pool, Duration timeout) {
		HikariDataSource dataSource = pool.getDataSource();
		this.url = dataSource.getJdbcUrl();
		this.properties = new Properties();
		this.properties.putAll(dataSource.getDataSourceProperties());
		if (dataSource.getUsername() != null) {
			this.properties.setProperty("user", dataSource.getUsername());
		}
		if (dataSource.getPassword() != null) {
			this.properties.setProperty("password", dataSource.getPassword());
		}
		String seconds = Long.toString(Math.max(1, (timeout.toMillis() + 999) / 1000));
		this.properties.setProperty("connectTimeout", seconds);
		this.properties.setProperty("loginTimeout", seconds);
		// a frozen server cannot hold the check longer than this
		this.properties.setProperty("socketTimeout", seconds);
		this.properties.setProperty("ApplicationName", "gdbpool-" + pool.getName() + "-monitor");
	}

	/** What a check does with the connection. */
	interface Check<T> {

		T run(Connection connection) throws SQLException;

	}

	/**
	 * Runs a check on the probe connection, connecting first when there is none. A
	 * failure closes the connection; the next check connects again.
	 * @param <T> the result type
	 * @param check the check
	 * @return its result
	 * @throws SQLException if the server cannot be reached or the check fails
	 */
	<T> T run(Check<T> check) throws SQLException {
		if (!this.lock.tryLock()) {
			throw new SQLTransientConnectionException("the previous check is still waiting for the server");
		}
		try {
			if (this.connection == null) {
				this.connection = connect();
			}
			return check.run(this.connection);
		}
		catch (SQLException | RuntimeException ex) {
			closeConnection();
			throw ex;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Runs a query of one row on the server.
	 * @param sql the query
	 * @return the row's columns as text
	 * @throws SQLException if the server does not answer or fails the query
	 */
	String[] queryRow(String sql) throws SQLException {
		return run((connection) -> {
			try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
				rs.next();
				String[] row = new String[rs.getMetaData().getColumnCount()];
				for (int i = 0; i < row.length; i++) {
					row[i] = rs.getString(i + 1);
				}
				return row;
			}
		});
	}

	private Connection connect() throws SQLException {
		Connection opened = new Driver().connect(this.url, this.properties);
		if (opened == null) {
			throw new SQLException("Not a PostgreSQL url: " + SafeUrl.of(this.url));
		}
		opened.setAutoCommit(true);
		return opened;
	}

	private void closeConnection() {
		Connection current = this.connection;
		this.connection = null;
		if (current != null) {
			try {
				current.close();
			}
			catch (SQLException ex) {
				// already broken: nothing to give back
			}
		}
	}

	@Override
	public void close() {
		// a check blocked on a dead server keeps the lock: abort its socket instead of
		// waiting
		if (this.lock.tryLock()) {
			try {
				closeConnection();
			}
			finally {
				this.lock.unlock();
			}
		}
		else {
			Connection current = this.connection;
			if (current != null) {
				try {
					current.abort(Runnable::run);
				}
				catch (SQLException ex) {
					// closing anyway
				}
			}
		}
	}

}
