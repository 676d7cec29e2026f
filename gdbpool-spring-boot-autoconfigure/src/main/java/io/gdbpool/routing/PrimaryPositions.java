package io.gdbpool.routing;

import java.util.concurrent.TimeUnit;

/**
 * Where the primary's WAL was at each recent check, so a replica's lag in time can be
 * told from its replay position alone: a replica that has replayed position P has
 * everything the primary had written when it was at P, so its data is at most as old as
 * the last check at which the primary was at or before P.
 * <p>
 * PostgreSQL's own clue, {@code now() - pg_last_xact_replay_timestamp()}, is null on a
 * replica that has replayed no commit since it started, so a stalled fresh replica would
 * never look behind; and after an idle hour it makes a replica replaying the first new
 * write look an hour behind. This estimate has neither flaw; it is coarse by one check
 * interval, so the monitor uses the smaller of the two when both are known.
 */
final class PrimaryPositions {

	private static final int SAMPLES = 256;

	private final long[] nanos = new long[SAMPLES];

	private final long[] positions = new long[SAMPLES];

	// samples taken so far; the newest is at (count - 1) % SAMPLES
	private long count;

	synchronized void record(long nowNanos, long primaryLsn) {
		int slot = (int) (this.count % SAMPLES);
		this.nanos[slot] = nowNanos;
		this.positions[slot] = primaryLsn;
		this.count++;
	}

	/**
	 * @param replayLsn a replica's replay position
	 * @param nowNanos the current {@link System#nanoTime()}
	 * @return how many milliseconds old the replica's data may be: the time since the
	 * newest check at which the primary was at or before {@code replayLsn} (or, when it
	 * was past it at every remembered check, since the oldest one: a lower bound); -1
	 * before any check
	 */
	synchronized long millisBehind(long replayLsn, long nowNanos) {
		if (this.count == 0) {
			return -1;
		}
		long oldest = Math.max(0, this.count - SAMPLES);
		for (long i = this.count - 1; i >= oldest; i--) {
			int slot = (int) (i % SAMPLES);
			if (this.positions[slot] <= replayLsn) {
				return TimeUnit.NANOSECONDS.toMillis(nowNanos - this.nanos[slot]);
			}
		}
		return TimeUnit.NANOSECONDS.toMillis(nowNanos - this.nanos[(int) (oldest % SAMPLES)]);
	}

}
