package io.gdbpool.bench;

import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Recorder;

/**
 * Where a receiver (our {@code @PgListen} method or the bare pgjdbc loop) puts what it
 * got: the same code on both sides. Payloads are {@code trial:sendNanos:seq}; a payload
 * of another trial (a straggler) is ignored.
 */
final class Sink {

	static final Sink NONE = new Sink(-1, null);

	private final String trialPrefix;

	private final Recorder latency;

	private final AtomicLong count = new AtomicLong();

	private volatile long lastNanos;

	Sink(int trial, Recorder latency) {
		this.trialPrefix = trial + ":";
		this.latency = latency;
	}

	void accept(String payload) {
		long now = System.nanoTime();
		if (!payload.startsWith(this.trialPrefix)) {
			return;
		}
		if (this.latency != null) {
			int from = this.trialPrefix.length();
			int to = payload.indexOf(':', from);
			long sent = Long.parseLong(payload, from, to, 10);
			this.latency.recordValue(Math.max(0, now - sent));
		}
		this.count.incrementAndGet();
		this.lastNanos = now;
	}

	long count() {
		return this.count.get();
	}

	long lastNanos() {
		return this.lastNanos;
	}

}
