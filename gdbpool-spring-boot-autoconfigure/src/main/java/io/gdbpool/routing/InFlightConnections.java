package io.gdbpool.routing;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The connections a pool handed out most recently, so that when its server stops
 * answering (frozen, or its network gone) the work blocked on them can be aborted (reads
 * are then retried elsewhere) instead of waiting for a socket that will never answer.
 * HikariCP can only abort a pool's connections by shutting the pool down.
 * <p>
 * A ring, not a set: recording costs one array store and no allocation, and nothing is
 * removed when a connection is closed (a closed HikariCP proxy ignores {@code abort}). It
 * holds twice the pool's size, so every connection in use when the server froze is still
 * in it.
 */
final class InFlightConnections {

	private final AtomicReferenceArray<Connection> slots;

	private final int mask;

	private final AtomicInteger next = new AtomicInteger();

	InFlightConnections(int poolSize) {
		int size = Integer.highestOneBit(Math.max(8, poolSize * 2) - 1) << 1;
		this.slots = new AtomicReferenceArray<>(size);
		this.mask = size - 1;
	}

	void record(Connection connection) {
		this.slots.lazySet(this.next.getAndIncrement() & this.mask, connection);
	}

	/**
	 * Aborts every recorded connection still in use: a thread blocked reading from it
	 * fails at once with a connection error.
	 * @return how many were aborted
	 */
	int abortAll() {
		int aborted = 0;
		for (int i = 0; i < this.slots.length(); i++) {
			Connection connection = this.slots.getAndSet(i, null);
			try {
				if (connection != null && !connection.isClosed()) {
					connection.abort(Runnable::run);
					aborted++;
				}
			}
			catch (SQLException | RuntimeException ex) {
				// already closing or closed: nothing blocks on it any more
			}
		}
		return aborted;
	}

}
