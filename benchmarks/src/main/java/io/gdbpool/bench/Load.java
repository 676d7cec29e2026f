package io.gdbpool.bench;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Closed-loop throughput: {@code threads} platform threads run an operation back to back
 * for a fixed time; the figure is operations per second over all threads.
 */
final class Load {

	interface Op {

		void run() throws Exception;

	}

	/**
	 * What one closed-loop trial did.
	 *
	 * @param ops operations over all threads
	 * @param nanos wall time from the start signal until the last thread stopped
	 * @param cpuNanos the JVM's CPU time over the same span (every thread, background
	 * ones included)
	 */
	record Result(long ops, long nanos, long cpuNanos) {

		double perSecond() {
			return this.ops / (this.nanos / 1e9);
		}

		double cpuMicrosPerOp() {
			return this.cpuNanos / 1e3 / Math.max(1, this.ops);
		}

	}

	private Load() {
	}

	static double throughput(int threads, long millis, Op op) throws Exception {
		return run(threads, millis, op).perSecond();
	}

	static Result run(int threads, long millis, Op op) throws Exception {
		long[] counts = new long[threads * 16];
		CyclicBarrier start = new CyclicBarrier(threads + 1);
		AtomicReference<Throwable> failure = new AtomicReference<>();
		long[] window = new long[2];
		Thread[] workers = new Thread[threads];
		for (int t = 0; t < threads; t++) {
			int slot = t * 16; // no false sharing between the counters
			workers[t] = new Thread(() -> {
				try {
					start.await();
					long deadline = window[1];
					long n = 0;
					while (System.nanoTime() < deadline) {
						op.run();
						n++;
					}
					counts[slot] = n;
				}
				catch (Throwable ex) {
					failure.compareAndSet(null, ex);
				}
			}, "bench-load-" + t);
			workers[t].start();
		}
		long cpuBefore = processCpuNanos();
		window[0] = System.nanoTime();
		window[1] = window[0] + millis * 1_000_000L;
		start.await(); // the barrier publishes window[] to the workers
		for (Thread worker : workers) {
			worker.join();
		}
		long end = System.nanoTime();
		long cpu = processCpuNanos() - cpuBefore;
		if (failure.get() != null) {
			throw new IllegalStateException("A load thread failed", failure.get());
		}
		long total = 0;
		for (int t = 0; t < threads; t++) {
			total += counts[t * 16];
		}
		return new Result(total, end - window[0], cpu);
	}

	/**
	 * CPU time of the whole JVM: every thread, the harness's own and the applications'
	 * background ones.
	 */
	static long processCpuNanos() {
		java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory
			.getOperatingSystemMXBean();
		return (os instanceof com.sun.management.OperatingSystemMXBean sun) ? sun.getProcessCpuTime() : 0;
	}

}
