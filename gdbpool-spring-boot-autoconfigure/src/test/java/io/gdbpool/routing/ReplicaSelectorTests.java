package io.gdbpool.routing;

import java.util.ArrayList;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which read pool a read goes to, with pools that never connect: in rotation, not
 * lagging, far enough for read-your-writes, spread by the load-balance rule. No database
 * needed.
 */
class ReplicaSelectorTests {

	private final List<Pool> created = new ArrayList<>();

	@AfterEach
	void closePools() {
		this.created.forEach(Pool::close);
	}

	@Test
	void roundRobinTakesTurnsAndSkipsPoolsOutOfRotationOrLagging() {
		Pool a = readPool("a");
		Pool b = readPool("b");
		Pool c = readPool("c");
		ReplicaSelector selector = new ReplicaSelector(registry(a, b, c), LoadBalance.ROUND_ROBIN);
		assertThat(List.of(selector.select(Lsn.NONE), selector.select(Lsn.NONE), selector.select(Lsn.NONE),
				selector.select(Lsn.NONE)))
			.containsExactly(a, b, c, a);
		b.eject(new IllegalStateException("down"));
		c.recordReplay(100, 5_000_000, 60_000, true);
		for (int i = 0; i < 6; i++) {
			assertThat(selector.select(Lsn.NONE)).isSameAs(a);
		}
		a.eject(new IllegalStateException("down too"));
		assertThat(selector.select(Lsn.NONE)).isNull();
		b.restore();
		assertThat(selector.select(Lsn.NONE)).isSameAs(b);
	}

	@Test
	void readYourWritesOnlyPicksPoolsKnownToHaveReplayedTheLsn() {
		Pool behind = readPool("behind");
		Pool ahead = readPool("ahead");
		behind.recordReplay(1_000, 0, 0, false);
		ahead.recordReplay(2_000, 0, 0, false);
		ReplicaSelector selector = new ReplicaSelector(registry(behind, ahead), LoadBalance.ROUND_ROBIN);
		for (int i = 0; i < 4; i++) {
			assertThat(selector.select(1_500)).isSameAs(ahead);
		}
		assertThat(selector.select(3_000)).isNull();
		// a position learnt from a read only ever moves forward
		behind.recordReplayLsn(3_000);
		behind.recordReplayLsn(500);
		assertThat(selector.select(3_000)).isSameAs(behind);
	}

	@Test
	void randomOnlyEverPicksEligiblePools() {
		Pool a = readPool("a");
		Pool b = readPool("b");
		b.eject(new IllegalStateException("down"));
		ReplicaSelector selector = new ReplicaSelector(registry(a, b), LoadBalance.RANDOM);
		for (int i = 0; i < 50; i++) {
			assertThat(selector.select(Lsn.NONE)).isSameAs(a);
		}
	}

	@Test
	void noReadPoolMeansNoChoice() {
		ReplicaSelector selector = new ReplicaSelector(registry(), LoadBalance.LEAST_ACTIVE);
		assertThat(selector.select(Lsn.NONE)).isNull();
	}

	private Pool readPool(String name) {
		// never started: no connection is ever made
		Pool pool = new Pool(name, PoolRole.READ, new HikariDataSource(), true);
		this.created.add(pool);
		return pool;
	}

	private PoolRegistry registry(Pool... readPools) {
		List<Pool> pools = new ArrayList<>(List.of(readPools));
		Pool primary = new Pool("primary", PoolRole.WRITE, new HikariDataSource(), true);
		this.created.add(primary);
		pools.add(primary);
		return new PoolRegistry(pools, "primary");
	}

}
