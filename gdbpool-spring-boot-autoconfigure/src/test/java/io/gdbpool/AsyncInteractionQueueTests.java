package io.gdbpool;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The queue behind {@code executeAsync}: never more workers than connections, everything
 * queued runs, in order per worker, cancelled work never runs, a refusing executor fails
 * the work. No database needed.
 */
class AsyncInteractionQueueTests {

	@Test
	void neverRunsMoreAtOnceThanItsWorkersAndRunsEverything() throws Exception {
		ExecutorService executor = Executors.newCachedThreadPool();
		try {
			AsyncInteractionQueue queue = new AsyncInteractionQueue(executor, 3);
			AtomicInteger running = new AtomicInteger();
			AtomicInteger mostAtOnce = new AtomicInteger();
			List<CompletableFuture<Integer>> futures = new ArrayList<>();
			for (int i = 0; i < 500; i++) {
				int n = i;
				futures.add(queue.submit((future) -> {
					mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
					Thread.onSpinWait();
					running.decrementAndGet();
					return n;
				}));
			}
			for (int i = 0; i < futures.size(); i++) {
				assertThat(futures.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(i);
			}
			assertThat(mostAtOnce.get()).isBetween(1, 3);
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void oneWorkerRunsWorkInTheOrderItWasSubmitted() throws Exception {
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			AsyncInteractionQueue queue = new AsyncInteractionQueue(executor, 1);
			List<Integer> order = new ArrayList<>();
			CountDownLatch hold = new CountDownLatch(1);
			CompletableFuture<Integer> first = queue.submit((future) -> {
				await(hold);
				order.add(0);
				return 0;
			});
			List<CompletableFuture<Integer>> rest = new ArrayList<>();
			for (int i = 1; i <= 20; i++) {
				int n = i;
				rest.add(queue.submit((future) -> {
					order.add(n);
					return n;
				}));
			}
			hold.countDown();
			first.get(10, TimeUnit.SECONDS);
			for (CompletableFuture<Integer> future : rest) {
				future.get(10, TimeUnit.SECONDS);
			}
			assertThat(order).hasSize(21).isSorted();
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void workCancelledBeforeItsTurnNeverRuns() throws Exception {
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			AsyncInteractionQueue queue = new AsyncInteractionQueue(executor, 1);
			CountDownLatch hold = new CountDownLatch(1);
			CompletableFuture<String> blocker = queue.submit((future) -> {
				await(hold);
				return "done";
			});
			AtomicInteger ran = new AtomicInteger();
			CompletableFuture<String> cancelled = queue.submit((future) -> {
				ran.incrementAndGet();
				return "ran";
			});
			assertThat(cancelled.cancel(false)).isTrue();
			hold.countDown();
			assertThat(blocker.get(10, TimeUnit.SECONDS)).isEqualTo("done");
			// a later submission runs after the cancelled one was passed over
			assertThat(queue.submit((future) -> "after").get(10, TimeUnit.SECONDS)).isEqualTo("after");
			assertThat(ran.get()).isZero();
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void aFailureReachesItsFutureAndTheWorkerGoesOn() throws Exception {
		AsyncInteractionQueue queue = new AsyncInteractionQueue(Runnable::run, 1);
		CompletableFuture<Object> failing = queue.submit((future) -> {
			throw new IllegalStateException("interaction failed");
		});
		assertThatThrownBy(() -> failing.get(1, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class);
		assertThat(queue.submit((future) -> 42).get(1, TimeUnit.SECONDS)).isEqualTo(42);
	}

	@Test
	void anExecutorThatRefusesFailsTheQueuedWork() {
		AsyncInteractionQueue queue = new AsyncInteractionQueue((task) -> {
			throw new RejectedExecutionException("shut down");
		}, 2);
		CompletableFuture<Integer> refused = queue.submit((future) -> 1);
		assertThat(refused).isCompletedExceptionally();
		assertThatThrownBy(refused::join).hasCauseInstanceOf(RejectedExecutionException.class);
	}

	private static void await(CountDownLatch latch) {
		try {
			if (!latch.await(10, TimeUnit.SECONDS)) {
				throw new IllegalStateException("never released");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
