package io.gdbpool.routing;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Tells the monitor whether a pool whose server answers again hands out connections yet.
 * After an outage HikariCP's connection attempts back off, so the first requests sent
 * back to it would wait: the pool takes work back only once a borrow in the background
 * succeeded.
 */
final class PoolWarmUp {

	private final Function<Runnable, Future<?>> background;

	private final long waitMillis;

	private final Map<Pool, Future<?>> borrows = new ConcurrentHashMap<>();

	/**
	 * @param background runs a borrow off the monitor's thread
	 * @param wait how long one check waits for the borrow
	 */
	PoolWarmUp(Function<Runnable, Future<?>> background, Duration wait) {
		this.background = background;
		this.waitMillis = wait.toMillis();
	}

	/**
	 * Borrows a connection in the background (once at a time per pool) and waits for it a
	 * little.
	 * @param pool a pool whose server answers again
	 * @return true once a borrow succeeded; false while it runs or after it failed (the
	 * next check tries again)
	 */
	boolean isWarm(Pool pool) {
		Future<?> borrow = this.borrows.computeIfAbsent(pool, (key) -> this.background.apply(() -> {
			try (Connection connection = key.getDataSource().getConnection()) {
				// borrowed and given back: the pool has a live connection again
			}
			catch (SQLException ex) {
				throw new IllegalStateException(ex.getMessage(), ex);
			}
		}));
		try {
			borrow.get(this.waitMillis, TimeUnit.MILLISECONDS);
			this.borrows.remove(pool, borrow);
			return true;
		}
		catch (TimeoutException ex) {
			return false;
		}
		catch (ExecutionException ex) {
			this.borrows.remove(pool, borrow);
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

}
