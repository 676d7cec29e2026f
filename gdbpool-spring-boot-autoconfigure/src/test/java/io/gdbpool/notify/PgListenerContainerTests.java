package io.gdbpool.notify;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.gdbpool.test.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The LISTEN container against the real server, without Spring Boot: delivery, order,
 * channel names, failing and slow handlers, overflow, subscriptions and shutdown.
 */
@ExtendWith(TestDatabase.class)
class PgListenerContainerTests {

	private final List<PgListenerContainer> started = new ArrayList<>();

	private final List<Object> events = new CopyOnWriteArrayList<>();

	@AfterEach
	void stopContainers() {
		this.started.forEach(PgListenerContainer::stop);
	}

	@Test
	void deliversChannelPayloadSenderAndTimeInSendOrder() throws Exception {
		String channel = TestDatabase.uniqueName("MixedCase");
		List<PgNotification> received = new CopyOnWriteArrayList<>();
		PgListenerContainer container = start((c) -> c.subscribe(channel, received::add));
		int senderPid;
		try (Connection connection = TestDatabase.connect(TestDatabase.url());
				Statement statement = connection.createStatement()) {
			try (ResultSet rs = statement.executeQuery("SELECT pg_backend_pid()")) {
				rs.next();
				senderPid = rs.getInt(1);
			}
			Notifications.send(connection, channel, List.of("one", "two", "three"));
			// the lower-cased name is another channel: names are used exactly
			Notifications.send(connection, channel.toLowerCase(), List.of("not for us"));
			// sent after it: once this one is here, the one before would have been too
			Notifications.send(connection, channel, List.of("last"));
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 4);
		assertThat(received).extracting(PgNotification::payload).containsExactly("one", "two", "three", "last");
		assertThat(received).allSatisfy((n) -> {
			assertThat(n.channel()).isEqualTo(channel);
			assertThat(n.pid()).isEqualTo(senderPid);
			assertThat(n.receivedAt()).isNotNull();
		});
		assertThat(container.statistics(channel).received()).isEqualTo(4);
		assertThat(container.statistics()).extracting(ChannelStatistics::channel).containsExactly(channel);
		assertThat(container.isConnected()).isTrue();
		assertThat(container.channels()).containsExactly(channel);
		// the event follows the handlers
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.events.stream().filter(PgNotificationEvent.class::isInstance).count() == 4);
	}

	@Test
	void channelNameCannotInjectSql() {
		String table = TestDatabase.uniqueName("victim");
		TestDatabase.execute("CREATE TABLE " + table + " (id int)");
		String channel = "x\"; DROP TABLE " + table + "; --";
		List<String> received = new CopyOnWriteArrayList<>();
		start((c) -> c.subscribe(channel, (n) -> received.add(n.payload())));
		Notifications.send(channel, "still here");
		await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
		assertThat(received).containsExactly("still here");
		TestDatabase.execute("SELECT count(*) FROM " + table, "DROP TABLE " + table);
	}

	@Test
	void runtimeSubscriptionListensAtOnceAndLastCancelUnlistens() throws Exception {
		PgListenerContainer container = start((c) -> {
		});
		String channel = TestDatabase.uniqueName("runtime");
		List<String> first = new CopyOnWriteArrayList<>();
		List<String> second = new CopyOnWriteArrayList<>();
		Subscription a = container.subscribe(channel, (n) -> first.add(n.payload()));
		Subscription b = container.subscribe(channel, (n) -> second.add(n.payload()));
		// subscribe returned after LISTEN: a notification sent right away arrives
		Notifications.send(channel, "1");
		await().atMost(Duration.ofSeconds(10)).until(() -> first.size() == 1 && second.size() == 1);

		a.cancel();
		a.cancel();
		assertThat(container.channels()).contains(channel);
		Notifications.send(channel, "2");
		await().atMost(Duration.ofSeconds(10)).until(() -> second.size() == 2);
		assertThat(first).containsExactly("1");

		b.cancel();
		assertThat(container.channels()).doesNotContain(channel);
		Notifications.send(channel, "3");
		// listened to again: what is sent from now on arrives, what was sent before
		// cannot have
		List<String> third = new CopyOnWriteArrayList<>();
		container.subscribe(channel, (n) -> third.add(n.payload()));
		Notifications.send(channel, "4");
		await().atMost(Duration.ofSeconds(10)).until(() -> third.size() == 1);
		assertThat(third).containsExactly("4");
		assertThat(first).containsExactly("1");
		assertThat(second).containsExactly("1", "2");
		// the session did not listen while "3" was sent: the reader never read it
		assertThat(container.statistics(channel).received()).isEqualTo(3);
	}

	@Test
	void throwingHandlerIsCountedAndLaterNotificationsStillArrive() {
		String channel = TestDatabase.uniqueName("failing");
		List<String> received = new CopyOnWriteArrayList<>();
		PgListenerContainer container = start((c) -> c.subscribe(channel, (n) -> {
			received.add(n.payload());
			if (n.payload().equals("bad")) {
				throw new IllegalStateException("handler fails on purpose");
			}
		}));
		Notifications.send(channel, "before", "bad", "after");
		await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 3);
		assertThat(received).containsExactly("before", "bad", "after");
		assertThat(container.statistics(channel).handlerFailures()).isEqualTo(1);
	}

	@Test
	void slowChannelDoesNotDelayAnother() throws Exception {
		String slow = TestDatabase.uniqueName("slow");
		String fast = TestDatabase.uniqueName("fast");
		CountDownLatch release = new CountDownLatch(1);
		List<String> fastReceived = new CopyOnWriteArrayList<>();
		List<String> slowReceived = new CopyOnWriteArrayList<>();
		start((c) -> {
			c.subscribe(slow, heldUntil(release, slowReceived));
			c.subscribe(fast, (n) -> fastReceived.add(n.payload()));
		});
		Notifications.send(slow, "s1", "s2");
		Notifications.send(fast, "f1", "f2", "f3");
		await().atMost(Duration.ofSeconds(10)).until(() -> fastReceived.size() == 3);
		assertThat(slowReceived).isEmpty();
		release.countDown();
		await().atMost(Duration.ofSeconds(10)).until(() -> slowReceived.size() == 2);
		assertThat(slowReceived).containsExactly("s1", "s2");
	}

	@Test
	void overflowDropsCountsAndReportsWithoutStallingOtherChannels() throws Exception {
		String channel = TestDatabase.uniqueName("overflow");
		String other = TestDatabase.uniqueName("other");
		CountDownLatch release = new CountDownLatch(1);
		List<String> received = new CopyOnWriteArrayList<>();
		List<String> otherReceived = new CopyOnWriteArrayList<>();
		PgListenerContainer container = start((c) -> {
			c.setMaxPending(10);
			c.subscribe(channel, heldUntil(release, received));
			c.subscribe(other, (n) -> otherReceived.add(n.payload()));
		});
		List<String> first = new ArrayList<>();
		List<String> rest = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			((i < 10) ? first : rest).add(Integer.toString(i));
		}
		try (Connection connection = TestDatabase.connect(TestDatabase.url())) {
			// ten fill the queue (however the driver splits them, none finds it full) ...
			Notifications.send(connection, channel, first);
			await().atMost(Duration.ofSeconds(10)).until(() -> container.statistics(channel).received() == 10);
			assertThat(container.statistics(channel).dropped()).isZero();
			// ... so the next read finds the handlers behind
			Notifications.send(connection, channel, rest);
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> container.statistics(channel).received() == 100);
		// the reader went on: another channel is served while this one is stuck
		Notifications.send(other, "still served");
		await().atMost(Duration.ofSeconds(10)).until(() -> otherReceived.size() == 1);
		release.countDown();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.events.stream().anyMatch(PgNotificationsDroppedEvent.class::isInstance));
		// ten pending (the one being handled among them) when the rest arrived
		assertThat(container.statistics(channel).dropped()).isEqualTo(90);
		await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 10);
		assertThat(received).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
		long reported = this.events.stream()
			.filter(PgNotificationsDroppedEvent.class::isInstance)
			.map(PgNotificationsDroppedEvent.class::cast)
			.peek((e) -> assertThat(e.channel()).isEqualTo(channel))
			.mapToLong(PgNotificationsDroppedEvent::dropped)
			.sum();
		assertThat(reported).isEqualTo(90);
	}

	@Test
	void maxPendingSetAfterSubscribingAppliesToChannelsAlreadyListenedTo() throws Exception {
		String channel = TestDatabase.uniqueName("late_bound");
		CountDownLatch release = new CountDownLatch(1);
		List<String> received = new CopyOnWriteArrayList<>();
		PgListenerContainer container = start((c) -> c.subscribe(channel, heldUntil(release, received)));
		container.setMaxPending(3);
		try (Connection connection = TestDatabase.connect(TestDatabase.url())) {
			Notifications.send(connection, channel, List.of("1", "2", "3"));
			await().atMost(Duration.ofSeconds(10)).until(() -> container.statistics(channel).received() == 3);
			Notifications.send(connection, channel, List.of("4", "5", "6", "7"));
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> container.statistics(channel).received() == 7);
		assertThat(container.statistics(channel).dropped()).isEqualTo(4);
		release.countDown();
		await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 3);
		assertThat(received).containsExactly("1", "2", "3");
		assertThatThrownBy(() -> container.setMaxPending(0)).isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void aStartUpFailureAndTheContainerShowTheUrlWithoutItsSecrets() {
		PgListenerContainer container = Notifications
			.container("jdbc:postgresql://listener:s3cret@127.0.0.1:1/test?sslpassword=s3cret&ApplicationName=x");
		container.addChannels(List.of("secret_test"));
		assertThatThrownBy(container::start).isInstanceOf(PgListenerStartupException.class).satisfies((ex) -> {
			PgListenerStartupException failure = (PgListenerStartupException) ex;
			assertThat(failure.getMessage()).contains("127.0.0.1:1/test").doesNotContain("s3cret");
			assertThat(failure.getUrl()).contains("127.0.0.1:1/test").doesNotContain("s3cret");
			assertThat(failure.getProblem()).isEqualTo(PgListenerStartupException.Problem.CONNECTION);
		});
		assertThat(container.toString()).contains("127.0.0.1:1/test").doesNotContain("s3cret");
		assertThat(container.isRunning()).isFalse();
	}

	@Test
	void stopDeliversWhatWasReadClosesTheSessionAndEndsEveryThread() throws Exception {
		String channel = TestDatabase.uniqueName("stopping");
		ConcurrentLinkedQueue<String> received = new ConcurrentLinkedQueue<>();
		CountDownLatch firstArrived = new CountDownLatch(1);
		PgListenerContainer container = start((c) -> c.subscribe(channel, (n) -> {
			firstArrived.countDown();
			try {
				Thread.sleep(2);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			received.add(n.payload());
		}));
		int pid = container.backendPid();
		assertThat(Notifications.sessionExists(pid)).isTrue();
		List<String> payloads = new ArrayList<>();
		for (int i = 0; i < 500; i++) {
			payloads.add(Integer.toString(i));
		}
		try (Connection connection = TestDatabase.connect(TestDatabase.url())) {
			Notifications.send(connection, channel, payloads);
		}
		assertThat(firstArrived.await(10, TimeUnit.SECONDS)).isTrue();
		await().atMost(Duration.ofSeconds(10)).until(() -> container.statistics(channel).received() == 500);
		container.stop();
		// what was read before stop was still handed to the handler
		assertThat(received).hasSize(500);
		assertThat(container.isRunning()).isFalse();
		assertThat(container.isConnected()).isFalse();
		await().atMost(Duration.ofSeconds(5)).until(() -> !Notifications.sessionExists(pid));
		await().atMost(Duration.ofSeconds(5)).until(() -> listenerThreads().isEmpty());
	}

	@Test
	void standbyIsRefusedAtStart() {
		String replica = TestDatabase.replicaUrl();
		PgListenerContainer container = Notifications.container(replica);
		container.addChannels(List.of("standby_test"));
		assertThatThrownBy(container::start).isInstanceOf(PgListenerStartupException.class)
			.hasMessageContaining("hot standby")
			.hasMessageContaining("standbys reject LISTEN")
			.satisfies((ex) -> assertThat(((PgListenerStartupException) ex).getProblem())
				.isEqualTo(PgListenerStartupException.Problem.STANDBY));
		assertThat(container.isRunning()).isFalse();
		await().atMost(Duration.ofSeconds(5)).until(() -> listenerThreads().isEmpty());
	}

	@Test
	void invalidChannelNamesAreRefused() {
		PgListenerContainer container = Notifications.container(TestDatabase.url());
		assertThatThrownBy(() -> container.subscribe("", (n) -> {
		})).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
		assertThatThrownBy(() -> container.subscribe("é".repeat(32), (n) -> {
		})).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("64 bytes");
	}

	static Set<String> listenerThreads() {
		Set<String> names = new java.util.TreeSet<>();
		for (Thread thread : Thread.getAllStackTraces().keySet()) {
			if (thread.isAlive() && (thread.getName().startsWith("gdbpool-listener")
					|| thread.getName().startsWith("gdbpool-notify-"))) {
				names.add(thread.getName());
			}
		}
		return names;
	}

	private PgListenerContainer start(java.util.function.Consumer<PgListenerContainer> setUp) {
		PgListenerContainer container = Notifications.container(TestDatabase.url());
		container.setApplicationEventPublisher(this.events::add);
		setUp.accept(container);
		container.start();
		this.started.add(container);
		return container;
	}

	/** A handler that blocks until {@code release} opens, then records the payload. */
	private static Consumer<PgNotification> heldUntil(CountDownLatch release, List<String> payloads) {
		return (n) -> {
			try {
				release.await(30, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			payloads.add(n.payload());
		};
	}

}
