package io.gdbpool.bench.faults;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Load threads: daemons, so a thread stuck on a frozen server can never keep the
 * harness's JVM alive, and stopped with a bounded wait that says so when a thread did not
 * end.
 */
final class Threads {

	private Threads() {
	}

	static ExecutorService daemons(String name, int count) {
		AtomicInteger number = new AtomicInteger();
		return Executors.newFixedThreadPool(count, (task) -> {
			Thread thread = new Thread(task, "faults-" + name + "-" + number.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
	}

	/**
	 * Stops the threads (they should have been told to end), interrupting them after
	 * {@code waitMillis}.
	 * @return whether every thread ended
	 */
	static boolean stop(ExecutorService threads, long waitMillis, String what) {
		threads.shutdown();
		try {
			if (threads.awaitTermination(waitMillis, TimeUnit.MILLISECONDS)) {
				return true;
			}
			threads.shutdownNow();
			boolean ended = threads.awaitTermination(5, TimeUnit.SECONDS);
			Progress.line("  " + what + " did not end within " + waitMillis + " ms"
					+ (ended ? "; interrupted" : "; left behind"));
			return false;
		}
		catch (InterruptedException ex) {
			threads.shutdownNow();
			Thread.currentThread().interrupt();
			return false;
		}
	}

}
