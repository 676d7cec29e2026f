package io.gdbpool.notify;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.gdbpool.test.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Volume, counted rather than timed: every notification exactly once and in order, and
 * many channels on one connection.
 */
@ExtendWith(TestDatabase.class)
class PgListenerVolumeTests {

	private static final int SENDERS = 4;

	private static final int PER_SENDER = 25_000;

	private static final int PER_STATEMENT = 500;

	private static final String MARKER = "marker";

	@Test
	void hundredThousandNotificationsFromFourSendersOnThreeChannelsArriveOnceAndInOrder() throws Exception {
		List<String> channels = List.of(TestDatabase.uniqueName("vol_a"), TestDatabase.uniqueName("vol_b"),
				TestDatabase.uniqueName("vol_c"));
		Map<String, ConcurrentLinkedQueue<String>> received = new HashMap<>();
		AtomicLong events = new AtomicLong();
		PgListenerContainer container = Notifications.container(TestDatabase.url());
		container.setApplicationEventPublisher((event) -> events.incrementAndGet());
		for (String channel : channels) {
			ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>();
			received.put(channel, queue);
			container.subscribe(channel, (n) -> queue.add(n.payload()));
		}
		container.start();
		ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
		try {
			List<Future<?>> sent = new ArrayList<>();
			for (int s = 0; s < SENDERS; s++) {
				int sender = s;
				sent.add(senders.submit(() -> {
					// each sender numbers its notifications per channel; one statement,
					// one channel
					int[] next = new int[channels.size()];
					try (Connection connection = TestDatabase.connect(TestDatabase.url())) {
						for (int batch = 0; batch < PER_SENDER / PER_STATEMENT; batch++) {
							int c = (batch + sender) % channels.size();
							List<String> payloads = new ArrayList<>(PER_STATEMENT);
							for (int i = 0; i < PER_STATEMENT; i++) {
								payloads.add(sender + ":" + next[c]++);
							}
							Notifications.send(connection, channels.get(c), payloads);
						}
					}
					return null;
				}));
			}
			for (Future<?> future : sent) {
				future.get();
			}
			int total = SENDERS * PER_SENDER;
			await().atMost(Duration.ofSeconds(60))
				.until(() -> received.values().stream().mapToInt(ConcurrentLinkedQueue::size).sum() >= total);
			// then one more per channel, sent once the handlers caught up so that it
			// cannot be dropped: a channel's handler sees its notifications in order, so
			// once the marker is there, nothing sent before it is still on its way
			try (Connection connection = TestDatabase.connect(TestDatabase.url())) {
				for (String channel : channels) {
					Notifications.send(connection, channel, List.of(MARKER));
				}
			}
			await().atMost(Duration.ofSeconds(10))
				.until(() -> received.values().stream().allMatch((queue) -> queue.contains(MARKER)));
			assertThat(received.values().stream().mapToInt(ConcurrentLinkedQueue::size).sum())
				.isEqualTo(total + channels.size());
			for (String channel : channels) {
				ChannelStatistics statistics = container.statistics(channel);
				assertThat(statistics.dropped()).isZero();
				assertThat(statistics.handlerFailures()).isZero();
				assertThat(statistics.received()).isEqualTo(received.get(channel).size());
				// per sender, a channel's numbers arrive as 0, 1, 2, … with no gap and no
				// repeat
				List<String> payloads = new ArrayList<>(received.get(channel));
				assertThat(payloads.remove(payloads.size() - 1)).isEqualTo(MARKER);
				int[] expected = new int[SENDERS];
				for (String payload : payloads) {
					int colon = payload.indexOf(':');
					int sender = Integer.parseInt(payload.substring(0, colon));
					int number = Integer.parseInt(payload.substring(colon + 1));
					assertThat(number).as("%s from sender %d", channel, sender).isEqualTo(expected[sender]);
					expected[sender]++;
				}
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> events.get() == total + channels.size());
		}
		finally {
			senders.shutdownNow();
			container.stop();
		}
	}

	@Test
	void thousandChannelsOnOneConnectionEachReceiveOnlyTheirOwn() throws Exception {
		int count = 1000;
		String prefix = TestDatabase.uniqueName("many");
		List<String> channels = new ArrayList<>();
		Map<String, ConcurrentLinkedQueue<String>> received = new HashMap<>();
		AtomicInteger total = new AtomicInteger();
		PgListenerContainer container = Notifications.container(TestDatabase.url());
		for (int i = 0; i < count; i++) {
			String channel = prefix + "_" + i;
			channels.add(channel);
			ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>();
			received.put(channel, queue);
			container.subscribe(channel, (n) -> {
				queue.add(n.channel() + "/" + n.payload());
				total.incrementAndGet();
			});
		}
		container.start();
		try {
			assertThat(container.channels()).hasSize(count);
			// one more, subscribed at run time, joins the same connection
			String late = prefix + "_late";
			ConcurrentLinkedQueue<String> lateReceived = new ConcurrentLinkedQueue<>();
			container.subscribe(late, (n) -> lateReceived.add(n.channel() + "/" + n.payload()));
			try (Connection connection = TestDatabase.connect(TestDatabase.url())) {
				for (int round = 0; round < 2; round++) {
					for (String channel : channels) {
						Notifications.send(connection, channel, List.of(channel + "#" + round));
					}
				}
				Notifications.send(connection, late, List.of(late + "#0"));
			}
			await().atMost(Duration.ofSeconds(30)).until(() -> total.get() == 2 * count && lateReceived.size() == 1);
			for (String channel : channels) {
				assertThat(received.get(channel)).containsExactly(channel + "/" + channel + "#0",
						channel + "/" + channel + "#1");
			}
			assertThat(lateReceived).containsExactly(late + "/" + late + "#0");
		}
		finally {
			container.stop();
		}
	}

}
