package io.gdbpool.notify;

import java.io.IOException;
import java.net.URI;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.gdbpool.test.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A lost LISTEN connection, for real: the server ends the session, the network goes silent, the
 * server goes away for a while or freezes.
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

	@Test
	void silentNetworkPartitionIsNoticedWithinTheLivenessInterval() throws Exception {
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
				long cutAt = System.nanoTime();
				// nothing closes: only the missing liveness echo tells
				await().atMost(Duration.ofSeconds(10)).until(() -> !container.isConnected());
				Duration noticed = Duration.ofNanos(System.nanoTime() - cutAt);
				assertThat(noticed).isLessThanOrEqualTo(Duration.ofSeconds(2).plusMillis(500));

				// attempts through the partition fail: still down
				Thread.sleep(1500);
				assertThat(container.isConnected()).isFalse();
				assertThat(events).noneMatch(PgListenerReconnectedEvent.class::isInstance);

				proxy.restore();
				PgListenerReconnectedEvent reconnected = awaitReconnected(events);
				assertThat(reconnected.channels()).containsExactly(channel);
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
	 * Once the server accepts connections again the listener is back at once, however long it was
	 * away: a back-off that kept doubling during the outage would now pause for seconds.
	 */
	@Test
	void afterALongOutageTheListenerIsBackSoonAfterTheServerAcceptsConnectionsAgain() throws Exception {
		Duration outage = Duration.ofSeconds(8);
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
				// twice, the second outage right after the first return: nothing of the first may
				// slow the second (and a jittered back-off could hit the window by luck once)
				for (int round = 1; round <= 2; round++) {
					String before = "before-" + round;
					String after = "after-" + round;
					Notifications.send(channel, before);
					await().atMost(Duration.ofSeconds(10)).until(() -> received.contains(before));

					proxy.refuseConnections();
					await().atMost(Duration.ofSeconds(5)).until(() -> !container.isConnected());
					long downSince = System.nanoTime();
					Thread.sleep(outage.toMillis());
					assertThat(container.isConnected()).isFalse();

					proxy.acceptConnections();
					long acceptingSince = System.nanoTime();
					await().atMost(Duration.ofSeconds(3)).until(container::isConnected);
					Notifications.send(channel, after);
					await().atMost(Duration.ofSeconds(3)).until(() -> received.contains(after));

					PgListenerReconnectedEvent reconnected = awaitReconnected(events, round);
					assertThat(reconnected.channels()).containsExactly(channel);
					assertThat(reconnected.downtime()).isGreaterThanOrEqualTo(Duration.ofNanos(acceptingSince - downSince));
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
	 * What PostgreSQL can keep: every notification committed once the listener is back arrives.
	 * Those committed between the server's return and the new LISTEN are lost by design; the
	 * window is short.
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
				await().atMost(Duration.ofSeconds(5)).until(() -> !container.isConnected());
				Thread.sleep(3000);

				// from the server's return on, a notification every 20 ms straight to the server,
				// each marked with whether the listener said it was connected before the commit
				List<Boolean> connectedBefore = new ArrayList<>();
				proxy.acceptConnections();
				long acceptingSince = System.nanoTime();
				int sentOnceBack = 0;
				try (Connection sender = TestDatabase.connect(TestDatabase.url())) {
					while (sentOnceBack < 20) {
						assertThat(System.nanoTime() - acceptingSince).isLessThan(TimeUnit.SECONDS.toNanos(10));
						boolean connected = container.isConnected();
						Notifications.send(sender, channel, List.of(Integer.toString(connectedBefore.size())));
						connectedBefore.add(connected);
						sentOnceBack += connected ? 1 : 0;
						Thread.sleep(20);
					}
				}
				int sent = connectedBefore.size();
				await().atMost(Duration.ofSeconds(5)).until(() -> received.contains(sent - 1));

				int firstOnceBack = connectedBefore.indexOf(Boolean.TRUE);
				for (int i = firstOnceBack; i < sent; i++) {
					assertThat(received).as("notification %d, sent once the listener was back", i).contains(i);
				}
				// once one arrived, none after it was lost
				int firstReceived = received.first();
				for (int i = firstReceived; i < sent; i++) {
					assertThat(received).contains(i);
				}
				// the lost ones are those of the short window before the new LISTEN: well under 3 s
				assertThat(firstReceived).isLessThan(3000 / 20);
			}
			finally {
				container.stop();
			}
		}
	}

	/**
	 * A frozen server (SIGSTOP) still accepts TCP connections but never answers: each attempt is
	 * ended by the driver's connect and login timeouts, and once it answers again the listener is
	 * back within seconds.
	 */
	@Test
	void frozenServerIsListenedToAgainSoonAfterItAnswers() throws Exception {
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
				await().atMost(Duration.ofSeconds(5)).until(() -> !container.isConnected());
				Thread.sleep(5000);
				assertThat(container.isConnected()).isFalse();

				proxy.restore();
				await().atMost(Duration.ofSeconds(3)).until(container::isConnected);
				Notifications.send(channel, "thawed");
				await().atMost(Duration.ofSeconds(3)).until(() -> received.contains("thawed"));
				assertThat(awaitReconnected(events).cause()).isNotBlank();
			}
			finally {
				container.stop();
			}
		}
	}

	/**
	 * A server that is up but refuses the listener (here: its role may no longer log in) is not
	 * asked every half second like a server that is starting: those attempts back off up to
	 * reconnect-max-backoff, and the listener is back once the server lets it in again.
	 */
	@Test
	void aServerThatRefusesTheListenerIsAskedLessAndLessOften() throws Exception {
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
				await().atMost(Duration.ofSeconds(5)).until(() -> !container.isConnected());
				Thread.sleep(6000);
				TestDatabase.execute("ALTER ROLE " + role + " LOGIN");
				PgListenerReconnectedEvent reconnected = awaitReconnected(events);
				// paced like a server that is not ready yet, 6 s would take a dozen attempts or more
				assertThat(reconnected.attempts()).isBetween(3, 9);
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
	 * stop() ends a reconnection at once, whatever it waits for.
	 */
	@Test
	void stopEndsAReconnectionPromptly() throws Exception {
		try (CuttableProxy proxy = proxyToTheDatabase()) {
			PgListenerContainer container = Notifications.container(proxy.url(database()));
			container.setReconnectMaxBackoff(Duration.ofSeconds(30));
			container.subscribe(TestDatabase.uniqueName("stopping"), (n) -> {
			});
			container.start();
			proxy.refuseConnections();
			await().atMost(Duration.ofSeconds(5)).until(() -> !container.isConnected());
			// long enough for the pause between attempts while the server is away to have grown
			Thread.sleep(2000);
			long stopping = System.nanoTime();
			container.stop();
			assertThat(Duration.ofNanos(System.nanoTime() - stopping)).isLessThan(Duration.ofSeconds(2));
			assertThat(container.isRunning()).isFalse();
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
