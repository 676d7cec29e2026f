package io.gdbpool.bench.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.gdbpool.GDBPoolTemplate;
import org.HdrHistogram.Histogram;

/**
 * The ordinary work of a service next to its partial transactions: a few threads each
 * running {@code queryForList("SELECT 1")}, an {@code update} of their own counter row
 * and a {@code notify}, in turn, back to back for a while. Latency per request (all three
 * kinds together) and errors.
 */
final class OrdinaryRequests {

	/** What one window of requests did. */
	static final class Result {

		final Histogram latencyNanos = new Histogram(3);

		final Outcomes errors = new Outcomes();

		long requests;

		void add(Result other) {
			this.latencyNanos.add(other.latencyNanos);
			this.errors.addAll(other.errors);
			this.requests += other.requests;
		}

		long errorCount() {
			return this.errors.total();
		}

		double p50Millis() {
			return this.latencyNanos.getValueAtPercentile(50) / 1e6;
		}

		double p99Millis() {
			return this.latencyNanos.getValueAtPercentile(99) / 1e6;
		}

	}

	private OrdinaryRequests() {
	}

	/**
	 * Runs {@code threads} request loops for {@code millis} and returns what they did
	 * together.
	 */
	static Result run(GDBPoolTemplate template, int threads, long millis) throws Exception {
		ExecutorService pool = Threads.daemons("ordinary", threads);
		List<Future<Result>> results = new ArrayList<>();
		long deadline = System.nanoTime() + millis * 1_000_000L;
		try {
			for (int t = 0; t < threads; t++) {
				int row = t + 1;
				results.add(pool.submit(() -> loop(template, row, deadline)));
			}
			Result total = new Result();
			for (Future<Result> result : results) {
				total.add(result.get(millis + 30_000, TimeUnit.MILLISECONDS));
			}
			return total;
		}
		finally {
			Threads.stop(pool, 5_000, "ordinary request threads");
		}
	}

	private static Result loop(GDBPoolTemplate template, int row, long deadline) {
		Result result = new Result();
		String update = "UPDATE " + FaultSchema.COUNTER + " SET n = n + 1 WHERE id = ?";
		for (long i = 0; System.nanoTime() - deadline < 0; i++) {
			long start = System.nanoTime();
			try {
				switch ((int) (i % 3)) {
					case 0 -> template.queryForList("SELECT 1");
					case 1 -> template.update(update, row);
					default -> template.notify("fault_ordinary", "x");
				}
			}
			catch (RuntimeException ex) {
				result.errors.add(ex.getClass().getSimpleName(), ex);
			}
			result.latencyNanos.recordValue(System.nanoTime() - start);
			result.requests++;
		}
		return result;
	}

}
