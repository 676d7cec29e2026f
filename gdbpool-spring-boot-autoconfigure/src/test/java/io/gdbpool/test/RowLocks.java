package io.gdbpool.test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What another session sees of a row: whether it can lock it at once, and a column's
 * committed value.
 */
public final class RowLocks {

	private RowLocks() {
	}

	public static boolean lockableElsewhere(String table, int id) {
		try (Connection connection = TestDatabase.connect(TestDatabase.url())) {
			connection.setAutoCommit(false);
			try (Statement statement = connection.createStatement()) {
				statement.executeQuery("SELECT * FROM " + table + " WHERE id = " + id + " FOR UPDATE NOWAIT").close();
				return true;
			}
			catch (SQLException ex) {
				assertThat(ex.getSQLState()).isEqualTo("55P03");
				return false;
			}
			finally {
				connection.rollback();
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	public static String heldByElsewhere(String table, int id) {
		try (Connection connection = TestDatabase.connect(TestDatabase.url());
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("SELECT held_by FROM " + table + " WHERE id = " + id)) {
			rs.next();
			return rs.getString(1);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
