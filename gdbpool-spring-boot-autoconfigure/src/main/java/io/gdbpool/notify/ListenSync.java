package io.gdbpool.notify;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The hand-over between threads that change the wanted channels and the reader thread,
 * the only one that may touch the connection (pgjdbc connections are not thread-safe): a
 * subscriber asks for a LISTEN and waits, the reader brings the connection in line
 * between two polls and then releases everyone who asked before it began.
 * <p>
 * The order makes it safe without a lock: a caller changes the wanted channels first,
 * then queues its waiter, then raises the flag; the reader lowers the flag first, then
 * takes the waiters, then reads the wanted channels. So a waiter the reader takes has its
 * change in what the reader reads, and a waiter it misses has raised the flag again for
 * the next round.
 */
final class ListenSync {

	// under the container's name, where this warning has always been logged
	private static final Log logger = LogFactory.getLog(PgListenerContainer.class);

	/** How long a caller waits for the reader to LISTEN or UNLISTEN. */
	private static final long WAIT_MILLIS = 30_000;

	private final AtomicBoolean requested = new AtomicBoolean();

	private final ConcurrentLinkedQueue<CompletableFuture<Void>> waiters = new ConcurrentLinkedQueue<>();

	/**
	 * A change of the connection's LISTENs to match the wanted channels.
	 */
	@FunctionalInterface
	interface Change {

		void apply() throws SQLException;

	}

	// --- callers ---

	/**
	 * Asks the reader to bring the connection in line, without waiting: before the reader
	 * runs, or on the reader thread itself.
	 */
	void request() {
		this.requested.set(true);
	}

	/**
	 * Asks the reader to bring the connection in line and, while it is connected, waits
	 * until it did. While it is not, a reconnection LISTENs to every wanted channel
	 * anyway, and no caller should wait out an outage.
	 * @param connected whether the reader is connected
	 */
	void requestAndAwait(BooleanSupplier connected) {
		CompletableFuture<Void> done = new CompletableFuture<>();
		this.waiters.add(done);
		this.requested.set(true);
		if (!connected.getAsBoolean()) {
			return;
		}
		try {
			done.get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (TimeoutException | ExecutionException ex) {
			logger.warn("LISTEN/UNLISTEN not confirmed within " + WAIT_MILLIS + " ms; it happens once connected");
		}
	}

	// --- the reader thread ---

	/**
	 * @return whether a caller asked for a change since the last one
	 */
	boolean requested() {
		return this.requested.get();
	}

	/**
	 * Makes a change and then releases whoever asked for one before it began. A change
	 * that fails keeps them waiting: the connection is about to be replaced, and the
	 * reconnection's change releases them.
	 * @param change reads the wanted channels and LISTENs/UNLISTENs accordingly
	 */
	void run(Change change) throws SQLException {
		this.requested.set(false);
		List<CompletableFuture<Void>> asked = takeWaiters();
		try {
			change.apply();
		}
		catch (SQLException | RuntimeException ex) {
			this.waiters.addAll(asked);
			throw ex;
		}
		asked.forEach((waiter) -> waiter.complete(null));
	}

	/**
	 * Releases every waiter, at stop: nothing will LISTEN any more.
	 */
	void releaseAll() {
		takeWaiters().forEach((waiter) -> waiter.complete(null));
	}

	private List<CompletableFuture<Void>> takeWaiters() {
		List<CompletableFuture<Void>> taken = new ArrayList<>();
		for (CompletableFuture<Void> waiter; (waiter = this.waiters.poll()) != null;) {
			taken.add(waiter);
		}
		return taken;
	}

}
