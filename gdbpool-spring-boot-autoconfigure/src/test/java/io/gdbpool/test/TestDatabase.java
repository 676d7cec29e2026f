package io.gdbpool.test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * Finds the PostgreSQL servers the tests talk to, once per run.
 * <ul>
 * <li>Primary: {@code GDBPOOL_TEST_JDBC_URL}; else a Testcontainers PostgreSQL when a
 * Docker engine answers; else {@code jdbc:postgresql://127.0.0.1:5432/test} as
 * {@code postgres}.</li>
 * <li>Replicas: {@code GDBPOOL_TEST_REPLICA_JDBC_URL} and
 * {@code GDBPOOL_TEST_REPLICA2_JDBC_URL} (started by {@code scripts/replica.sh}); else
 * 127.0.0.1:5433 and :5434 if they answer as standbys. A test that needs a replica fails
 * when it is missing under CI ({@code CI=true}) and is aborted (reported as skipped)
 * elsewhere.</li>
 * </ul>
 * An unreachable primary always fails: no test is skipped for want of the database.
 */
public final class TestDatabase implements BeforeAllCallback {

	public static final String USER = "postgres";

	private static final AtomicInteger names = new AtomicInteger();

	private static final ConcurrentHashMap<String, String> resolved = new ConcurrentHashMap<>();

	private static volatile PostgreSQLContainer container;

	@Override
	public void beforeAll(ExtensionContext context) {
		url();
	}

	/**
	 * @return the primary's JDBC url
	 */
	public static String url() {
		return resolved.computeIfAbsent("primary", (key) -> {
			String url = System.getenv("GDBPOOL_TEST_JDBC_URL");
			if (url == null && dockerAvailable()) {
				url = startContainer();
			}
			if (url == null) {
				url = "jdbc:postgresql://127.0.0.1:5432/test";
			}
			try (Connection connection = DriverManager.getConnection(url, USER, password())) {
				if (isStandby(connection)) {
					throw new AssertionError("The test database at " + url + " is a standby; tests need a primary");
				}
			}
			catch (SQLException ex) {
				throw new AssertionError("The tests need PostgreSQL at " + url
						+ " (set GDBPOOL_TEST_JDBC_URL, or start " + "the local server): " + ex.getMessage(), ex);
			}
			return url;
		});
	}

	/**
	 * @return the first streaming replica's JDBC url
	 */
	public static String replicaUrl() {
		return replica("GDBPOOL_TEST_REPLICA_JDBC_URL", "jdbc:postgresql://127.0.0.1:5433/test");
	}

	/**
	 * @return the second streaming replica's JDBC url
	 */
	public static String secondReplicaUrl() {
		return replica("GDBPOOL_TEST_REPLICA2_JDBC_URL", "jdbc:postgresql://127.0.0.1:5434/test");
	}

	/**
	 * @return the JDBC url of PgBouncer in transaction mode in front of the primary
	 */
	public static String pgbouncerUrl() {
		String url = resolved.computeIfAbsent("GDBPOOL_TEST_PGBOUNCER_JDBC_URL", (key) -> {
			String candidate = System.getenv().getOrDefault(key, "jdbc:postgresql://127.0.0.1:6433/test");
			try (Connection connection = DriverManager.getConnection(candidate, USER, password())) {
				return candidate;
			}
			catch (SQLException ex) {
				return "";
			}
		});
		if (url.isEmpty()) {
			missing("This test needs PgBouncer in transaction mode (GDBPOOL_TEST_PGBOUNCER_JDBC_URL, or one on 127.0.0.1:6433): "
					+ "start it with scripts/pgbouncer.sh start 6433, or run scripts/test.sh");
		}
		return url;
	}

	private static void missing(String message) {
		if ("true".equals(System.getenv("CI"))) {
			throw new AssertionError(message);
		}
		Assumptions.abort(message);
	}

	public static String password() {
		String password = System.getenv("GDBPOOL_TEST_PASSWORD");
		return (container != null) ? container.getPassword() : (password != null) ? password : "";
	}

	/**
	 * @param url a server's url
	 * @return a new connection as the test user
	 */
	public static Connection connect(String url) {
		try {
			return DriverManager.getConnection(url, USER, password());
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Cannot connect to " + url, ex);
		}
	}

	/**
	 * Runs statements on the primary on a connection of their own, autocommit.
	 * @param sql statements
	 */
	public static void execute(String... sql) {
		try (Connection connection = connect(url()); Statement statement = connection.createStatement()) {
			for (String s : sql) {
				statement.execute(s);
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * @param prefix a readable prefix
	 * @return a name no other test of this run uses (for tables, schemas, channels)
	 */
	public static String uniqueName(String prefix) {
		return prefix + "_" + ProcessHandle.current().pid() + "_" + names.incrementAndGet();
	}

	/**
	 * Waits until a replica has replayed everything the primary wrote so far.
	 * @param replicaUrl the replica
	 */
	public static void awaitReplay(String replicaUrl) {
		String target;
		try (Connection primary = connect(url());
				Statement statement = primary.createStatement();
				ResultSet rs = statement.executeQuery("SELECT pg_current_wal_insert_lsn()::text")) {
			rs.next();
			target = rs.getString(1);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
		long deadline = System.nanoTime() + 30_000_000_000L;
		try (Connection replica = connect(replicaUrl); Statement statement = replica.createStatement()) {
			while (System.nanoTime() < deadline) {
				try (ResultSet rs = statement
					.executeQuery("SELECT pg_last_wal_replay_lsn() >= '" + target + "'::pg_lsn")) {
					rs.next();
					if (rs.getBoolean(1)) {
						return;
					}
				}
				Thread.sleep(20);
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		throw new AssertionError("Replica " + replicaUrl + " did not replay " + target + " within 30 s");
	}

	private static String replica(String variable, String fallback) {
		String url = resolved.computeIfAbsent(variable, (key) -> {
			String configured = System.getenv(variable);
			String candidate = (configured != null) ? configured : fallback;
			try (Connection connection = DriverManager.getConnection(candidate, USER, password())) {
				if (!isStandby(connection)) {
					throw new AssertionError(
							candidate + " is not a standby; " + variable + " must name a streaming replica");
				}
				return candidate;
			}
			catch (SQLException ex) {
				return "";
			}
		});
		if (url.isEmpty()) {
			missing("This test needs a streaming replica (" + variable + ", or one on " + fallback
					+ "): start it with scripts/replica.sh start PORT, or run scripts/test.sh");
		}
		return url;
	}

	private static boolean isStandby(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("SELECT pg_is_in_recovery()")) {
			rs.next();
			return rs.getBoolean(1);
		}
	}

	private static boolean dockerAvailable() {
		try {
			return DockerClientFactory.instance().isDockerAvailable();
		}
		catch (Throwable ex) {
			return false;
		}
	}

	private static String startContainer() {
		PostgreSQLContainer postgres = new PostgreSQLContainer("postgres:15-alpine").withUsername(USER);
		postgres.start();
		container = postgres;
		return postgres.getJdbcUrl();
	}

}
