package io.gdbpool.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * The reference receiver: one thread on {@code PGConnection.getNotifications(timeout)}
 * that hands each payload straight to the sink. No queues, no executor, no reflection, no
 * events.
 */
final class BareListener implements AutoCloseable {

	private final Connection connection;

	private final Thread thread;

	private volatile boolean running = true;

	volatile Sink sink = Sink.NONE;

	BareListener(String url, String user, String channel) throws SQLException {
		Properties props = new Properties();
		props.setProperty("user", user);
		props.setProperty("ApplicationName", "bench-bare-listener");
		this.connection = DriverManager.getConnection(url, props);
		try (Statement statement = this.connection.createStatement()) {
			statement.execute("LISTEN \"" + channel + "\"");
		}
		PGConnection pg = this.connection.unwrap(PGConnection.class);
		this.thread = new Thread(() -> {
			try {
				while (this.running) {
					PGNotification[] batch = pg.getNotifications(50);
					if (batch != null) {
						Sink target = this.sink;
						for (PGNotification n : batch) {
							if (channel.equals(n.getName())) {
								target.accept(n.getParameter());
							}
						}
					}
				}
			}
			catch (SQLException ex) {
				if (this.running) {
					Log.progress("bare listener failed: " + ex);
				}
			}
		}, "bench-bare-listener");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	@Override
	public void close() throws Exception {
		this.running = false;
		this.thread.join(2_000);
		this.connection.close();
	}

}
