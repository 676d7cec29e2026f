package io.gdbpool.test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import io.gdbpool.routing.Lsn;
import io.gdbpool.routing.Pool;

import static org.awaitility.Awaitility.await;

/**
 * A positive marker for "the replica monitor has checked again", instead of sleeping for
 * a few check intervals and hoping: the primary commits, and the test waits until the
 * monitor has recorded that a read pool's replica replayed the commit. Only a check that
 * queried the replica after the commit can record it, and the monitor checks all pools in
 * rounds, one after the other, so every earlier round has ended by then too.
 */
public final class MonitorChecks {

	private MonitorChecks() {
	}

	/**
	 * Waits for a check of the read pool that ran after this call began.
	 * @param readPool a read pool whose server is a streaming replica of the test
	 * database
	 */
	public static void awaitNextCheck(Pool readPool) {
		long committed;
		try (Connection primary = TestDatabase.connect(TestDatabase.url());
				Statement statement = primary.createStatement()) {
			// a transaction with an id writes a commit record: the WAL moves on
			statement.execute("SELECT txid_current()");
			try (ResultSet rs = statement.executeQuery("SELECT pg_current_wal_insert_lsn()::text")) {
				rs.next();
				committed = Lsn.parse(rs.getString(1));
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
		await("the monitor's next check of " + readPool.getName()).atMost(Duration.ofSeconds(15))
			.until(() -> readPool.getReplayLsn() >= committed);
	}

}
