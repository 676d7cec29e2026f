package io.gdbpool.notify;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The hand-over between a subscriber that asks for a LISTEN and the reader that does it,
 * without a connection: the reader's part is a step of the test.
 */
class ListenSyncTests {

	private final ListenSync sync = new ListenSync();

	@Test
	void aSubscriberWaitsUntilTheReaderMadeTheChange() throws Exception {
		Thread subscriber = new Thread(() -> this.sync.requestAndAwait(() -> true));
		subscriber.start();
		// the flag goes up after the waiter is queued
		await().atMost(Duration.ofSeconds(10)).until(this.sync::requested);
		assertThat(subscriber.isAlive()).isTrue();
		this.sync.run(() -> {
		});
		subscriber.join(TimeUnit.SECONDS.toMillis(10));
		assertThat(subscriber.isAlive()).isFalse();
		assertThat(this.sync.requested()).isFalse();
	}

	@Test
	void aFailedChangeKeepsItsWaitersForTheNextOne() throws Exception {
		Thread subscriber = new Thread(() -> this.sync.requestAndAwait(() -> true));
		subscriber.start();
		await().atMost(Duration.ofSeconds(10)).until(this.sync::requested);
		assertThatThrownBy(() -> this.sync.run(() -> {
			throw new SQLException("connection lost");
		})).isInstanceOf(SQLException.class);
		assertThat(subscriber.isAlive()).isTrue();
		// the reconnection's change releases it
		this.sync.run(() -> {
		});
		subscriber.join(TimeUnit.SECONDS.toMillis(10));
		assertThat(subscriber.isAlive()).isFalse();
	}

	@Test
	void whileDisconnectedASubscriberDoesNotWaitAndTheReconnectionReleasesItsRequest() throws Exception {
		boolean[] released = new boolean[1];
		this.sync.requestAndAwait(() -> false);
		assertThat(this.sync.requested()).isTrue();
		this.sync.run(() -> released[0] = true);
		assertThat(released[0]).isTrue();
		assertThat(this.sync.requested()).isFalse();
	}

	@Test
	void stopReleasesEveryWaiter() throws Exception {
		Thread subscriber = new Thread(() -> this.sync.requestAndAwait(() -> true));
		subscriber.start();
		await().atMost(Duration.ofSeconds(10)).until(this.sync::requested);
		this.sync.releaseAll();
		subscriber.join(TimeUnit.SECONDS.toMillis(10));
		assertThat(subscriber.isAlive()).isFalse();
	}

	@Test
	void aRequestMadeDuringAChangeIsLeftForTheNextRound() throws Exception {
		this.sync.request();
		this.sync.run(() -> {
			// a subscriber arrives while the reader is at work: its change may not be in
			// this round
			this.sync.request();
		});
		assertThat(this.sync.requested()).isTrue();
	}

}
