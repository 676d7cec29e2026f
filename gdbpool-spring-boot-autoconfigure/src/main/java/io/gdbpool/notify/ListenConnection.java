package io.gdbpool.notify;

import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.gdbpool.support.SafeUrl;
import org.postgresql.PGConnection;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGNotification;

/**
 * One dedicated pgjdbc connection that LISTENs: opened straight from the driver (a pooled
 * connection could be handed to someone else, or reset, and lose its LISTENs), checked to
 * be on a primary, and able to prove it is still alive by notifying itself.
 * <p>
 * Not thread-safe, like the pgjdbc connection it wraps: one reader thread owns it.
 */
final class ListenConnection implements AutoCloseable {

	/** Application name the listener's session shows in pg_stat_activity. */
	static final String APPLICATION_NAME = "gdbpool-listener";

	private static final String LIVENESS_CHANNEL_PREFIX = "gdbpool_liveness_";

	/** LISTEN statements sent in one round trip at most. */
	private static final int STATEMENTS_PER_BATCH = 500;

	/** How long the start-up check waits for a notification sent from another session. */
	private static final long PROBE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(3);

	/** Bounds of the driver's connect and login timeouts, in seconds. */
	private static final long MIN_CONNECT_SECONDS = 2;

	private static final long MAX_CONNECT_SECONDS = 5;

	private final Connection connection;

	private final PGConnection pgConnection;

	private final int backendPid;

	private final String livenessChannel;

	/** The url without secrets, for messages. */
	private final String safeUrl;

	private ListenConnection(Connection connection, int backendPid, String safeUrl) throws SQLException {
		this.connection = connection;
		this.pgConnection = connection.unwrap(PGConnection.class);
		this.backendPid = backendPid;
		this.livenessChannel = LIVENESS_CHANNEL_PREFIX + backendPid;
		this.safeUrl = safeUrl;
	}

	/**
	 * The driver properties of a LISTEN connection: the pool's (credentials, ssl and the
	 * like), plus the listener's application name, TCP keep-alive and timeouts.
	 * @param connectionProperties the pool's driver properties
	 * @param livenessInterval the liveness interval, which the timeouts follow
	 * @return new properties
	 */
	static Properties driverProperties(Properties connectionProperties, Duration livenessInterval) {
		long livenessMillis = livenessInterval.toMillis();
		// a frozen server accepts TCP connections but never answers: these timeouts end
		// each attempt on it, and a short one lets stop() end the reader soon, whatever
		// the liveness interval
		long connectSeconds = Math.min(MAX_CONNECT_SECONDS, Math.max(MIN_CONNECT_SECONDS, livenessMillis / 1000));
		Properties properties = new Properties();
		properties.putAll(connectionProperties);
		properties.setProperty("ApplicationName", APPLICATION_NAME);
		properties.setProperty("tcpKeepAlive", "true");
		properties.setProperty("socketTimeout", Long.toString(Liveness.socketTimeoutSeconds(livenessInterval)));
		properties.setProperty("connectTimeout", Long.toString(connectSeconds));
		properties.setProperty("loginTimeout", Long.toString(connectSeconds));
		return properties;
	}

	/**
	 * Connects, refuses a hot standby and LISTENs on the private liveness channel.
	 * @param url the server's JDBC url
	 * @param properties driver properties: credentials, timeouts, application name (see
	 * {@link #driverProperties})
	 * @return the connection
	 * @throws SQLException if the server cannot be reached
	 * @throws PgListenerStartupException if the server is a hot standby
	 */
	static ListenConnection open(String url, Properties properties) throws SQLException {
		String safeUrl = SafeUrl.of(url);
		Connection connection = DriverManager.getConnection(url, properties);
		try {
			connection.setAutoCommit(true);
			boolean standby;
			int pid;
			try (Statement statement = connection.createStatement();
					ResultSet rs = statement.executeQuery("SELECT pg_is_in_recovery(), pg_backend_pid()")) {
				rs.next();
				standby = rs.getBoolean(1);
				pid = rs.getInt(2);
			}
			if (standby) {
				throw new PgListenerStartupException(PgListenerStartupException.Problem.STANDBY, safeUrl,
						"The LISTEN connection to " + safeUrl + " reached a hot standby (pg_is_in_recovery() is true); "
								+ "standbys reject LISTEN, so it must connect to the primary",
						null);
			}
			ListenConnection listenConnection = new ListenConnection(connection, pid, safeUrl);
			listenConnection.listen(List.of(listenConnection.livenessChannel));
			listenConnection.verifyDeliveryFromAnotherSession(url, properties);
			return listenConnection;
		}
		catch (SQLException | RuntimeException ex) {
			closeQuietly(connection);
			throw ex;
		}
	}

	/**
	 * Sends a notification from a session of its own and expects it here.
	 * pg_listening_channels() alone can pass behind PgBouncer in transaction mode (the
	 * next statement often lands on the same server session), yet notifications sent by
	 * others would then reach a server session no client is linked to, and be lost. Only
	 * the liveness channel is listened to yet, so nothing else is consumed here.
	 */
	private void verifyDeliveryFromAnotherSession(String url, Properties properties) throws SQLException {
		Properties probeProperties = new Properties();
		probeProperties.putAll(properties);
		probeProperties.setProperty("ApplicationName", APPLICATION_NAME + "-probe");
		String payload = "probe-" + System.nanoTime();
		try (Connection probe = DriverManager.getConnection(url, probeProperties);
				PreparedStatement notify = probe.prepareStatement("SELECT pg_notify(?, ?)")) {
			notify.setString(1, this.livenessChannel);
			notify.setString(2, payload);
			notify.execute();
		}
		long deadline = System.nanoTime() + PROBE_TIMEOUT_NANOS;
		while (System.nanoTime() - deadline < 0) {
			PGNotification[] batch = poll(50);
			if (batch != null) {
				for (PGNotification notification : batch) {
					if (payload.equals(notification.getParameter())) {
						return;
					}
				}
			}
		}
		throw new PgListenerStartupException(PgListenerStartupException.Problem.NOT_LISTENING, this.safeUrl,
				"A notification sent from another session did not reach the LISTEN connection to " + this.safeUrl
						+ " within " + TimeUnit.NANOSECONDS.toMillis(PROBE_TIMEOUT_NANOS) + " ms: the connection goes "
						+ "through a pooler in transaction mode (PgBouncer), where LISTEN cannot work",
				null);
	}

	/**
	 * LISTENs on channels, then checks the session really holds them: behind PgBouncer in
	 * transaction mode each statement may run on another server session, and LISTEN
	 * silently ends up nowhere.
	 * @param channels valid channel names
	 * @throws PgListenerStartupException if the session does not hold every channel
	 * afterwards
	 */
	void listen(Collection<String> channels) throws SQLException {
		if (channels.isEmpty()) {
			return;
		}
		executeEach("LISTEN ", channels);
		List<String> missing = new ArrayList<>();
		try (PreparedStatement statement = this.connection.prepareStatement(
				"SELECT c FROM unnest(?::text[]) AS c WHERE c <> ALL (ARRAY(SELECT pg_listening_channels()))")) {
			Array array = this.connection.createArrayOf("text", channels.toArray());
			statement.setArray(1, array);
			try (ResultSet rs = statement.executeQuery()) {
				while (rs.next()) {
					missing.add(rs.getString(1));
				}
			}
		}
		if (!missing.isEmpty()) {
			throw new PgListenerStartupException(PgListenerStartupException.Problem.NOT_LISTENING, this.safeUrl,
					"After LISTEN, pg_listening_channels() on " + this.safeUrl + " lacks " + missing
							+ ": the connection goes through a pooler in transaction mode (PgBouncer) that runs each "
							+ "statement on another server session, so notifications would never arrive",
					null);
		}
	}

	/**
	 * @param channels channels to stop listening to
	 */
	void unlisten(Collection<String> channels) throws SQLException {
		executeEach("UNLISTEN ", channels);
	}

	/**
	 * Stops listening to every channel, the liveness channel included.
	 */
	void unlistenAll() throws SQLException {
		try (Statement statement = this.connection.createStatement()) {
			statement.execute("UNLISTEN *");
		}
	}

	/**
	 * Notifies the private liveness channel; the echo comes back with the next
	 * {@link #poll}. On a half-open connection this blocks until the driver's socket
	 * timeout and then throws.
	 */
	void ping() throws SQLException {
		try (Statement statement = this.connection.createStatement()) {
			statement.execute("NOTIFY " + ChannelNames.quote(this.livenessChannel));
		}
	}

	/**
	 * @param timeoutMillis how long to wait for a first notification; negative: do not
	 * wait
	 * @return the notifications read, or {@code null} when there were none
	 */
	PGNotification @Nullable [] poll(int timeoutMillis) throws SQLException {
		return (timeoutMillis < 0) ? this.pgConnection.getNotifications()
				: this.pgConnection.getNotifications(timeoutMillis);
	}

	/**
	 * @return the server process serving this connection
	 */
	int backendPid() {
		return this.backendPid;
	}

	/**
	 * @return the private channel this connection notifies itself on
	 */
	String livenessChannel() {
		return this.livenessChannel;
	}

	@Override
	public void close() {
		closeQuietly(this.connection);
	}

	private void executeEach(String command, Collection<String> channels) throws SQLException {
		StringBuilder sql = new StringBuilder();
		int inBatch = 0;
		try (Statement statement = this.connection.createStatement()) {
			for (String channel : channels) {
				sql.append(command).append(ChannelNames.quote(channel)).append(';');
				if (++inBatch == STATEMENTS_PER_BATCH) {
					statement.execute(sql.toString());
					sql.setLength(0);
					inBatch = 0;
				}
			}
			if (inBatch > 0) {
				statement.execute(sql.toString());
			}
		}
	}

	private static void closeQuietly(Connection connection) {
		try {
			connection.close();
		}
		catch (SQLException | RuntimeException ex) {
			// closing a broken connection fails; it is gone either way
		}
	}

}
