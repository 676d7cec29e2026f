package io.gdbpool.bench;

/**
 * {@code pairs}: recorded rounds of long trials (latency runs, JMH, partial
 * transactions); {@code shortPairs}: recorded rounds of the short throughput trials, many
 * so that each pair sees the same load from whatever else runs on the machine.
 * <p>
 * How long and how often: the full run (the figures in RESULTS.md) or the quick run
 * (proves the harness works; its figures mean nothing).
 */
record Settings(boolean quick, int warmups, int pairs, int shortPairs, long trialMillis, int latencyRuns,
		long latencyMillis, int partialOps, int asyncInteractions, String primaryUrl, String replicaAUrl,
		String replicaBUrl, String user) {

	static Settings of(boolean quick) {
		String primary = System.getProperty("bench.primary", "jdbc:postgresql://127.0.0.1:5432/test");
		String a = System.getProperty("bench.replicaA", "jdbc:postgresql://127.0.0.1:5433/test");
		String b = System.getProperty("bench.replicaB", "jdbc:postgresql://127.0.0.1:5434/test");
		String user = System.getProperty("bench.user", "postgres");
		if (quick) {
			return new Settings(true, 1, 2, 3, 250, 2, 2_000, 200, 10_000, primary, a, b, user);
		}
		return new Settings(false, 1, 5, 15, 400, 5, 10_000, 1_500, 10_000, primary, a, b, user);
	}

}
