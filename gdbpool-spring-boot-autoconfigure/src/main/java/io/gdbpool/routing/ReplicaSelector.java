package io.gdbpool.routing;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * Chooses the read pool for one read among those eligible: in rotation, not lagging, and
 * (for read-your-writes) known to have replayed a given LSN. Allocation-free and
 * lock-free: it runs on every routed read.
 */
public class ReplicaSelector {

	private final Pool[] readPools;

	private final LoadBalance loadBalance;

	private final AtomicInteger next = new AtomicInteger();

	/**
	 * @param registry the pools; the read ones are chosen from
	 * @param loadBalance how to choose among the healthy read pools
	 */
	public ReplicaSelector(PoolRegistry registry, LoadBalance loadBalance) {
		this.readPools = registry.readPoolArray();
		this.loadBalance = loadBalance;
	}

	/**
	 * @param minLsn the replay position the pool must have reached, or {@link Lsn#NONE}
	 * @return an eligible read pool, or {@code null} when there is none
	 */
	public @Nullable Pool select(long minLsn) {
		Pool[] pools = this.readPools;
		int n = pools.length;
		if (n == 0) {
			return null;
		}
		switch (this.loadBalance) {
			case LEAST_ACTIVE:
				return leastActive(pools, minLsn);
			case RANDOM:
				return firstEligibleFrom(pools, (n == 1) ? 0 : ThreadLocalRandom.current().nextInt(n), minLsn);
			default:
				return firstEligibleFrom(pools, (n == 1) ? 0 : Math.floorMod(this.next.getAndIncrement(), n), minLsn);
		}
	}

	/**
	 * Whether a read pool is up and not lagging, whatever its replay position.
	 * @param pool a read pool
	 * @return true when usable
	 */
	static boolean isHealthy(Pool pool) {
		return pool.isInRotation() && !pool.isLagging();
	}

	static boolean isEligible(Pool pool, long minLsn) {
		return isHealthy(pool) && (minLsn < 0 || pool.getReplayLsn() >= minLsn);
	}

	private static Pool firstEligibleFrom(Pool[] pools, int start, long minLsn) {
		int n = pools.length;
		for (int i = 0; i < n; i++) {
			Pool pool = pools[(start + i) % n];
			if (isEligible(pool, minLsn)) {
				return pool;
			}
		}
		return null;
	}

	private static Pool leastActive(Pool[] pools, long minLsn) {
		Pool best = null;
		int bestActive = Integer.MAX_VALUE;
		for (Pool pool : pools) {
			if (isEligible(pool, minLsn)) {
				int active = pool.getActiveConnections();
				if (active < bestActive) {
					best = pool;
					bestActive = active;
				}
			}
		}
		return best;
	}

}
