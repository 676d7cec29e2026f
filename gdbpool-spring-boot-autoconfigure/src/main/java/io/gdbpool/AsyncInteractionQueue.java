package io.gdbpool;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Asynchronous interactions waiting for a connection, and the few workers that run them.
 * At most as many workers as the route's pool has connections run at once, each on the
 * application's executor and each taking interaction after interaction until the queue is
 * empty: many more pending interactions than connections wait here, in order, instead of
 * each holding a thread blocked on the pool (or timing out there). A worker keeps its
 * thread while there is work, so HikariCP's and Spring's thread-local state stays warm.
 */
final class AsyncInteractionQueue {

	private final Executor executor;

	private final int maxWorkers;

	private final ConcurrentLinkedQueue<Pending<?>> queue = new ConcurrentLinkedQueue<>();

	private final AtomicInteger workers = new AtomicInteger();

	AsyncInteractionQueue(Executor executor, int maxWorkers) {
		this.executor = executor;
		this.maxWorkers = Math.max(1, maxWorkers);
	}

	/**
	 * Queues work; it never runs if its future is completed (e.g. cancelled) before its
	 * turn.
	 * @param <T> the result type
	 * @param work runs on a worker thread and returns the result
	 * @return the future of the result
	 */
	<T> CompletableFuture<T> submit(Function<CompletableFuture<T>, T> work) {
		Pending<T> pending = new Pending<>(work);
		this.queue.add(pending);
		startWorkerIfNeeded();
		return pending.future;
	}

	private void startWorkerIfNeeded() {
		while (!this.queue.isEmpty()) {
			int running = this.workers.get();
			if (running >= this.maxWorkers) {
				return;
			}
			if (this.workers.compareAndSet(running, running + 1)) {
				try {
					this.executor.execute(this::work);
				}
				catch (RejectedExecutionException ex) {
					this.workers.decrementAndGet();
					failQueued(ex);
				}
				return;
			}
		}
	}

	private void work() {
		try {
			for (Pending<?> pending; (pending = this.queue.poll()) != null;) {
				pending.run();
			}
		}
		finally {
			this.workers.decrementAndGet();
			// work queued between the last poll and the decrement must not be left
			// waiting
			startWorkerIfNeeded();
		}
	}

	private void failQueued(RejectedExecutionException ex) {
		if (this.workers.get() > 0) {
			// a running worker will take them
			return;
		}
		for (Pending<?> pending; (pending = this.queue.poll()) != null;) {
			pending.future.completeExceptionally(ex);
		}
	}

	private static final class Pending<T> {

		private final Function<CompletableFuture<T>, T> work;

		private final CompletableFuture<T> future = new CompletableFuture<>();

		Pending(Function<CompletableFuture<T>, T> work) {
			this.work = work;
		}

		void run() {
			if (this.future.isDone()) {
				return;
			}
			try {
				T result = this.work.apply(this.future);
				this.future.complete(result);
			}
			catch (Throwable ex) {
				this.future.completeExceptionally(ex);
			}
		}

	}

}
