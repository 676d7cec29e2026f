package io.gdbpool.notify;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

import io.gdbpool.test.TestDatabase;

/**
 * Sends notifications and inspects the listener's session from a connection of the test's
 * own.
 */
final class Notifications {

	private Notifications() {
	}

	/**
	 * @param channel a channel, any characters
	 * @param payloads payloads, sent in this order in one statement
	 */
	static void send(String channel, String... payloads) {
		try (Connection connection = TestDatabase.connect(TestDatabase.url())) {
			send(connection, channel, List.of(payloads));
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Sends many notifications in one statement: pg_notify is called per row, in array
	 * order.
	 */
	static void send(Connection connection, String channel, List<String> payloads) throws SQLException {
		try (PreparedStatement statement = connection
			.prepareStatement("SELECT count(pg_notify(?, p)) FROM unnest(?::text[]) WITH ORDINALITY AS u(p, i)")) {
			statement.setString(1, channel);
			statement.setArray(2, connection.createArrayOf("text", payloads.toArray()));
			try (ResultSet rs = statement.executeQuery()) {
				rs.next();
			}
		}
	}

	/**
	 * @return the pid of the listener's session, or 0 when there is none
	 */
	static int listenerPid() {
		try (Connection connection = TestDatabase.connect(TestDatabase.url());
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("SELECT pid FROM pg_stat_activity WHERE application_name = '"
						+ ListenConnection.APPLICATION_NAME + "' AND pid <> pg_backend_pid()")) {
			return rs.next() ? rs.getInt(1) : 0;
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Ends a listener's session the way an administrator or a failover would, after
	 * checking it is the listener's.
	 * @param pid the listener's backend pid
	 */
	static void terminateListener(int pid) {
		try (Connection connection = TestDatabase.connect(TestDatabase.url());
				Statement statement = connection.createStatement();
				ResultSet rs = statement
					.executeQuery("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = " + pid
							+ " AND application_name = '" + ListenConnection.APPLICATION_NAME + "'")) {
			if (!rs.next() || !rs.getBoolean(1)) {
				throw new AssertionError("No listener session with pid " + pid);
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * @param pid a backend pid
	 * @return whether that session still exists
	 */
	static boolean sessionExists(int pid) {
		try (Connection connection = TestDatabase.connect(TestDatabase.url());
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE pid = " + pid)) {
			rs.next();
			return rs.getInt(1) > 0;
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * @param url the url to listen through
	 * @return a container as the test user, not started
	 */
	static PgListenerContainer container(String url) {
		Properties properties = new Properties();
		properties.setProperty("user", TestDatabase.USER);
		properties.setProperty("password", TestDatabase.password());
		return new PgListenerContainer(url, properties);
	}

}
