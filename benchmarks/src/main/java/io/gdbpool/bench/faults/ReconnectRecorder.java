package io.gdbpool.bench.faults;

import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.gdbpool.notify.PgListenerReconnectedEvent;

import org.springframework.context.ApplicationListener;

/**
 * Records every {@link PgListenerReconnectedEvent} with the moment it arrived, as an
 * application's resync listener would receive it.
 */
public class ReconnectRecorder implements ApplicationListener<PgListenerReconnectedEvent> {

	record Received(long atNanos, Duration downtime) {
	}

	private final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();

	@Override
	public void onApplicationEvent(PgListenerReconnectedEvent event) {
		this.received.add(new Received(System.nanoTime(), event.downtime()));
	}

	/** The first event received at or after {@code sinceNanos}, or null. */
	Received firstSince(long sinceNanos) {
		for (Received r : this.received) {
			if (r.atNanos() - sinceNanos >= 0) {
				return r;
			}
		}
		return null;
	}

}
