package io.gdbpool.notify;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Tells the reader thread to end, and ends whatever it waits for at once: stop() must not
 * sit out a reconnection pause of up to {@code reconnect-max-backoff}. One per start.
 */
final class StopSignal implements Reconnection.Clock {

	private final CountDownLatch latch = new CountDownLatch(1);

	void fire() {
		this.latch.countDown();
	}

	boolean fired() {
		return this.latch.getCount() == 0;
	}

	@Override
	public long nanoTime() {
		return System.nanoTime();
	}

	@Override
	public boolean sleepUntil(long dueNanos) {
		try {
			long wait = dueNanos - System.nanoTime();
			if (wait > 0) {
				return !this.latch.await(wait, TimeUnit.NANOSECONDS);
			}
			return !fired();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

}
