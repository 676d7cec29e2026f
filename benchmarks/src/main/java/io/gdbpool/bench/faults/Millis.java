package io.gdbpool.bench.faults;

import java.util.function.BooleanSupplier;

/**
 * Time as the report uses it: milliseconds since an event taken with
 * {@link System#nanoTime()}, and bounded waits. Every wait in the harness goes through
 * {@link #await}, so none can hang.
 */
final class Millis {

	/** Returned by {@link #await} when the condition did not become true in time. */
	static final double NEVER = Double.NaN;

	private Millis() {
	}

	static double since(long startNanos) {
		return between(startNanos, System.nanoTime());
	}

	static double between(long startNanos, long endNanos) {
		return (endNanos - startNanos) / 1e6;
	}

	/**
	 * Polls a condition until it holds or the timeout passes.
	 * @return milliseconds from {@code fromNanos} to the first poll that saw it true, or
	 * {@link #NEVER}
	 */
	static double await(long fromNanos, long timeoutMillis, long pollMillis, BooleanSupplier condition) {
		long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
		while (true) {
			boolean holds;
			try {
				holds = condition.getAsBoolean();
			}
			catch (RuntimeException ex) {
				holds = false;
			}
			long now = System.nanoTime();
			if (holds) {
				return between(fromNanos, now);
			}
			if (now - deadline > 0) {
				return NEVER;
			}
			sleep(pollMillis);
		}
	}

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted", ex);
		}
	}

	/** "123 ms", or "never (within N s)" for a wait that timed out. */
	static String format(double millis, long boundMillis) {
		if (Double.isNaN(millis)) {
			return "not within " + (boundMillis / 1000) + " s";
		}
		if (Math.abs(millis) < 10) {
			return String.format("%.1f ms", millis);
		}
		return String.format("%,.0f ms", millis);
	}

}
