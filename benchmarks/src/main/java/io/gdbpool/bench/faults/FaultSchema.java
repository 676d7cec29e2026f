package io.gdbpool.bench.faults;

import java.sql.SQLException;

/**
 * The harness's tables, created on every new scratch primary (a fresh base backup of the
 * shared server does not have them, and the shared server is never written to).
 */
final class FaultSchema {

	/** Seats to hold with partial transactions. */
	static final String SEAT = "fault_seat";

	static final int SEATS = 40;

	/** Ordinary writes next to the holds: one row per writer thread. */
	static final String COUNTER = "fault_counter";

	/** Rows inserted by the write load of the primary outages. */
	static final String WRITE = "fault_write";

	/**
	 * One row whose value the stalled-replica scenario changes, to see who still reads
	 * the old one.
	 */
	static final String MARKER = "fault_marker";

	private FaultSchema() {
	}

	static void create(int port) {
		try {
			Sql.execute(port, "DROP TABLE IF EXISTS " + SEAT + ", " + COUNTER + ", " + WRITE + ", " + MARKER,
					"CREATE TABLE " + SEAT + " (id int PRIMARY KEY, held_by text)",
					"INSERT INTO " + SEAT + " SELECT g, NULL FROM generate_series(1, " + SEATS + ") g",
					"CREATE TABLE " + COUNTER + " (id int PRIMARY KEY, n bigint NOT NULL)",
					"INSERT INTO " + COUNTER + " SELECT g, 0 FROM generate_series(1, 64) g",
					"CREATE TABLE " + WRITE + " (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now())",
					"CREATE TABLE " + MARKER + " (id int PRIMARY KEY, v bigint NOT NULL)",
					"INSERT INTO " + MARKER + " VALUES (1, 0)");
		}
		catch (SQLException ex) {
			throw new IllegalStateException("could not create the harness's tables on " + port + ": " + ex.getMessage(),
					ex);
		}
	}

}
