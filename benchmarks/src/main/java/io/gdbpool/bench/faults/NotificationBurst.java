package io.gdbpool.bench.faults;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Sends numbered notifications ("0", "1", …) on a plain JDBC connection of the harness,
 * one per transaction, as fast as the server takes them, starting the moment a server
 * that was away answers again: a standby being promoted refuses NOTIFY, so each is
 * retried until committed. Records when each one committed.
 */
final class NotificationBurst implements Runnable {

	private final int port;

	private final String channel;

	private final long deadlineNanos;

	private final AtomicLongArray committedAt;

	private volatile String lastError;

	NotificationBurst(int port, String channel, int count, long boundMillis) {
		this.port = port;
		this.channel = channel;
		this.committedAt = new AtomicLongArray(count);
		this.deadlineNanos = System.nanoTime() + boundMillis * 1_000_000L;
	}

	@Override
	public void run() {
		int next = 0;
		while (next < this.committedAt.length() && System.nanoTime() - this.deadlineNanos < 0) {
			try (Connection connection = Sql.connect(this.port);
					PreparedStatement notify = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
				notify.setString(1, this.channel);
				while (next < this.committedAt.length() && System.nanoTime() - this.deadlineNanos < 0) {
					try {
						notify.setString(2, Integer.toString(next));
						notify.execute();
						this.committedAt.set(next, System.nanoTime());
						next++;
					}
					catch (SQLException ex) {
						// still in recovery ("cannot execute NOTIFY during recovery"):
						// the same session works once promoted
						this.lastError = ex.getMessage();
						if (connection.isClosed() || String.valueOf(ex.getSQLState()).startsWith("08")) {
							break;
						}
						Millis.sleep(2);
					}
				}
			}
			catch (SQLException ex) {
				this.lastError = ex.getMessage();
				Millis.sleep(5);
			}
		}
	}

	int count() {
		return this.committedAt.length();
	}

	/** nanoTime of the commit of notification {@code i}, 0 if it never committed. */
	long committedAt(int i) {
		return this.committedAt.get(i);
	}

	long firstCommit() {
		return this.committedAt.get(0);
	}

	long lastCommit() {
		return this.committedAt.get(this.committedAt.length() - 1);
	}

	String lastError() {
		return this.lastError;
	}

}
