package io.gdbpool.bench.faults;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * The harness's own statements on the scratch servers (terminating a backend, pausing
 * replay, checking that a server is back), on short-lived plain JDBC connections with
 * short timeouts, so the harness never waits on a dead or frozen server for long and
 * never goes through the library it measures.
 */
final class Sql {

	static final String USER = System.getProperty("faults.user", "postgres");

	static final String DATABASE = System.getProperty("faults.database", "test");

	private Sql() {
	}

	static String url(int port) {
		return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
	}

	static Connection connect(int port) throws SQLException {
		Properties props = new Properties();
		props.setProperty("user", USER);
		props.setProperty("connectTimeout", "2");
		props.setProperty("loginTimeout", "2");
		props.setProperty("socketTimeout", "40");
		props.setProperty("ApplicationName", "gdbpool-faults-harness");
		return DriverManager.getConnection(url(port), props);
	}

	static void execute(int port, String... statements) throws SQLException {
		try (Connection connection = connect(port); Statement statement = connection.createStatement()) {
			for (String sql : statements) {
				statement.execute(sql);
			}
		}
	}

	/** The first column of the first row, as text; null when there is no row. */
	static String scalar(int port, String sql) throws SQLException {
		try (Connection connection = connect(port);
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery(sql)) {
			return rs.next() ? rs.getString(1) : null;
		}
	}

	/**
	 * Whether the server takes a TCP connection and answers {@code SELECT 1} now: what a
	 * client sees as "the server is back", whatever its role.
	 */
	static boolean answers(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
		}
		catch (IOException ex) {
			return false;
		}
		try {
			return "1".equals(scalar(port, "SELECT 1"));
		}
		catch (SQLException ex) {
			return false;
		}
	}

	/** Whether the server answers as a primary (not in recovery): it takes writes now. */
	static boolean isPrimary(int port) {
		try {
			return "f".equals(scalar(port, "SELECT pg_is_in_recovery()"));
		}
		catch (SQLException ex) {
			return false;
		}
	}

}
