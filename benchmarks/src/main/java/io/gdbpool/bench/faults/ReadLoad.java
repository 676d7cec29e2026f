package io.gdbpool.bench.faults;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import io.gdbpool.GDBPoolTemplate;

/**
 * Reads on the read route ({@code template.queryForList} outside a transaction) on a few
 * threads, back to back, as a service under load: which pool served each read (its
 * connection's {@code application_name}), every error a caller saw, and the longest read
 * since {@link #mark()}.
 */
final class ReadLoad implements AutoCloseable {

	private static final String SQL = "SELECT current_setting('application_name') AS pool";

	private final ExecutorService threads;

	private final Map<String, LongAdder> servedBy = new ConcurrentHashMap<>();

	private final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();

	private final LongAdder errorCount = new LongAdder();

	private final AtomicLong longestNanos = new AtomicLong();

	/** When the longest read of the window started (nanoTime). */
	private volatile long longestStart;

	private final LongAdder reads = new LongAdder();

	private volatile boolean running = true;

	ReadLoad(GDBPoolTemplate template, int threadCount) {
		this.threads = Threads.daemons("reader", threadCount);
		for (int i = 0; i < threadCount; i++) {
			this.threads.execute(() -> {
				while (this.running) {
					long start = System.nanoTime();
					try {
						List<Map<String, Object>> rows = template.queryForList(SQL);
						this.servedBy.computeIfAbsent(String.valueOf(rows.get(0).get("pool")), (k) -> new LongAdder())
							.increment();
					}
					catch (RuntimeException ex) {
						this.errorCount.increment();
						if (this.errors.size() < 5) {
							this.errors.add(Outcomes.brief(ex));
						}
					}
					long took = System.nanoTime() - start;
					if (took > this.longestNanos.get()) {
						recordLongest(start, took);
					}
					this.reads.increment();
				}
			});
		}
	}

	private synchronized void recordLongest(long start, long took) {
		if (took > this.longestNanos.get()) {
			this.longestNanos.set(took);
			this.longestStart = start;
		}
	}

	/** Starts a new window: longest read and errors count from here. */
	synchronized void mark() {
		this.longestNanos.set(0);
		this.longestStart = 0;
		this.errorCount.reset();
		this.errors.clear();
	}

	double longestMillis() {
		return this.longestNanos.get() / 1e6;
	}

	long longestStart() {
		return this.longestStart;
	}

	long errorCount() {
		return this.errorCount.sum();
	}

	/** Up to five error messages of the window. */
	List<String> errors() {
		return List.copyOf(this.errors);
	}

	long reads() {
		return this.reads.sum();
	}

	long servedBy(String applicationName) {
		LongAdder n = this.servedBy.get(applicationName);
		return (n != null) ? n.sum() : 0;
	}

	@Override
	public void close() {
		this.running = false;
		Threads.stop(this.threads, 15_000, "reader threads");
	}

}
