package io.gdbpool.bench.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLongArray;

import io.gdbpool.GDBPoolTemplate;

/**
 * Writes on the write route ({@code template.update} of an INSERT) on a few threads, each
 * paced at one write per {@value #PAUSE_MILLIS} ms as a service's requests would come,
 * whether the last one failed or not: every write with its start, end and error, and the
 * writes still under way.
 */
final class WriteLoad implements AutoCloseable {

	static final long PAUSE_MILLIS = 20;

	/**
	 * One write: nanoTime at start and end, and the error a caller saw (null when it
	 * succeeded).
	 */
	record Write(long start, long end, String error) {

		double millis() {
			return Millis.between(this.start, this.end);
		}

		boolean failed() {
			return this.error != null;
		}

	}

	private final ExecutorService threads;

	private final ConcurrentLinkedQueue<Write> writes = new ConcurrentLinkedQueue<>();

	/** Per thread, the start of the write under way, 0 when none. */
	private final AtomicLongArray underWay;

	private volatile boolean running = true;

	WriteLoad(GDBPoolTemplate template, int threadCount) {
		this.threads = Threads.daemons("writer", threadCount);
		this.underWay = new AtomicLongArray(threadCount);
		String sql = "INSERT INTO " + FaultSchema.WRITE + " DEFAULT VALUES";
		for (int i = 0; i < threadCount; i++) {
			int slot = i;
			this.threads.execute(() -> {
				while (this.running) {
					long start = System.nanoTime();
					this.underWay.set(slot, start);
					String error = null;
					try {
						template.update(sql);
					}
					catch (RuntimeException ex) {
						error = Outcomes.brief(ex);
					}
					this.underWay.set(slot, 0);
					this.writes.add(new Write(start, System.nanoTime(), error));
					Millis.sleep(PAUSE_MILLIS);
				}
			});
		}
	}

	/** Writes that started in [from, to). */
	List<Write> startedBetween(long from, long to) {
		List<Write> result = new ArrayList<>();
		for (Write w : this.writes) {
			if (w.start() - from >= 0 && w.start() - to < 0) {
				result.add(w);
			}
		}
		return result;
	}

	/**
	 * The longest write that was under way at some moment of [from, to], finished or not.
	 */
	double longestOverlapping(long from, long to) {
		double longest = 0;
		for (Write w : this.writes) {
			if (w.end() - from >= 0 && w.start() - to <= 0) {
				longest = Math.max(longest, w.millis());
			}
		}
		long now = System.nanoTime();
		for (int i = 0; i < this.underWay.length(); i++) {
			long start = this.underWay.get(i);
			if (start != 0 && start - to <= 0) {
				longest = Math.max(longest, Millis.between(start, now));
			}
		}
		return longest;
	}

	/**
	 * Of the writes already under way at {@code from}, the longest time one kept waiting
	 * after it: until it ended, or until {@code to} if it had not ended by then. With
	 * {@code from} the moment health said DOWN, how long callers that were already
	 * waiting still waited once the library knew the server was gone.
	 */
	double longestWaitAfter(long from, long to) {
		double longest = 0;
		for (Write w : this.writes) {
			if (w.start() - from < 0 && w.end() - from > 0) {
				long end = (w.end() - to < 0) ? w.end() : to;
				longest = Math.max(longest, Millis.between(from, end));
			}
		}
		for (int i = 0; i < this.underWay.length(); i++) {
			long start = this.underWay.get(i);
			if (start != 0 && start - from < 0) {
				longest = Math.max(longest, Millis.between(from, to));
			}
		}
		return longest;
	}

	/** The errors of the writes that started in [from, to), counted by message. */
	Outcomes errorsBetween(long from, long to) {
		Outcomes errors = new Outcomes();
		for (Write w : startedBetween(from, to)) {
			if (w.failed()) {
				String error = w.error();
				errors.add(error);
			}
		}
		return errors;
	}

	/**
	 * The first write that succeeded at or after {@code from} (it may have started
	 * before), or null.
	 */
	Write firstSuccessfulWriteAfter(long from) {
		Write first = null;
		for (Write w : this.writes) {
			if (!w.failed() && w.end() - from >= 0 && (first == null || w.end() - first.end() < 0)) {
				first = w;
			}
		}
		return first;
	}

	/** When the first write that succeeded at or after {@code from} ended, or 0. */
	long firstSuccessAfter(long from) {
		Write first = firstSuccessfulWriteAfter(from);
		return (first != null) ? first.end() : 0;
	}

	/** Whether every write that started before {@code moment} has finished. */
	boolean settledBefore(long moment) {
		for (int i = 0; i < this.underWay.length(); i++) {
			long start = this.underWay.get(i);
			if (start != 0 && start - moment < 0) {
				return false;
			}
		}
		return true;
	}

	@Override
	public void close() {
		this.running = false;
		Threads.stop(this.threads, 15_000, "writer threads");
	}

}
