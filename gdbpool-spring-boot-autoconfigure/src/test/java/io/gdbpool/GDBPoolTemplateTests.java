package io.gdbpool;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.zaxxer.hikari.HikariPoolMXBean;

import io.gdbpool.routing.PoolRegistry;
import io.gdbpool.test.GDBPoolContextRunner;
import io.gdbpool.test.ServerIdentity;
import io.gdbpool.test.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.DefaultTransactionDefinition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@link GDBPoolTemplate} against the real primary and streaming replica.
 */
@ExtendWith(TestDatabase.class)
class GDBPoolTemplateTests {

	private final ApplicationContextRunner runner = GDBPoolContextRunner.create()
		.withPropertyValues(GDBPoolContextRunner.pool("primary", TestDatabase.url(), "write"));

	private ApplicationContextRunner withReplica() {
		return this.runner.withPropertyValues(GDBPoolContextRunner.pool("replica", TestDatabase.replicaUrl(), "read"));
	}

	@Test
	void inputPostgreSQLRefusesAsInvalidIsADataIntegrityViolationNotAServerError() {
		String table = TestDatabase.uniqueName("nul");
		TestDatabase.execute("CREATE TABLE " + table + " (name text, short varchar(3))");
		this.runner.run((context) -> {
			GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			// 22021: a NUL character in text; 22001: too long for its column
			assertThatThrownBy(() -> template.update("INSERT INTO " + table + " (name) VALUES (?)", "a\u0000b"))
				.isInstanceOf(DataIntegrityViolationException.class);
			assertThatThrownBy(() -> template
				.execute((status) -> template.update("INSERT INTO " + table + " (short) VALUES (?)", "abcd")))
				.isInstanceOf(DataIntegrityViolationException.class);
			assertThatThrownBy(() -> jdbc.update("INSERT INTO " + table + " (name) VALUES (?)", "a\u0000b"))
				.isInstanceOf(DataIntegrityViolationException.class);
		});
	}

	@Test
	void readsTakeTheReadRouteAndUpdatesTheWriteRoute() {
		String table = TestDatabase.uniqueName("routes");
		TestDatabase.execute("CREATE TABLE " + table + " (id int)");
		TestDatabase.awaitReplay(TestDatabase.replicaUrl());
		withReplica().run((context) -> {
			GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
			assertThat(template.queryForList("SELECT pg_is_in_recovery() AS standby"))
				.containsExactly(Map.of("standby", true));
			assertThat(template.query("SELECT current_setting('application_name')", (rs, i) -> rs.getString(1)))
				.containsExactly("gdbpool-replica");
			assertThat(template.update("INSERT INTO " + table + " VALUES (?)", 1)).isEqualTo(1);
			assertThat(template.jdbc().sql("SELECT pg_is_in_recovery()").query(Boolean.class).single()).isFalse();
			assertThat(template.readOnly().jdbc().sql("SELECT pg_is_in_recovery()").query(Boolean.class).single())
				.isTrue();
			Boolean standby = template.readOnly()
				.execute((status) -> template.jdbc().sql("SELECT pg_is_in_recovery()").query(Boolean.class).single());
			assertThat(standby).isTrue();
			assertThatThrownBy(() -> template.readOnly().update("INSERT INTO " + table + " VALUES (2)"))
				.isInstanceOf(DataAccessException.class)
				.hasMessageContaining("read-only transaction");
		});
	}

	@Test
	void onPoolChoosesOnePoolAndAnUnknownNameListsTheKnownOnes() {
		withReplica().run((context) -> {
			GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
			assertThat(template.onPool("replica").queryForList("SELECT pg_is_in_recovery() AS s").get(0).get("s"))
				.isEqualTo(true);
			assertThat(template.onPool("primary").queryForList("SELECT pg_is_in_recovery() AS s").get(0).get("s"))
				.isEqualTo(false);
			String applicationName = template.onPool("primary")
				.execute((status) -> template.jdbc()
					.sql("SELECT current_setting('application_name')")
					.query(String.class)
					.single());
			assertThat(applicationName).isEqualTo("gdbpool-primary");
			assertThat(template.onPool("replica")).isSameAs(template.onPool("replica"));
			assertThat(template.readOnly()).isSameAs(template.readOnly());
			assertThatThrownBy(() -> template.onPool("replcia")).isInstanceOf(IllegalArgumentException.class)
				.hasMessageContaining("replcia")
				.hasMessageContaining("[primary, replica]");
		});
	}

	@Test
	void viewsAreCachedAndComposeWithoutLosingTheirRoute() {
		String table = TestDatabase.uniqueName("views");
		TestDatabase.execute("CREATE TABLE " + table + " (id int)");
		withReplica().run((context) -> {
			GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
			String where = "SELECT pg_is_in_recovery() AS standby, current_setting('transaction_read_only') AS ro";
			// a read-only view of the primary stays on the primary, in read-only
			// transactions
			GDBPoolTemplate primaryReadOnly = template.onPool("primary").readOnly();
			assertThat(primaryReadOnly).isSameAs(template.onPool("primary").readOnly())
				.isNotSameAs(template.readOnly());
			assertThat(primaryReadOnly.toString()).contains("pool 'primary'").contains("read-only");
			List<Map<String, Object>> readOnlyRows = primaryReadOnly.execute((status) -> template.queryForList(where));
			assertThat(readOnlyRows).containsExactly(Map.of("standby", false, "ro", "on"));
			assertThatThrownBy(
					() -> primaryReadOnly.execute((status) -> template.update("INSERT INTO " + table + " VALUES (1)")))
				.isInstanceOf(DataAccessException.class)
				.hasMessageContaining("read-only transaction");
			try (PartialTransaction<List<Map<String, Object>>> partial = primaryReadOnly
				.begin((status) -> template.queryForList(where))) {
				assertThat(partial.result()).containsExactly(Map.of("standby", false, "ro", "on"));
			}
			// the read-write view of the primary is unchanged by it
			List<Map<String, Object>> readWriteRows = template.onPool("primary")
				.execute((status) -> template.queryForList(where));
			assertThat(readWriteRows).containsExactly(Map.of("standby", false, "ro", "off"));
			// a read pool's view is read-only already; a read-only view's pool views stay
			// read-only
			assertThat(template.onPool("replica").readOnly()).isSameAs(template.onPool("replica"));
			assertThat(template.readOnly().onPool("primary")).isSameAs(primaryReadOnly);
			assertThat(template.readOnly().readOnly()).isSameAs(template.readOnly());
			// a view of one pool cannot choose replicas by position: say so instead of
			// leaving the pool
			String lsn = template.execute(
					(status) -> template.jdbc().sql("SELECT pg_current_wal_lsn()::text").query(String.class).single());
			assertThatThrownBy(() -> template.onPool("primary").readAfter(lsn))
				.isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("pool 'primary'");
			assertThat(template.readAfter(lsn).toString()).contains("read route after " + lsn);
		});
	}

	@Test
	void anInteractionRunsEveryJdbcTemplateOnItsConnectionAndCommitsAtTheEnd() {
		String table = TestDatabase.uniqueName("interaction");
		TestDatabase.execute("CREATE TABLE " + table + " (id int)");
		this.runner.run((context) -> {
			GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			JdbcClient client = context.getBean(JdbcClient.class);
			int[] pids = template.execute((status) -> {
				jdbc.update("INSERT INTO " + table + " VALUES (1)");
				client.sql("INSERT INTO " + table + " VALUES (2)").update();
				template.update("INSERT INTO " + table + " VALUES (3)");
				assertThat(countElsewhere(table)).isZero();
				return new int[] { pid(jdbc), client.sql("SELECT pg_backend_pid()").query(Integer.class).single(),
						template.jdbc().sql("SELECT pg_backend_pid()").query(Integer.class).single() };
			});
			assertThat(pids[1]).isEqualTo(pids[0]);
			assertThat(pids[2]).isEqualTo(pids[0]);
			assertThat(countElsewhere(table)).isEqualTo(3);
		});
	}

	@Test
	void aThrowingInteractionRollsBackAndTheExceptionReachesTheCallerUnchanged() {
		String table = TestDatabase.uniqueName("rollback");
		TestDatabase.execute("CREATE TABLE " + table + " (id int)");
		this.runner.run((context) -> {
			GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
			IllegalStateException boom = new IllegalStateException("boom");
			assertThatThrownBy(() -> template.execute((status) -> {
				template.update("INSERT INTO " + table + " VALUES (1)");
				throw boom;
			})).isSameAs(boom);
			assertThat(countElsewhere(table)).isZero();
			// awaited: the replica monitor's role check borrows a connection for a moment
			// every interval
			await().atMost(5, TimeUnit.SECONDS)
				.until(() -> activeConnections(context.getBean(PoolRegistry.class), "primary") == 0);
		});
	}

	@Test
	void serializableConflictSurfacesAsSpringsConcurrencyException() {
		String table = TestDatabase.uniqueName("serializable");
		TestDatabase.execute("CREATE TABLE " + table + " (id int, v int)",
				"INSERT INTO " + table + " VALUES (1, 0), (2, 0)");
		this.runner.run((context) -> {
			GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
			DefaultTransactionDefinition serializable = new DefaultTransactionDefinition();
			serializable.setIsolationLevel(TransactionDefinition.ISOLATION_SERIALIZABLE);
			CountDownLatch bothRead = new CountDownLatch(2);
			// classic write skew: each reads both rows and updates one; one of them must
			// fail
			List<CompletableFuture<Object>> futures = new ArrayList<>();
			// two threads of their own: both transactions must be open at once
			java.util.concurrent.ExecutorService two = java.util.concurrent.Executors.newFixedThreadPool(2);
			for (int id = 1; id <= 2; id++) {
				int row = id;
				futures.add(CompletableFuture.supplyAsync(() -> {
					try {
						return template.execute(serializable, (status) -> {
							template.jdbc().sql("SELECT sum(v) FROM " + table).query(Integer.class).single();
							bothRead.countDown();
							await().atMost(10, TimeUnit.SECONDS).until(() -> bothRead.getCount() == 0);
							return template.update("UPDATE " + table + " SET v = v + 1 WHERE id = ?", row);
						});
					}
					catch (RuntimeException ex) {
						return ex;
					}
				}, two));
			}
			List<Object> outcomes = futures.stream().map(CompletableFuture::join).toList();
			two.shutdown();
			assertThat(outcomes).filteredOn((o) -> o instanceof ConcurrencyFailureException).hasSize(1);
			ConcurrencyFailureException failure = (ConcurrencyFailureException) outcomes.stream()
				.filter((o) -> o instanceof ConcurrencyFailureException)
				.findFirst()
				.get();
			assertThat(((SQLException) failure.getMostSpecificCause()).getSQLState()).isEqualTo("40001");
		});
	}

	@Test
	void aStatementPastTheTransactionTimeoutIsCancelled() {
		this.runner.run((context) -> {
			GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
			DefaultTransactionDefinition definition = new DefaultTransactionDefinition();
			definition.setTimeout(1);
			long start = System.nanoTime();
			assertThatThrownBy(() -> template.execute(definition,
					(status) -> template.jdbc().sql("SELECT pg_sleep(10)").query().singleValue()))
				.isInstanceOf(QueryTimeoutException.class);
			// cancelled, not run to its end: the statement alone takes 10 s, the timeout
			// is 1 s. The bound is the statement's own length less 2 s, so a slow box
			// cannot break it; only a statement left to finish can
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
		});
	}

	@Test
	void asyncInteractionsCompleteFailAndCanBeCancelledBeforeTheyStart() {
		this.runner.withPropertyValues("gdbpool.pools.primary.hikari.maximum-pool-size=2").run((context) -> {
			GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
			assertThat(template.executeAsync((status) -> 42).get(10, TimeUnit.SECONDS)).isEqualTo(42);
			IllegalStateException boom = new IllegalStateException("boom");
			assertThat(template.executeAsync((status) -> {
				throw boom;
			})).failsWithin(10, TimeUnit.SECONDS)
				.withThrowableOfType(java.util.concurrent.ExecutionException.class)
				.havingCause()
				.isSameAs(boom);

			// occupy both executor threads, queue a third interaction and cancel it
			// before it starts
			CountDownLatch release = new CountDownLatch(1);
			List<CompletableFuture<Integer>> blockers = List.of(template.executeAsync((status) -> awaitLatch(release)),
					template.executeAsync((status) -> awaitLatch(release)));
			AtomicBoolean ran = new AtomicBoolean();
			CompletableFuture<Object> cancelled = template.executeAsync((status) -> {
				ran.set(true);
				return null;
			});
			assertThat(cancelled.cancel(false)).isTrue();
			release.countDown();
			for (CompletableFuture<Integer> blocker : blockers) {
				assertThat(blocker.get(10, TimeUnit.SECONDS)).isEqualTo(1);
			}
			assertThat(template.executeAsync((status) -> 7).get(10, TimeUnit.SECONDS)).isEqualTo(7);
			assertThat(ran).isFalse();
		});
	}

	@Test
	void renderInlinesParametersAsTheDriverWouldWithoutExecuting() {
		String table = TestDatabase.uniqueName("render");
		TestDatabase.execute("CREATE TABLE " + table + " (name text)");
		this.runner.run((context) -> {
			GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
			String rendered = template.render("INSERT INTO " + table + " VALUES (?)",
					"x'); DROP TABLE " + table + "; --");
			assertThat(rendered).isEqualTo("INSERT INTO " + table + " VALUES (('x''); DROP TABLE " + table + "; --'))");
			assertThat(countElsewhere(table)).isZero();
			// the rendered text is one harmless literal: running it inserts the string,
			// the table survives
			TestDatabase.execute(rendered);
			assertThat(template.queryForList("SELECT name FROM " + table))
				.containsExactly(Map.of("name", "x'); DROP TABLE " + table + "; --"));

			assertThat(template.render("SELECT ?, ?, ?, ?", null, 42, 1.5, "a\\b"))
				.isEqualTo("SELECT (NULL), ('42'::int4), ('1.5'::double precision), ('a\\b')");
			assertThat(template.render("SELECT ?", Timestamp.valueOf(LocalDateTime.of(2024, 5, 6, 7, 8, 9))))
				.startsWith("SELECT ('2024-05-06 07:08:09");
			String intArray = template.render("SELECT ?", (Object) new int[] { 1, 2, 3 });
			String textArray = template.render("SELECT ?", (Object) new String[] { "a", "b'c", null });
			assertThat(intArray).isEqualTo("SELECT ('{\"1\",\"2\",\"3\"}')");
			assertThat(textArray).isEqualTo("SELECT ('{\"a\",\"b''c\",NULL}')");
			// what is rendered is what the server reads back
			assertThat(template.queryForList(intArray + "::int4[]::text AS v")).containsExactly(Map.of("v", "{1,2,3}"));
			assertThat(template.queryForList(textArray + "::text[]::text AS v"))
				.containsExactly(Map.of("v", "{a,b'c,NULL}"));
			assertThatThrownBy(() -> template.render(" ")).isInstanceOf(IllegalArgumentException.class);
		});
	}

	@Test
	void notificationsAreSentOnCommitAndNotOnRollback() throws Exception {
		String channel = "Tpl " + TestDatabase.uniqueName("chan") + " \"quoted\"";
		try (Connection listener = TestDatabase.connect(TestDatabase.url());
				Statement statement = listener.createStatement()) {
			statement.execute("LISTEN \"" + channel.replace("\"", "\"\"") + "\"");
			PGConnection pg = listener.unwrap(PGConnection.class);
			this.runner.run((context) -> {
				GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
				template.notify(channel, "outside");
				assertThat(payloads(pg, 1)).containsExactly("outside");

				template.execute((status) -> {
					template.notify(channel, "on commit");
					// a notification sent now from elsewhere arrives; the one of this
					// transaction does not
					notifyFromElsewhere(channel, "marker");
					assertThat(payloadsUntil(pg, "marker")).containsExactly("marker");
					return null;
				});
				assertThat(payloads(pg, 1)).containsExactly("on commit");

				assertThatThrownBy(() -> template.execute((status) -> {
					template.notify(channel, "never");
					throw new IllegalStateException("roll back");
				})).hasMessage("roll back");
				template.notify(channel, Map.of("seat", 7));
				assertThat(payloads(pg, 1)).containsExactly("{\"seat\":7}");
			});
		}
	}

	@Test
	void notifyRefusesWhatPostgresWouldRefuseBeforeSendingAnything() {
		this.runner.run((context) -> {
			GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
			assertThatThrownBy(() -> template.notify("c", "x".repeat(8000)))
				.isInstanceOf(IllegalArgumentException.class)
				.hasMessageContaining("8000 bytes");
			// 2,667 euro signs are 8,001 bytes in UTF-8, though only 2,667 characters
			assertThatThrownBy(() -> template.notify("c", "€".repeat(2667)))
				.isInstanceOf(IllegalArgumentException.class)
				.hasMessageContaining("8001 bytes");
			assertThatThrownBy(() -> template.notify("", "x")).isInstanceOf(IllegalArgumentException.class);
			assertThatThrownBy(() -> template.notify("é".repeat(32), "x")).isInstanceOf(IllegalArgumentException.class)
				.hasMessageContaining("64 bytes");
			template.notify("c", "x".repeat(7999));
		});
	}

	@Test
	void errorsSurfaceAsSpringExceptionsAndLeaveThePoolHealthy() {
		String table = TestDatabase.uniqueName("errors");
		TestDatabase.execute("CREATE TABLE " + table + " (id int PRIMARY KEY)", "INSERT INTO " + table + " VALUES (1)");
		this.runner.withPropertyValues("gdbpool.pools.primary.hikari.minimum-idle=4").run((context) -> {
			GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
			assertThatThrownBy(() -> template.queryForList("SELECT * FROM no_such_table_anywhere"))
				.isInstanceOfSatisfying(BadSqlGrammarException.class,
						(ex) -> assertThat(ex.getSQLException().getSQLState()).isEqualTo("42P01"))
				.hasMessageContaining("no_such_table_anywhere");
			assertThatThrownBy(() -> template.update("INSERT INTO " + table + " VALUES (1)"))
				.isInstanceOf(DuplicateKeyException.class)
				.hasMessageContaining("duplicate key");
			for (int i = 0; i < 1000; i++) {
				int n = i;
				assertThatThrownBy(() -> {
					if (n % 2 == 0) {
						template.queryForList("SELECT * FROM no_such_table_anywhere");
					}
					else {
						template.execute((status) -> template.update("INSERT INTO " + table + " VALUES (1)"));
					}
				}).isInstanceOf(DataAccessException.class);
			}
			HikariPoolMXBean pool = context.getBean(PoolRegistry.class)
				.get("primary")
				.getDataSource()
				.getHikariPoolMXBean();
			await().atMost(5, TimeUnit.SECONDS).until(() -> pool.getIdleConnections() == pool.getTotalConnections());
			assertThat(pool.getTotalConnections()).isEqualTo(4);
			assertThat(template.queryForList("SELECT 1 AS one")).containsExactly(Map.of("one", 1));
		});
	}

	@Test
	void aPoolThatCannotConnectSurfacesAsCannotGetJdbcConnection() {
		this.runner
			.withPropertyValues("gdbpool.pools.gone.url=jdbc:postgresql://127.0.0.1:1/test",
					"gdbpool.pools.gone.role=read", "gdbpool.pools.gone.hikari.connection-timeout=500")
			.run((context) -> {
				GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
				assertThatThrownBy(() -> template.onPool("gone").queryForList("SELECT 1"))
					.isInstanceOfAny(CannotGetJdbcConnectionException.class, DataAccessResourceFailureException.class);
			});
	}

	static int awaitLatch(CountDownLatch latch) {
		try {
			return latch.await(10, TimeUnit.SECONDS) ? 1 : 0;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return -1;
		}
	}

	static List<String> payloads(PGConnection connection, int expected) {
		try {
			return receive(connection, expected);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static List<String> receive(PGConnection connection, int expected) throws SQLException {
		List<String> payloads = new ArrayList<>();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (payloads.size() < expected && System.nanoTime() < deadline) {
			PGNotification[] batch = connection.getNotifications(100);
			if (batch != null) {
				for (PGNotification n : batch) {
					payloads.add(n.getParameter());
				}
			}
		}
		return payloads;
	}

	/**
	 * Every payload received up to and including {@code marker}: what arrived before a
	 * notification known to have been sent.
	 */
	static List<String> payloadsUntil(PGConnection connection, String marker) {
		List<String> payloads = new ArrayList<>();
		await().atMost(10, TimeUnit.SECONDS).until(() -> {
			PGNotification[] batch = connection.getNotifications(100);
			if (batch != null) {
				for (PGNotification n : batch) {
					payloads.add(n.getParameter());
				}
			}
			return payloads.contains(marker);
		});
		return payloads.subList(0, payloads.indexOf(marker) + 1);
	}

	/** Sends a notification on a connection of its own, committed at once. */
	static void notifyFromElsewhere(String channel, String payload) {
		try (Connection connection = TestDatabase.connect(TestDatabase.url());
				PreparedStatement statement = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
			statement.setString(1, channel);
			statement.setString(2, payload);
			statement.execute();
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static int countElsewhere(String table) {
		try (Connection connection = TestDatabase.connect(TestDatabase.url());
				Statement statement = connection.createStatement();
				var rs = statement.executeQuery("SELECT count(*) FROM " + table)) {
			rs.next();
			return rs.getInt(1);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static int pid(JdbcTemplate jdbc) {
		return ServerIdentity.of(jdbc).backendPid();
	}

	static int activeConnections(PoolRegistry pools, String name) {
		return pools.get(name).getDataSource().getHikariPoolMXBean().getActiveConnections();
	}

}
