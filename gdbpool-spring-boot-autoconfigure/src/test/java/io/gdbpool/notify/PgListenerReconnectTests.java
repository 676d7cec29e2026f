package io.gdbpool.notify;

import java.io.IOException;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;

import io.gdbpool.test.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * A lost LISTEN connection, for real: the server ends the session, the network goes
 * silent, the server goes away for a while or freezes.
 */
@ExtendWith(TestDatabase.class)
class PgListenerReconnectTests {

	@Test
	void terminatedSessionIsReplacedAndEveryChannelListenedAgain() {
		String first = TestDatabase.uniqueName("first");
		String second = TestDatabase.uniqueName("second");
		List<String> received = new CopyOnWriteArrayList<>();
		List<Object> events = new CopyOnWriteArrayList<>();
		PgListenerContainer container = Notifications.container(TestDatabase.url());
		container.setApplicationEventPublisher(events::add);
		container.setReconnectMaxBackoff(Duration.ofMillis(500));
		container.subscribe(first, (n) -> received.add(n.payload()));
		container.subscribe(second, (n) -> received.add(n.payload()));
		container.start();
		try {
			Notifications.send(first, "before");
			await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("before"));
			int pid = container.backendPid();

			Notifications.terminateListener(pid);
			await().atMost(Duration.ofSeconds(10)).until(() -> !container.isConnected());
			PgListenerReconnectedEvent reconnected = awaitReconnected(events);
			assertThat(container.isConnected()).isTrue();
			assertThat(container.backendPid()).isNotEqualTo(pid);
			assertThat(reconnected.channels()).containsExactlyInAnyOrder(first, second);
			assertThat(reconnected.downtime()).isPositive();
			assertThat(container.getReconnects()).isEqualTo(1);

			// everything sent after the event arrives, on every channel
			Notifications.send(first, "after-1");
			Notifications.send(second, "after-2");
			await().atMost(Duration.ofSeconds(10)).until(() -> received.containsAll(List.of("after-1", "after-2")));
		}
		finally {
			container.stop();
		}
	}

	/**
	 * Nothing closes in a silent partition: only the missing liveness echo tells. How
	 * soon is a matter of the ping's timing ({@link LivenessTests}), not of this
	 * machine's speed.
	 */
	@Test
	void silentNetworkPartitionIsNoticedByTheLivenessPing() throws Exception {
		try (CuttableProxy proxy = proxyToTheDatabase()) {
			String channel = TestDatabase.uniqueName("partitioned");
			List<String> received = new CopyOnWriteArrayList<>();
			List<Object> events = new CopyOnWriteArrayList<>();
			PgListenerContainer container = Notifications.container(proxy.url(database()));
			container.setApplicationEventPublisher(events::add);
			container.setLivenessInterval(Duration.ofSeconds(2));
			container.setReconnectMaxBackoff(Duration.ofMillis(500));
			container.subscribe(channel, (n) -> received.add(n.payload()));
			container.start();
			try {
				Notifications.send(channel, "before");
				await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("before"));

				proxy.cut();
				await().atMost(Duration.ofSeconds(10)).until(() -> !container.isConnected());
				assertThat(events).noneMatch(PgListenerReconnectedEvent.class::isInstance);

				proxy.restore();
				PgListenerReconnectedEvent reconnected = awaitReconnected(events);
				assertThat(reconnected.channels()).containsExactly(channel);
				assertThat(reconnected.cause()).isNotBlank();
				assertThat(container.isConnected()).isTrue();
				Notifications.send(channel, "after");
				await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("after"));
			}
			finally {
				container.stop();
			}
		}
	}

	/**
	 * A server that was down is listened to again once it accepts connections, twice in a
	 * row: nothing of the first outage may hold up the second. That the first attempt
	 * comes within one TCP check of the server's return, however long it was away, is
	 * shown on a simulated clock ({@link ReconnectionTests}).
	 */
	@Test
	void aServerThatWasDownIsListenedToAgainOnceItAcceptsConnections() throws Exception {
		try (CuttableProxy proxy = proxyToTheDatabase()) {
			String channel = TestDatabase.uniqueName("outage");
			List<String> received = new CopyOnWriteArrayList<>();
			List<Object> events = new CopyOnWriteArrayList<>();
			PgListenerContainer container = Notifications.container(proxy.url(database()));
			container.setApplicationEventPublisher(events::add);
			container.setReconnectMaxBackoff(Duration.ofSeconds(30));
			container.subscribe(channel, (n) -> received.add(n.payload()));
			container.start();
			try {
				for (int round = 1; round <= 2; round++) {
					String before = "before-" + round;
					String after = "after-" + round;
					Notifications.send(channel, before);
					await().atMost(Duration.ofSeconds(10)).until(() -> received.contains(before));

					proxy.refuseConnections();
					await().atMost(Duration.ofSeconds(10)).until(() -> !container.isConnected());
					long downSince = System.nanoTime();

					proxy.acceptConnections();
					long acceptingSince = System.nanoTime();
					await().atMost(Duration.ofSeconds(10)).until(container::isConnected);
					Notifications.send(channel, after);
					await().atMost(Duration.ofSeconds(10)).until(() -> received.contains(after));

					PgListenerReconnectedEvent reconnected = awaitReconnected(events, round);
					assertThat(reconnected.channels()).containsExactly(channel);
					assertThat(reconnected.downtime())
						.isGreaterThanOrEqualTo(Duration.ofNanos(acceptingSince - downSince));
					assertThat(reconnected.backAt()).isEqualTo(reconnected.lostAt().plus(reconnected.downtime()));
					assertThat(reconnected.attempts()).isPositive();
					assertThat(reconnected.cause()).isNotBlank();
				}
				assertThat(container.getReconnects()).isEqualTo(2);
			}
			finally {
				container.stop();
			}
		}
	}

	/**
	 * What PostgreSQL can keep: every notification committed once the listener is back
	 * arrives. Those committed between the server's return and the new LISTEN are lost by
	 * design.
	 */
	@Test
	void notificationsCommittedOnceTheListenerIsBackAreNotLost() throws Exception {
		try (CuttableProxy proxy = proxyToTheDatabase()) {
			String channel = TestDatabase.uniqueName("back");
			ConcurrentSkipListSet<Integer> received = new ConcurrentSkipListSet<>();
			PgListenerContainer container = Notifications.container(proxy.url(database()));
			container.setReconnectMaxBackoff(Duration.ofSeconds(30));
			container.subscribe(channel, (n) -> received.add(Integer.valueOf(n.payload())));
			container.start();
			try {
				proxy.refuseConnections();
				await().atMost(Duration.ofSeconds(10)).until(() -> !container.isConnected());

				// from the server's return on, a notification every 20 ms straight to the
				// server, each marked with whether the listener said it was connected
				// before the commit, until twenty were sent with the listener back
				List<Boolean> connectedBefore = new ArrayList<>();
				proxy.acceptConnections();
				try (Connection sender = TestDatabase.connect(TestDatabase.url())) {
					await().atMost(Duration.ofSeconds(20))
						.pollInSameThread()
						.pollDelay(Duration.ZERO)
						.pollInterval(Duration.ofMillis(20))
						.until(() -> {
							boolean connected = container.isConnected();
							Notifications.send(sender, channel, List.of(Integer.toString(connectedBefore.size())));
							connectedBefore.add(connected);
							return connectedBefore.stream().filter(Boolean::booleanValue).count() >= 20;
						});
				}
				int sent = connectedBefore.size();
				await().atMost(Duration.ofSeconds(10)).until(() -> received.contains(sent - 1));

				int firstOnceBack = connectedBefore.indexOf(Boolean.TRUE);
				for (int i = firstOnceBack; i < sent; i++) {
					assertThat(received).as("notification %d, sent once the listener was back", i).contains(i);
				}
				// once one arrived, none after it was lost
				int firstReceived = received.first();
				for (int i = firstReceived; i < sent; i++) {
					assertThat(received).contains(i);
				}
			}
			finally {
				container.stop();
			}
		}
	}

	/**
	 * A frozen server (SIGSTOP) still accepts TCP connections but never answers: the
	 * listener does not take an attempt that reached it for a connection, and once it
	 * answers again the listener is back. (That the driver's connect and login timeouts
	 * end such an attempt is in {@link LivenessTests}.)
	 */
	@Test
	void frozenServerIsListenedToAgainOnceItAnswers() throws Exception {
		try (CuttableProxy proxy = proxyToTheDatabase()) {
			String channel = TestDatabase.uniqueName("frozen");
			List<String> received = new CopyOnWriteArrayList<>();
			List<Object> events = new CopyOnWriteArrayList<>();
			PgListenerContainer container = Notifications.container(proxy.url(database()));
			container.setApplicationEventPublisher(events::add);
			container.setLivenessInterval(Duration.ofSeconds(2));
			container.setReconnectMaxBackoff(Duration.ofSeconds(30));
			container.subscribe(channel, (n) -> received.add(n.payload()));
			container.start();
			try {
				proxy.cut();
				await().atMost(Duration.ofSeconds(10)).until(() -> !container.isConnected());
				// a reconnection makes a TCP check, then an attempt: two connections more
				// mean an attempt has reached the frozen server
				int accepted = proxy.accepted();
				await().atMost(Duration.ofSeconds(20)).until(() -> proxy.accepted() >= accepted + 2);
				assertThat(container.isConnected()).isFalse();
				assertThat(events).noneMatch(PgListenerReconnectedEvent.class::isInstance);

				proxy.restore();
				await().atMost(Duration.ofSeconds(10)).until(container::isConnected);
				Notifications.send(channel, "thawed");
				await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("thawed"));
				PgListenerReconnectedEvent reconnected = awaitReconnected(events);
				assertThat(reconnected.cause()).isNotBlank();
				assertThat(reconnected.attempts()).isPositive();
			}
			finally {
				container.stop();
			}
		}
	}

	/**
	 * A server that is up but refuses the listener (here: its role may no longer log in)
	 * says so with an SQLState the reconnection takes for a refusal, which it paces like
	 * one ({@link ReconnectionTests}); once the server lets it in again, the listener is
	 * back.
	 */
	@Test
	void aServerThatRefusesTheListenerIsToldApartAndLetsItBackLater() throws Exception {
		String role = TestDatabase.uniqueName("listener_role");
		TestDatabase.execute("CREATE ROLE " + role + " LOGIN PASSWORD 'refused'");
		try {
			Properties properties = new Properties();
			properties.setProperty("user", role);
			properties.setProperty("password", "refused");
			PgListenerContainer container = new PgListenerContainer(TestDatabase.url(), properties);
			List<Object> events = new CopyOnWriteArrayList<>();
			container.setApplicationEventPublisher(events::add);
			container.setReconnectMaxBackoff(Duration.ofSeconds(4));
			container.subscribe(TestDatabase.uniqueName("refused"), (n) -> {
			});
			container.start();
			try {
				TestDatabase.execute("ALTER ROLE " + role + " NOLOGIN");
				Notifications.terminateListener(container.backendPid());
				await().atMost(Duration.ofSeconds(10)).until(() -> !container.isConnected());
				SQLException refusal = catchThrowableOfType(SQLException.class,
						() -> DriverManager.getConnection(TestDatabase.url(), properties).close());
				assertThat(Reconnection.refusesUs(refusal)).as("SQLState %s", refusal.getSQLState()).isTrue();

				TestDatabase.execute("ALTER ROLE " + role + " LOGIN");
				PgListenerReconnectedEvent reconnected = awaitReconnected(events);
				assertThat(reconnected.attempts()).isPositive();
				assertThat(container.isConnected()).isTrue();
			}
			finally {
				container.stop();
			}
		}
		finally {
			TestDatabase.execute("DROP ROLE " + role);
		}
	}

	/**
	 * stop() ends a reconnection: the reader thread is gone when it returns. That it does
	 * so at once, whatever the reconnection waits for, is shown in
	 * {@link ReconnectionTests}.
	 */
	@Test
	void stopEndsAReconnection() throws Exception {
		try (CuttableProxy proxy = proxyToTheDatabase()) {
			PgListenerContainer container = Notifications.container(proxy.url(database()));
			container.setReconnectMaxBackoff(Duration.ofSeconds(30));
			container.subscribe(TestDatabase.uniqueName("stopping"), (n) -> {
			});
			container.start();
			proxy.refuseConnections();
			await().atMost(Duration.ofSeconds(10)).until(() -> !container.isConnected());
			container.stop();
			assertThat(container.isRunning()).isFalse();
			assertThat(Thread.getAllStackTraces().keySet())
				.noneMatch((thread) -> thread.isAlive() && thread.getName().equals("gdbpool-listener"));
		}
	}

	private static CuttableProxy proxyToTheDatabase() throws IOException {
		URI server = URI.create(TestDatabase.url().substring("jdbc:".length()));
		return new CuttableProxy(server.getHost(), server.getPort());
	}

	private static String database() {
		return URI.create(TestDatabase.url().substring("jdbc:".length())).getPath().substring(1);
	}

	/**
	 * @param n which reconnection, from 1
	 */
	private static PgListenerReconnectedEvent awaitReconnected(List<Object> events, int n) {
		await().atMost(Duration.ofSeconds(20))
			.until(() -> events.stream().filter(PgListenerReconnectedEvent.class::isInstance).count() >= n);
		return events.stream()
			.filter(PgListenerReconnectedEvent.class::isInstance)
			.map(PgListenerReconnectedEvent.class::cast)
			.skip(n - 1)
			.findFirst()
			.orElseThrow();
	}

	private static PgListenerReconnectedEvent awaitReconnected(List<Object> events) {
		await().atMost(Duration.ofSeconds(20))
			.until(() -> events.stream().anyMatch(PgListenerReconnectedEvent.class::isInstance));
		return events.stream()
			.filter(PgListenerReconnectedEvent.class::isInstance)
			.map(PgListenerReconnectedEvent.class::cast)
			.findFirst()
			.orElseThrow();
	}

}
