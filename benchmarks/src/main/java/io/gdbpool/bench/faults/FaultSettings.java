package io.gdbpool.bench.faults;

/**
 * How long each phase lasts, full run (the figures in FAULTS.md) or quick run (proves the
 * harness works; shorter outages and load windows), and where the scratch servers go.
 *
 * @param quick quick mode
 * @param loadRoundMillis one round of ordinary requests next to the partial transactions
 * (scenario 1c)
 * @param loadRounds rounds per condition (with holds / without), alternated
 * @param observeMillis how long load goes on after a replica fault was noticed, before
 * the server comes back
 * @param primaryObserveMillis the same for the primary: longer than the write pool's 5 s
 * connection timeout, so writes that were already waiting when the fault came have ended
 * and new ones show how fast a write fails once the library knows
 * @param listenOutageMillis how long the scratch primary stays away in the LISTEN
 * scenario
 * @param stableMillis how long a replica back in rotation must stay there to count as
 * back for good
 * @param stallWatchMillis how long a stalled replica is watched for {@code lagging}
 * (max-replica-lag is 10 s)
 * @param sourcePort the shared server the scratch primary is a base backup of (read only)
 * @param primaryPort the scratch primary
 * @param replicaPort the scratch replica of the scratch primary
 */
record FaultSettings(boolean quick, long loadRoundMillis, int loadRounds, long observeMillis, long primaryObserveMillis,
		long listenOutageMillis, long stableMillis, long stallWatchMillis, int sourcePort, int primaryPort,
		int replicaPort) {

	static FaultSettings of(boolean quick) {
		int source = Integer.getInteger("faults.sourcePort", 5432);
		int primary = Integer.getInteger("faults.primaryPort", 5441);
		int replica = Integer.getInteger("faults.replicaPort", 5442);
		if (quick) {
			return new FaultSettings(true, 400, 2, 1_000, 5_500, 3_000, 1_000, 13_000, source, primary, replica);
		}
		return new FaultSettings(false, 1_500, 3, 2_500, 6_500, 10_000, 2_000, 18_000, source, primary, replica);
	}

}
