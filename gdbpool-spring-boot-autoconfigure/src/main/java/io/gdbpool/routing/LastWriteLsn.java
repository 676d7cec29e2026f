package io.gdbpool.routing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The commit LSN of the current thread's last write transaction, for read-your-writes. A
 * static thread-local, like Spring's {@code TransactionSynchronizationManager}: it
 * belongs to the thread, not to one pool registry.
 */
public final class LastWriteLsn {

	private static final ThreadLocal<long[]> CURRENT = ThreadLocal.withInitial(() -> new long[] { Lsn.NONE });

	private LastWriteLsn() {
	}

	/**
	 * @return this thread's last commit LSN, or {@link Lsn#NONE}
	 */
	public static long get() {
		return CURRENT.get()[0];
	}

	/**
	 * Records a commit; positions only move forward.
	 * @param lsn the commit LSN
	 */
	public static void advance(long lsn) {
		long[] cell = CURRENT.get();
		if (lsn > cell[0]) {
			cell[0] = lsn;
		}
	}

	/**
	 * Records the position of a write just committed on a connection: after COMMIT the
	 * insert position is at or past the commit record, so a replica that has replayed it
	 * has replayed the commit.
	 * @param connection the connection the write committed on (a primary's)
	 * @throws SQLException if the server cannot tell, e.g. because it is in recovery
	 */
	public static void advanceFrom(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("SELECT pg_current_wal_insert_lsn()::text")) {
			if (rs.next()) {
				advance(Lsn.parse(rs.getString(1)));
			}
		}
	}

	/**
	 * Sets this thread's position, e.g. to the one of the thread that handed it work.
	 * @param lsn a commit LSN or {@link Lsn#NONE}
	 */
	public static void set(long lsn) {
		CURRENT.get()[0] = lsn;
	}

	/** Forgets this thread's position. */
	public static void clear() {
		CURRENT.get()[0] = Lsn.NONE;
	}

}
