package io.gdbpool.autoconfigure;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariConfig;

import io.gdbpool.GDBPoolTemplate;
import io.gdbpool.PartialTransaction;
import io.gdbpool.notify.PgListenerContainer;
import io.gdbpool.notify.PgNotificationListener;
import io.gdbpool.routing.Pool;
import io.gdbpool.routing.PoolFactory;
import io.gdbpool.routing.PoolRegistry;
import io.gdbpool.routing.PoolRole;
import io.gdbpool.routing.ReplicaMonitor;
import io.gdbpool.test.GDBPoolContextRunner;
import io.gdbpool.test.RowLocks;
import io.gdbpool.test.TestDatabase;
import io.gdbpool.transaction.PartialTransactions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Closing the context: the listener stops, open partial transactions roll back, pools
 * close; no thread of ours and no session of ours is left. The replica monitor and the
 * partial transaction reaper start before the web server would take traffic and stop
 * after it has drained, while the pools are still open.
 */
@ExtendWith(TestDatabase.class)
class ShutdownTests {

	private static final List<String> OUR_THREADS = List.of("gdbpool-listener", "gdbpool-notify-",
			"gdbpool-partial-expiry", "gdbpool-replica-monitor", "gdbpool-pool-probe", "gdbpool-async-");

	/**
	 * Boot's web server (WebServerStartStopLifecycle) and its graceful shutdown, in Boot
	 * 4.
	 */
	private static final int WEB_SERVER_PHASE = SmartLifecycle.DEFAULT_PHASE - 2048;

	private static final int GRACEFUL_SHUTDOWN_PHASE = SmartLifecycle.DEFAULT_PHASE - 1024;

	@Test
	void closingTheContextLeavesNoThreadNoSessionAndNoOpenTransaction() {
		String pool = TestDatabase.uniqueName("shut");
		String table = TestDatabase.uniqueName("shut_seat");
		TestDatabase.execute("CREATE TABLE " + table + " (id int PRIMARY KEY, held_by text)",
				"INSERT INTO " + table + " VALUES (1, NULL)");
		int[] listenerPid = new int[1];
		GDBPoolContextRunner.create()
			.withConfiguration(AutoConfigurations.of(GDBPoolListenerAutoConfiguration.class,
					GDBPoolMetricsAutoConfiguration.class))
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
		await().atMost(Duration.ofSeconds(10))
			.until(() -> sessions("application_name LIKE 'gdbpool-" + pool + "%'") == 0);
		await().atMost(Duration.ofSeconds(10)).until(() -> sessions("pid = " + listenerPid[0]) == 0);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
				.noneMatch((name) -> name.contains(pool) || OUR_THREADS.stream().anyMatch(name::startsWith)));
	}

	@Test
	void theMonitorAndTheReaperRunFromBeforeTheWebServerStartsUntilAfterItDrainedAndThePoolsCloseLast() {
		String pool = TestDatabase.uniqueName("order");
		List<String> events = new CopyOnWriteArrayList<>();
		Map<String, Object> beans = new ConcurrentHashMap<>();
		GDBPoolContextRunner.create()
			.withConfiguration(AutoConfigurations.of(GDBPoolListenerAutoConfiguration.class))
			.withUserConfiguration(PhaseProbes.class)
			.withBean("events", List.class, () -> events)
			.withPropertyValues(GDBPoolContextRunner.pool(pool, TestDatabase.url(), "write"))
			.withPropertyValues(GDBPoolContextRunner.pool(pool + "_r", TestDatabase.replicaUrl(), "read"))
			.withPropertyValues("gdbpool.listener.channels=" + pool)
			.run((context) -> {
				ReplicaMonitor monitor = context.getBean(ReplicaMonitor.class);
				PartialTransactions reaper = context.getBean(PartialTransactions.class);
				beans.put("monitor", monitor);
				beans.put("reaper", reaper);
				beans.put("pools", context.getBean(PoolRegistry.class));
				// the refresh started them, as SmartLifecycle beans of their documented
				// phases
				assertThat(monitor.isRunning()).isTrue();
				assertThat(monitor.isAutoStartup()).isTrue();
				assertThat(monitor.getPhase()).isEqualTo(ReplicaMonitor.PHASE).isLessThan(PartialTransactions.PHASE);
				assertThat(reaper.isRunning()).isTrue();
				assertThat(reaper.isAutoStartup()).isTrue();
				assertThat(reaper.getPhase()).isEqualTo(PartialTransactions.PHASE).isLessThan(WEB_SERVER_PHASE);
				assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
					.contains("gdbpool-replica-monitor", "gdbpool-partial-expiry");
				assertThat(context.getBean(PgListenerContainer.class).getPhase()).isEqualTo(PgListenerContainer.PHASE)
					.isLessThan(WEB_SERVER_PHASE)
					.isGreaterThan(PartialTransactions.PHASE);
				assertThat(events)
					.containsExactly("web server start: monitor running, reaper running, listener running");
				events.clear();
			});
		ReplicaMonitor monitor = (ReplicaMonitor) beans.get("monitor");
		PartialTransactions reaper = (PartialTransactions) beans.get("reaper");
		PoolRegistry pools = (PoolRegistry) beans.get("pools");
		assertThat(events).containsExactly(
				"graceful shutdown: monitor running, reaper running, listener running, pools open",
				"web server stop: monitor running, reaper running, listener running, pools open",
				"after the listener: monitor running, reaper running, listener stopped, pools open",
				"after the reaper: monitor running, reaper stopped, listener stopped, pools open",
				"after the monitor: monitor stopped, reaper stopped, listener stopped, pools open");
		// destroyed after every lifecycle bean stopped
		assertThat(monitor.isRunning()).isFalse();
		assertThat(reaper.isRunning()).isFalse();
		assertThat(pools.pools()).allMatch((each) -> each.getDataSource().isClosed());
	}

	@Test
	void builtByHandTheyStartNoThreadUntilStartAndCanBeStartedAgain() {
		String name = TestDatabase.uniqueName("byhand");
		HikariConfig settings = new HikariConfig();
		settings.setJdbcUrl(TestDatabase.url());
		settings.setUsername(TestDatabase.USER);
		settings.setPassword(TestDatabase.password());
		settings.setMaximumPoolSize(2);
		try (PoolRegistry pools = new PoolRegistry(
				List.of(new PoolFactory().open(name, PoolRole.WRITE, settings, false)), name)) {
			ReplicaMonitor monitor = new ReplicaMonitor(pools, Duration.ofSeconds(1), null, -1);
			PartialTransactions reaper = new PartialTransactions(pools.defaultWritePool().getDataSource(),
					Duration.ofSeconds(30));
			assertThat(monitor.isRunning()).isFalse();
			assertThat(reaper.isRunning()).isFalse();
			monitor.start();
			reaper.start();
			assertThat(monitor.isRunning()).isTrue();
			assertThat(reaper.isRunning()).isTrue();
			monitor.stop();
			reaper.stop();
			assertThat(monitor.isRunning()).isFalse();
			assertThat(reaper.isRunning()).isFalse();
			monitor.start();
			reaper.start();
			assertThat(monitor.isRunning()).isTrue();
			assertThat(reaper.isRunning()).isTrue();
			monitor.close();
			reaper.close();
			assertThat(monitor.isRunning()).isFalse();
			assertThat(reaper.isRunning()).isFalse();
		}
	}

	/**
	 * A {@link SmartLifecycle} in a given phase that writes down what it sees of ours
	 * when it starts and stops. It looks our beans up only then: a dependency on them
	 * would make the context start and stop them around it, whatever their phase.
	 */
	static final class PhaseProbe implements SmartLifecycle {

		private final String onStart;

		private final String onStop;

		private final int phase;

		private final BeanFactory beanFactory;

		private volatile boolean running;

		PhaseProbe(String onStart, String onStop, int phase, BeanFactory beanFactory) {
			this.onStart = onStart;
			this.onStop = onStop;
			this.phase = phase;
			this.beanFactory = beanFactory;
		}

		@Override
		public void start() {
			this.running = true;
			if (this.onStart != null) {
				record(this.onStart + ": monitor " + state(this.beanFactory.getBean(ReplicaMonitor.class)) + ", reaper "
						+ state(this.beanFactory.getBean(PartialTransactions.class)) + ", listener "
						+ state(this.beanFactory.getBean(PgListenerContainer.class)));
			}
		}

		@Override
		public void stop() {
			this.running = false;
			if (this.onStop != null) {
				boolean open = this.beanFactory.getBean(PoolRegistry.class)
					.pools()
					.stream()
					.map(Pool::getDataSource)
					.noneMatch((dataSource) -> dataSource.isClosed());
				record(this.onStop + ": monitor " + state(this.beanFactory.getBean(ReplicaMonitor.class)) + ", reaper "
						+ state(this.beanFactory.getBean(PartialTransactions.class)) + ", listener "
						+ state(this.beanFactory.getBean(PgListenerContainer.class)) + ", pools "
						+ (open ? "open" : "closed"));
			}
		}

		@SuppressWarnings("unchecked")
		private void record(String event) {
			((List<String>) this.beanFactory.getBean("events")).add(event);
		}

		private static String state(SmartLifecycle lifecycle) {
			return lifecycle.isRunning() ? "running" : "stopped";
		}

		@Override
		public boolean isRunning() {
			return this.running;
		}

		@Override
		public int getPhase() {
			return this.phase;
		}

	}

	/**
	 * Stand-ins for Boot's web server lifecycles, in their phases, and probes after ours.
	 */
	@Configuration(proxyBeanMethods = false)
	static class PhaseProbes {

		@Bean
		PhaseProbe gracefulShutdownProbe(BeanFactory beanFactory) {
			return new PhaseProbe(null, "graceful shutdown", GRACEFUL_SHUTDOWN_PHASE, beanFactory);
		}

		@Bean
		PhaseProbe webServerProbe(BeanFactory beanFactory) {
			return new PhaseProbe("web server start", "web server stop", WEB_SERVER_PHASE, beanFactory);
		}

		@Bean
		PhaseProbe afterListenerProbe(BeanFactory beanFactory) {
			return new PhaseProbe(null, "after the listener", PgListenerContainer.PHASE - 1, beanFactory);
		}

		@Bean
		PhaseProbe afterReaperProbe(BeanFactory beanFactory) {
			return new PhaseProbe(null, "after the reaper", PartialTransactions.PHASE - 1, beanFactory);
		}

		@Bean
		PhaseProbe afterMonitorProbe(BeanFactory beanFactory) {
			return new PhaseProbe(null, "after the monitor", ReplicaMonitor.PHASE - 1, beanFactory);
		}

	}

	private static int sessions(String where) {
		try (Connection connection = TestDatabase.connect(TestDatabase.url());
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE " + where)) {
			rs.next();
			return rs.getInt(1);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
