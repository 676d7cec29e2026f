package io.gdbpool.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.gdbpool.routing.PoolRole;

import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Scenario 6: 10,000 {@code executeAsync} interactions ({@code SELECT 1} each) on a
 * 10-connection pool, on virtual threads (the executor
 * {@code spring.threads.virtual.enabled=true} gives the template), against 10 platform
 * threads looping {@code execute} over the same pool.
 */
final class AsyncScenario {

	static final String NAME = "6. executeAsync on virtual threads";

	static void run(Settings s, Report report) throws Exception {
		if (Runtime.version().feature() < 21) {
			report.row(NAME, "skipped", "–", "–", "–", "≥ 0.95", null);
			report.note(NAME, "Skipped: this JVM is " + Runtime.version()
					+ "; run the harness on JDK 25 (scripts/bench.sh does).");
			return;
		}
		SimpleAsyncTaskExecutor virtual = new SimpleAsyncTaskExecutor("bench-async-");
		virtual.setVirtualThreads(true);
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		int[] peakAsync = { 0 };
		int[] peakLoop = { 0 };
		int[] addedAsync = { 0 };
		int[] addedLoop = { 0 };
		int before = threads.getThreadCount();
		java.util.concurrent.ExecutorService platform = java.util.concurrent.Executors.newFixedThreadPool(10);
		// the template's executor, switched between the measured one (virtual) and a
		// control (platform)
		java.util.concurrent.atomic.AtomicReference<java.util.concurrent.Executor> executor = new java.util.concurrent.atomic.AtomicReference<>(
				virtual);
		try (Stack stack = Stack.builder(s.user())
			.pool("primary", PoolRole.WRITE, s.primaryUrl(), 10)
			.asyncExecutor((task) -> executor.get().execute(task))
			.build()) {
			stack.awaitFull();
			JdbcTemplate jdbc = stack.jdbc;
			int n = s.asyncInteractions();
			Interleaved runs = new Interleaved().add("template", () -> {
				int atStart = threads.getThreadCount();
				threads.resetPeakThreadCount();
				CompletableFuture<?>[] futures = new CompletableFuture<?>[n];
				long t0 = System.nanoTime();
				for (int i = 0; i < n; i++) {
					futures[i] = stack.template
						.executeAsync((status) -> jdbc.queryForObject("SELECT 1", Integer.class));
				}
				CompletableFuture.allOf(futures).get(5, TimeUnit.MINUTES);
				double rate = n / ((System.nanoTime() - t0) / 1e9);
				peakAsync[0] = Math.max(peakAsync[0], threads.getPeakThreadCount());
				addedAsync[0] = Math.max(addedAsync[0], threads.getPeakThreadCount() - atStart);
				return rate;
			}).add("reference", () -> {
				int atStart = threads.getThreadCount();
				threads.resetPeakThreadCount();
				AtomicInteger issued = new AtomicInteger();
				AtomicReference<Throwable> failure = new AtomicReference<>();
				Thread[] loop = new Thread[10];
				long t0 = System.nanoTime();
				for (int t = 0; t < loop.length; t++) {
					loop[t] = new Thread(() -> {
						try {
							while (issued.getAndIncrement() < n) {
								stack.template.execute((status) -> jdbc.queryForObject("SELECT 1", Integer.class));
							}
						}
						catch (Throwable ex) {
							failure.compareAndSet(null, ex);
						}
					});
					loop[t].start();
				}
				for (Thread t : loop) {
					t.join();
				}
				if (failure.get() != null) {
					throw new IllegalStateException(failure.get());
				}
				double rate = n / ((System.nanoTime() - t0) / 1e9);
				peakLoop[0] = Math.max(peakLoop[0], threads.getPeakThreadCount());
				addedLoop[0] = Math.max(addedLoop[0], threads.getPeakThreadCount() - atStart);
				return rate;
			}).add("platform", () -> {
				// control: the same executeAsync calls on a pool of 10 platform threads
				executor.set(platform);
				try {
					CompletableFuture<?>[] futures = new CompletableFuture<?>[n];
					long t0 = System.nanoTime();
					for (int i = 0; i < n; i++) {
						futures[i] = stack.template
							.executeAsync((status) -> jdbc.queryForObject("SELECT 1", Integer.class));
					}
					CompletableFuture.allOf(futures).get(5, TimeUnit.MINUTES);
					return n / ((System.nanoTime() - t0) / 1e9);
				}
				finally {
					executor.set(virtual);
				}
			}).add("control", () -> {
				// the same 10,000 interactions on virtual threads without executeAsync:
				// one virtual thread each, our own 10-permit semaphore, template.execute
				java.util.concurrent.Semaphore permits = new java.util.concurrent.Semaphore(10);
				CompletableFuture<?>[] futures = new CompletableFuture<?>[n];
				long t0 = System.nanoTime();
				for (int i = 0; i < n; i++) {
					CompletableFuture<Integer> future = new CompletableFuture<>();
					futures[i] = future;
					virtual.execute(() -> {
						try {
							permits.acquire();
							try {
								future.complete(stack.template
									.execute((status) -> jdbc.queryForObject("SELECT 1", Integer.class)));
							}
							finally {
								permits.release();
							}
						}
						catch (Throwable ex) {
							future.completeExceptionally(ex);
						}
					});
				}
				CompletableFuture.allOf(futures).get(5, TimeUnit.MINUTES);
				return n / ((System.nanoTime() - t0) / 1e9);
			}).run("S6", s.warmups(), s.shortPairs());
			Stats o = runs.stats("template");
			Stats ref = runs.stats("reference");
			Stats pr = runs.pairRatios("template", "reference");
			double ratio = pr.median();
			report.row(NAME,
					n + " interactions, 10 connections; peak platform threads " + peakAsync[0] + ", at most "
							+ addedAsync[0] + " more than when the trial began (reference loop: " + peakLoop[0] + ", +"
							+ addedLoop[0] + "; JVM before the scenario: " + before + ")",
					o.describe("%,.0f") + " interactions/s", ref.describe("%,.0f") + " interactions/s",
					String.format("%.3f (rounds %.3f–%.3f)", ratio, pr.min(), pr.max()), "≥ 0.95", ratio >= 0.95);
			Stats c = runs.stats("control");
			Stats cr = runs.pairRatios("control", "reference");
			report.row(NAME, "control: the same on virtual threads without executeAsync (own semaphore + execute)",
					c.describe("%,.0f") + " interactions/s", ref.describe("%,.0f") + " interactions/s",
					String.format("%.3f (rounds %.3f–%.3f)", cr.median(), cr.min(), cr.max()), "report", null);
			Stats p = runs.stats("platform");
			Stats ppr = runs.pairRatios("platform", "reference");
			report.row(NAME, "control: the same executeAsync calls on 10 platform threads (fixed pool)",
					p.describe("%,.0f") + " interactions/s", ref.describe("%,.0f") + " interactions/s",
					String.format("%.3f (rounds %.3f–%.3f)", ppr.median(), ppr.min(), ppr.max()), "report", null);
			report.note(NAME, "JVM " + Runtime.version() + ". Ours: all " + n
					+ " `executeAsync` submitted at once from one thread to "
					+ "Spring's `SimpleAsyncTaskExecutor` with virtual threads (what the starter uses with "
					+ "`spring.threads.virtual.enabled=true`); the template queues them and runs them on at most 10 workers "
					+ "(the pool's size) on that executor. Reference: 10 " + "platform threads loop `execute` until "
					+ n + " are done. Peak platform threads from "
					+ "`ThreadMXBean.getPeakThreadCount()` (virtual threads are not counted; their carriers are), reset before each trial; the 10 threads of the platform control's pool live through the whole scenario and are in every count.");
		}
		finally {
			platform.shutdownNow();
		}
	}

}
