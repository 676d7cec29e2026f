package io.gdbpool.bench.faults;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

/**
 * Calls a health check in a loop, every {@value #PAUSE_MILLIS} ms, as a load balancer or
 * Kubernetes probe would, recording each call's start, end and status.
 */
final class HealthLoop implements AutoCloseable {

	static final long PAUSE_MILLIS = 10;

	record Call(long start, long end, String status) {

		double millis() {
			return Millis.between(this.start, this.end);
		}

	}

	private final ExecutorService thread = Threads.daemons("health", 1);

	private final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();

	private volatile long underWay;

	private volatile boolean running = true;

	HealthLoop(Supplier<String> status) {
		this.thread.execute(() -> {
			while (this.running) {
				long start = System.nanoTime();
				this.underWay = start;
				String result;
				try {
					result = status.get();
				}
				catch (RuntimeException ex) {
					result = "threw " + ex.getClass().getSimpleName();
				}
				this.underWay = 0;
				this.calls.add(new Call(start, System.nanoTime(), result));
				Millis.sleep(PAUSE_MILLIS);
			}
		});
	}

	/**
	 * The end of the first call that started at or after {@code from} and answered
	 * {@code status}, or 0.
	 */
	long firstAnswer(long from, String status) {
		for (Call call : this.calls) {
			if (call.start() - from >= 0 && call.status().equals(status)) {
				return call.end();
			}
		}
		return 0;
	}

	/**
	 * The status changes of calls that started at or after {@code from}: "DOWN at +981
	 * ms, UP at +3,200 ms".
	 */
	String describeSince(long from) {
		StringBuilder text = new StringBuilder();
		String last = null;
		for (Call call : this.calls) {
			if (call.start() - from < 0) {
				last = call.status();
				continue;
			}
			if (!call.status().equals(last)) {
				text.append(text.length() == 0 ? "" : ", ")
					.append(call.status())
					.append(" at +")
					.append(Millis.format(Millis.between(from, call.end()), 0));
				last = call.status();
			}
		}
		return (text.length() == 0) ? "no change" : text.toString();
	}

	/** The longest call under way at some moment of [from, to], finished or not. */
	double longestOverlapping(long from, long to) {
		double longest = 0;
		for (Call call : this.calls) {
			if (call.end() - from >= 0 && call.start() - to <= 0) {
				longest = Math.max(longest, call.millis());
			}
		}
		long start = this.underWay;
		if (start != 0 && start - to <= 0) {
			longest = Math.max(longest, Millis.since(start));
		}
		return longest;
	}

	@Override
	public void close() {
		this.running = false;
		Threads.stop(this.thread, 15_000, "health thread");
	}

}
