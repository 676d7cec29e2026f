package io.gdbpool.notify;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rule that drops a read when a channel's handlers are too far behind, without a
 * database or a thread: a {@link Backlog} plays the queue, reads and deliveries are steps
 * of the test.
 */
class OverflowRuleTests {

	@Test
	void handlersThatDeliverNothingLoseTheNextReadOnceMaxPendingArePending() {
		Backlog backlog = new Backlog(10);
		for (int i = 0; i < 10; i++) {
			assertThat(backlog.read(1)).as("read %d", i).isTrue();
		}
		assertThat(backlog.read(1)).isFalse();
		assertThat(backlog.read(90)).isFalse();
		assertThat(backlog.pending).isEqualTo(10);
		assertThat(backlog.dropped).isEqualTo(91);
	}

	@Test
	void aReadIsNeverSplitAndOneThatFillsTheQueueIsQueuedWhole() {
		Backlog backlog = new Backlog(10);
		assertThat(backlog.read(9)).isTrue();
		// nine pending, under the bound when the read begins: all 500 are queued
		assertThat(backlog.read(500)).isTrue();
		assertThat(backlog.pending).isEqualTo(509);
		assertThat(backlog.dropped).isZero();
	}

	@Test
	void theOvershootOfALargeReadIsNotHeldAgainstHandlersThatKeepPace() {
		Backlog backlog = new Backlog(10);
		assertThat(backlog.read(100)).isTrue();
		// working through the large read, twenty delivered per read of two: far more than
		// ten pending all along, yet every read is kept, since the handlers keep pace
		for (int i = 0; i < 60; i++) {
			backlog.deliver(Math.min(backlog.pending, 20));
			assertThat(backlog.read(2)).as("read %d", i).isTrue();
		}
		assertThat(backlog.dropped).isZero();
	}

	@Test
	void handlersThatStallInALargeReadLoseTheReadsAfterIt() {
		Backlog backlog = new Backlog(10);
		assertThat(backlog.read(100)).isTrue();
		// what the large read holds beyond the bound is credited, its first ten are not
		assertThat(backlog.read(5)).isFalse();
		backlog.deliver(1);
		assertThat(backlog.read(5)).isTrue();
		assertThat(backlog.read(5)).isFalse();
	}

	@Test
	void whatFollowsTheOvershootCountsInFull() {
		Backlog backlog = new Backlog(10);
		assertThat(backlog.read(100)).isTrue();
		backlog.deliver(95);
		// five pending, all of them overshoot: ten reads of one fit behind them, the
		// eleventh not
		for (int i = 0; i < 10; i++) {
			assertThat(backlog.read(1)).as("read %d", i).isTrue();
		}
		assertThat(backlog.read(1)).isFalse();
	}

	@Test
	void theQueueHoldsFewerThanMaxPendingPlusTwoReads() {
		SplittableRandom random = new SplittableRandom(42);
		int maxPending = 50;
		int maxRead = 200;
		Backlog backlog = new Backlog(maxPending);
		for (int step = 0; step < 100_000; step++) {
			if (random.nextInt(3) == 0) {
				backlog.deliver(random.nextInt(Math.min(backlog.pending, 3 * maxRead) + 1));
			}
			else {
				backlog.read(1 + random.nextInt(maxRead));
			}
			assertThat(backlog.pending).as("step %d", step).isLessThan(maxPending + 2 * maxRead);
		}
		assertThat(backlog.dropped).isPositive();
	}

	@Test
	void aNewMaxPendingCountsFromTheNextRead() {
		Backlog backlog = new Backlog(10);
		assertThat(backlog.read(5)).isTrue();
		backlog.rule.setMaxPending(5);
		assertThat(backlog.read(1)).isFalse();
		backlog.rule.setMaxPending(20);
		assertThat(backlog.read(15)).isTrue();
		assertThat(backlog.read(1)).isFalse();
		assertThat(backlog.rule.maxPending()).isEqualTo(20);
	}

	/**
	 * A channel queue reduced to its counts, judged by the rule the way
	 * {@link ChannelQueue} is.
	 */
	private static final class Backlog {

		final OverflowRule rule;

		int pending;

		long dropped;

		Backlog(int maxPending) {
			this.rule = new OverflowRule(maxPending);
		}

		/**
		 * @return whether the read was queued
		 */
		boolean read(int count) {
			if (this.rule.dropsRead(this.pending)) {
				this.dropped += count;
				return false;
			}
			this.rule.queued(this.pending, count);
			this.pending += count;
			return true;
		}

		void deliver(int count) {
			this.pending -= count;
		}

	}

}
