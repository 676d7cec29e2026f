package io.gdbpool.autoconfigure;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.gdbpool.GDBPoolTemplate;
import io.gdbpool.PartialTransaction;
import io.gdbpool.notify.PgListenerContainer;
import io.gdbpool.notify.PgNotificationListener;
import io.gdbpool.test.GDBPoolContextRunner;
import io.gdbpool.test.RowLocks;
import io.gdbpool.test.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Closing the context: the listener stops, open partial transactions roll back, pools close; no
 * thread of ours and no session of ours is left.
 */
@ExtendWith(TestDatabase.class)
class ShutdownTests {

	private static final List<String> OUR_THREADS = List.of("gdbpool-listener", "gdbpool-notify-", "gdbpool-partial-expiry",
			"gdbpool-replica-monitor", "gdbpool-pool-probe", "gdbpool-async-");

	@Test
	void closingTheContextLeavesNoThreadNoSessionAndNoOpenTransaction() {
		String pool = TestDatabase.uniqueName("shut");
		String table = TestDatabase.uniqueName("shut_seat");
		TestDatabase.execute("CREATE TABLE " + table + " (id int PRIMARY KEY, held_by text)", "INSERT INTO " + table + " VALUES (1, NULL)");
		int[] listenerPid = new int[1];
		GDBPoolContextRunner.create()
			.withConfiguration(AutoConfigurations.of(GDBPoolListenerAutoConfiguration.class, GDBPoolMetricsAutoConfiguration.class))
			.withPropertyValues(GDBPoolContextRunner.pool(pool, TestDatabase.url(), "write"))
			.withPropertyValues(GDBPoolContextRunner.pool(pool + "_r", TestDatabase.replicaUrl(), "read"))
			.withPropertyValues("gdbpool.listener.channels=" + pool)
			.run((context) -> {
				GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
				PartialTransaction<Integer> hold = template
					.begin((status) -> template.update("UPDATE " + table + " SET held_by = 'never' WHERE id = 1"));
				assertThat(hold.isOpen()).isTrue();
				assertThat(template.executeAsync((status) -> 1).get(10, TimeUnit.SECONDS)).isEqualTo(1);
				assertThat(template.readOnly().queryForList("SELECT 1")).hasSize(1);
				PgNotificationListener listener = context.getBean(PgNotificationListener.class);
				assertThat(listener.isConnected()).isTrue();
				listenerPid[0] = ((PgListenerContainer) listener).backendPid();
				assertThat(sessions("application_name LIKE 'gdbpool-" + pool + "%'")).isPositive();
				assertThat(RowLocks.lockableElsewhere(table, 1)).isFalse();
			});
		// the partial transaction was rolled back, its lock released
		assertThat(RowLocks.lockableElsewhere(table, 1)).isTrue();
		assertThat(RowLocks.heldByElsewhere(table, 1)).isNull();
		await().atMost(Duration.ofSeconds(10)).until(() -> sessions("application_name LIKE 'gdbpool-" + pool + "%'") == 0);
		await().atMost(Duration.ofSeconds(10)).until(() -> sessions("pid = " + listenerPid[0]) == 0);
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Thread.getAllStackTraces().keySet())
			.extracting(Thread::getName)
			.noneMatch((name) -> name.contains(pool) || OUR_THREADS.stream().anyMatch(name::startsWith)));
	}

	private static int sessions(String where) {
		try (Connection connection = TestDatabase.connect(TestDatabase.url()); Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE " + where)) {
			rs.next();
			return rs.getInt(1);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
