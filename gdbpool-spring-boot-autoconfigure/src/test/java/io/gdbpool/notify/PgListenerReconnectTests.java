package io.gdbpool.notify;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.gdbpool.test.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A lost LISTEN connection, for real: the server ends the session, or the network goes silent.
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
		URI server = URI.create(TestDatabase.url().substring("jdbc:".length()));
		String database = server.getPath().substring(1);
		try (CuttableProxy proxy = new CuttableProxy(server.getHost(), server.getPort())) {
			String channel = TestDatabase.uniqueName("partitioned");
			List<String> received = new CopyOnWriteArrayList<>();
			List<Object> events = new CopyOnWriteArrayList<>();
			PgListenerContainer container = Notifications.container(proxy.url(database));
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
