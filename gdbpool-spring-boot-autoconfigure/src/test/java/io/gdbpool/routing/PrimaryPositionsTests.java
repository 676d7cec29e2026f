package io.gdbpool.routing;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How old a replica's data may be, told from the primary's recorded positions: no
 * database needed.
 */
class PrimaryPositionsTests {

	private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

	@Test
	void unknownBeforeAnyCheck() {
		assertThat(new PrimaryPositions().millisBehind(100, 10 * SECOND)).isEqualTo(-1);
	}

	@Test
	void aReplicaIsAsFreshAsTheLastCheckAtWhichThePrimaryWasNoFurtherThanItsReplay() {
		PrimaryPositions positions = new PrimaryPositions();
		positions.record(1 * SECOND, 100);
		positions.record(2 * SECOND, 100);
		positions.record(3 * SECOND, 250);
		positions.record(4 * SECOND, 400);
		// replayed 100: it has what the primary had at second 2, the last check before
		// 250
		assertThat(positions.millisBehind(100, 5 * SECOND)).isEqualTo(3000);
		// replayed 300: it has what the primary had at second 3
		assertThat(positions.millisBehind(300, 5 * SECOND)).isEqualTo(2000);
		assertThat(positions.millisBehind(400, 5 * SECOND)).isEqualTo(1000);
	}

	@Test
	void aReplicaBehindEveryRememberedCheckIsAtLeastAsOldAsTheOldest() {
		PrimaryPositions positions = new PrimaryPositions();
		for (int i = 0; i < 1000; i++) {
			positions.record(i * SECOND, 1000 + i);
		}
		// only the last 256 checks are remembered: the oldest is at second 744
		assertThat(positions.millisBehind(10, 1000 * SECOND)).isEqualTo(256_000);
	}

	@Test
	void anIdlePrimaryDoesNotMakeAReplicaThatReplaysTheFirstNewWriteLookOld() {
		PrimaryPositions positions = new PrimaryPositions();
		// an hour without writes, the replica replayed everything
		for (int i = 0; i < 3600; i++) {
			positions.record(i * SECOND, 500);
		}
		// a write moves the primary on; the replica has not replayed it yet
		positions.record(3600 * SECOND, 600);
		assertThat(positions.millisBehind(500, 3600 * SECOND + SECOND / 2)).isEqualTo(1500);
	}

}
