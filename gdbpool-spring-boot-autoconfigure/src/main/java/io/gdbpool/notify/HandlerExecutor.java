package io.gdbpool.notify;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Where handlers run: the application's executor when it set one, else a bounded pool of
 * the container's own, made on start and shut down on stop (threads start in
 * {@code start()}, never earlier).
 */
final class HandlerExecutor implements Executor {

	private volatile @Nullable Executor configured;

	/** {@code null} while stopped, unless the application gave one. */
	private volatile @Nullable Executor current;

	private @Nullable ExecutorService own;

	/**
	 * @param executor the application's executor, or {@code null} for a pool of the
	 * container's own
	 */
	void configure(@Nullable Executor executor) {
		this.configured = executor;
		this.current = executor;
	}

	/** Makes the pool of the container's own, unless the application gave an executor. */
	void start() {
		if (this.current == null) {
			this.own = boundedPool();
			this.current = this.own;
		}
	}

	/**
	 * Shuts down the container's own pool, letting its tasks finish; the application's
	 * executor is the application's to shut down.
	 */
	void shutDown(long timeoutMillis) {
		ExecutorService pool = this.own;
		if (pool == null) {
			return;
		}
		pool.shutdown();
		try {
			if (!pool.awaitTermination(timeoutMillis, TimeUnit.MILLISECONDS)) {
				pool.shutdownNow();
			}
		}
		catch (InterruptedException ex) {
			pool.shutdownNow();
			Thread.currentThread().interrupt();
		}
		this.own = null;
		this.current = this.configured;
	}

	/**
	 * @throws RejectedExecutionException when stopped: the caller then delivers on its
	 * own thread
	 */
	@Override
	public void execute(Runnable task) {
		Executor executor = this.current;
		if (executor == null) {
			throw new RejectedExecutionException("The listener is not running");
		}
		executor.execute(task);
	}

	private static ExecutorService boundedPool() {
		int threads = Math.max(4, Runtime.getRuntime().availableProcessors() * 2);
		CustomizableThreadFactory threadFactory = new CustomizableThreadFactory("gdbpool-notify-");
		threadFactory.setDaemon(true);
		ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
				new LinkedBlockingQueue<>(), threadFactory);
		pool.allowCoreThreadTimeOut(true);
		return pool;
	}

}
