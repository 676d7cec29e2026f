package io.gdbpool.notify;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The wanted channels and their queues without a connection: the test plays the reader
 * (reads are handed to the queues directly) and the executor (drain tasks run when the
 * test says).
 */
class ChannelsTests {

	private final PgListenerProperties properties = new PgListenerProperties();

	private final List<Runnable> drainTasks = new ArrayList<>();

	private final List<Object> events = new CopyOnWriteArrayList<>();

	private final ListenerEvents listenerEvents = new ListenerEvents(this);

	private final Channels channels = new Channels(this.properties, this.drainTasks::add, this.listenerEvents,
			NotificationObservations.NONE);

	private long reads;

	ChannelsTests() {
		this.listenerEvents.setPublisher(this.events::add);
	}

	@Test
	void aNewMaxPendingAppliesToChannelsSubscribedToBefore() {
		List<String> received = new ArrayList<>();
		this.channels.subscribe("before", subscriber(received));
		this.properties.setMaxPending(3);
		this.channels.maxPendingChanged();
		this.channels.subscribe("after", subscriber(new ArrayList<>()));
		for (String channel : List.of("before", "after")) {
			read(channel, "1", "2", "3");
			// three pending, none delivered: the next read finds the handlers behind
			read(channel, "4", "5");
			assertThat(this.channels.statistics(channel)).satisfies((statistics) -> {
				assertThat(statistics.received()).isEqualTo(5);
				assertThat(statistics.dropped()).isEqualTo(2);
			});
		}
		runDrainTasks();
		assertThat(received).containsExactly("1", "2", "3");
		assertThat(this.events).filteredOn(PgNotificationsDroppedEvent.class::isInstance)
			.extracting((event) -> ((PgNotificationsDroppedEvent) event).dropped())
			.containsExactly(2L, 2L);
	}

	@Test
	void aChannelIsWantedWhileItHasSubscribersOrTheConfigurationNamesIt() {
		ChannelHandlers.Subscriber first = subscriber(new ArrayList<>());
		ChannelHandlers.Subscriber second = subscriber(new ArrayList<>());
		assertThat(this.channels.subscribe("a", first)).isTrue();
		assertThat(this.channels.subscribe("a", second)).isFalse();
		assertThat(this.channels.unsubscribe("a", first)).isFalse();
		assertThat(this.channels.unsubscribe("a", second)).isTrue();
		assertThat(this.channels.wanted()).isEmpty();

		assertThat(this.channels.addFixed(List.of("fixed"))).isTrue();
		assertThat(this.channels.subscribe("fixed", first)).isFalse();
		assertThat(this.channels.unsubscribe("fixed", first)).isFalse();
		assertThat(this.channels.wanted()).containsExactly("fixed");
	}

	@Test
	void countsOutliveTheChannel() {
		ChannelHandlers.Subscriber subscriber = subscriber(new ArrayList<>());
		this.channels.subscribe("gone", subscriber);
		read("gone", "1", "2");
		runDrainTasks();
		this.channels.unsubscribe("gone", subscriber);
		assertThat(this.channels.queue("gone")).isNull();
		assertThat(this.channels.statistics("gone"))
			.isEqualTo(new ChannelStatistics("gone", 2, 2, 0, 0, this.channels.statistics("gone").handlerNanos()));
		assertThat(this.channels.statistics()).extracting(ChannelStatistics::channel).containsExactly("gone");
		assertThat(this.channels.statistics("never")).isEqualTo(ChannelStatistics.none("never"));
	}

	@Test
	void aHandlerThatThrowsIsCountedAndTheNextStillRuns() {
		List<String> received = new ArrayList<>();
		this.channels.subscribe("failing", new ChannelHandlers.Subscriber((n) -> {
			throw new IllegalStateException("on purpose");
		}));
		this.channels.subscribe("failing", subscriber(received));
		read("failing", "1");
		runDrainTasks();
		assertThat(received).containsExactly("1");
		assertThat(this.channels.statistics("failing").handlerFailures()).isEqualTo(1);
		assertThat(this.events).filteredOn(PgNotificationEvent.class::isInstance).hasSize(1);
	}

	/** One driver read of notifications on one channel, as the reader hands it over. */
	private void read(String channel, String... payloads) {
		long read = ++this.reads;
		ChannelQueue queue = this.channels.queue(channel);
		for (String payload : payloads) {
			queue.collect(new PgNotification(channel, payload, 42, Instant.now()), read);
		}
		queue.flush();
	}

	private void runDrainTasks() {
		while (!this.drainTasks.isEmpty()) {
			this.drainTasks.remove(0).run();
		}
	}

	private static ChannelHandlers.Subscriber subscriber(List<String> received) {
		return new ChannelHandlers.Subscriber((n) -> received.add(n.payload()));
	}

}
