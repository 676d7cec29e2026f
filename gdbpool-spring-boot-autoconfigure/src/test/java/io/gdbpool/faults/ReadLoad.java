package io.gdbpool.faults;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import io.gdbpool.GDBPoolTemplate;

/**
 * Reads through the template on a few threads until stopped, as a service under load
 * would: what each read returned, which pool served it, every error, and the longest
 * wait.
 */
final class ReadLoad implements AutoCloseable {

	private final ExecutorService threads;

	private final ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();

	private final Map<String, LongAdder> servedBy = new ConcurrentHashMap<>();

	private final AtomicLong longestNanos = new AtomicLong();

	private final LongAdder reads = new LongAdder();

	private volatile boolean running = true;

	ReadLoad(GDBPoolTemplate template, int threadCount) {
		this.threads = Executors.newFixedThreadPool(threadCount);
		for (int i = 0; i < threadCount; i++) {
			this.threads.execute(() -> {
				while (this.running) {
					long start = System.nanoTime();
					try {
						List<Map<String, Object>> rows = template
							.queryForList("SELECT current_setting('application_name') AS pool");
						this.servedBy.computeIfAbsent((String) rows.get(0).get("pool"), (k) -> new LongAdder())
							.increment();
					}
					catch (RuntimeException ex) {
						this.errors.add(ex);
					}
					long took = System.nanoTime() - start;
					this.longestNanos.accumulateAndGet(took, Math::max);
					this.reads.increment();
				}
			});
		}
	}

	/** Forgets the longest wait so far, e.g. once warmed up. */
	void resetLongest() {
		this.longestNanos.set(0);
	}

	long longestMillis() {
		return TimeUnit.NANOSECONDS.toMillis(this.longestNanos.get());
	}

	List<Throwable> errors() {
		return List.copyOf(this.errors);
	}

	long reads() {
		return this.reads.sum();
	}

	long servedBy(String pool) {
		LongAdder count = this.servedBy.get(pool);
		return (count != null) ? count.sum() : 0;
	}

	@Override
	public void close() throws InterruptedException {
		this.running = false;
		this.threads.shutdown();
		if (!this.threads.awaitTermination(60, TimeUnit.SECONDS)) {
			throw new AssertionError("readers did not stop within 60 s: some read hangs");
		}
	}

}
