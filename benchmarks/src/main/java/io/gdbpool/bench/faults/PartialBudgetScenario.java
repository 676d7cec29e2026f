package io.gdbpool.bench.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.gdbpool.GDBPoolTemplate;
import io.gdbpool.PartialTransaction;
import io.gdbpool.PartialTransactionLimitException;
import io.gdbpool.transaction.PartialTransactions;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Scenario 1: partial transactions at their budget (write pool of 10, so the default
 * budget is 5). (a) a burst of concurrent begins larger than the budget, (b) many short
 * holds on few seats from many threads, (c) ordinary requests while the budget is used up
 * against none open.
 */
final class PartialBudgetScenario {

	static final int ID = 1;

	static final String TITLE = "1. Partial transactions at the budget";

	private static final int POOL_SIZE = 10;

	private static final String OPENED = "opened";

	private static final String REFUSED = "refused (PartialTransactionLimitException)";

	private static final String SEAT_TAKEN = "seat taken (55P03, NOWAIT)";

	private PartialBudgetScenario() {
	}

	static void run(ScratchCluster cluster, FaultSettings s, FaultReport report) throws Exception {
		ScratchServer primary = cluster.primary();
		FaultApp.Pools pools = new FaultApp.Pools().write("main", primary.url())
			.set("gdbpool.pools.main.hikari.maximum-pool-size", POOL_SIZE);
		try (ConfigurableApplicationContext context = FaultApp.start(pools)) {
			GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
			PartialTransactions partials = context.getBean(PartialTransactions.class);
			int budget = partials.getMaxOpen();
			Progress.line("  budget (gdbpool.partial-transactions.max-open default) = " + budget);
			concurrentBegins(template, budget, 12, report);
			manyHolds(template, budget, 200, 20, 40, report);
			ordinaryRequests(template, partials, budget, s, report);
			report.note(ID,
					"Setup: one write pool `main` of " + POOL_SIZE + " connections on the scratch primary, every "
							+ "other setting default, so the budget is " + budget + " and `begin-wait` is 0. Holds are "
							+ "`template.begin(… SELECT … FOR UPDATE …)` on rows of a 40-row seat table.");
			report.note(ID,
					"(a) 12 threads released together by a latch each call `begin` on a row of their own; the holds "
							+ "that open stay open until all 12 calls returned. Time to refuse = duration of each refused `begin` call. "
							+ "A MISS on the count means the budget let more (or fewer) open than it says; on the time, that a "
							+ "refusal waited for something (a connection, a lock) instead of failing at once.");
			report.note(ID,
					"(b) 40 threads share 200 attempts; each picks one of 20 seats at random and calls `begin` with "
							+ "`SELECT … FOR UPDATE NOWAIT` (as the sample app does); an opened hold waits 20 ms (the user thinking) "
							+ "and then `commitWith` an UPDATE of the seat; a thread pauses 10–40 ms between its attempts. Expected "
							+ "outcomes: opened, refused by the budget, seat taken (PostgreSQL's 55P03); anything else is unexpected. "
							+ "Max wait = the longest `begin` call, whatever its outcome.");
			report.note(ID,
					"(c) 4 threads run ordinary requests back to back (`queryForList(\"SELECT 1\")`, `update` of their own "
							+ "row of another table, `notify`, in turn) for " + s.loadRounds()
							+ " alternating rounds of " + s.loadRoundMillis()
							+ " ms with no partial transaction open and with the whole budget held open "
							+ "(idle, each holding a row lock and a connection). Latency per request. A MISS means the holds took "
							+ "connections (or something else) that ordinary requests need.");
		}
	}

	/**
	 * (a): {@code count} begins at once; the budget opens, the rest are refused at once.
	 */
	private static void concurrentBegins(GDBPoolTemplate template, int budget, int count, FaultReport report)
			throws Exception {
		Outcomes outcomes = new Outcomes();
		AtomicLong longestRefusalNanos = new AtomicLong();
		ConcurrentLinkedQueue<PartialTransaction<Integer>> opened = new ConcurrentLinkedQueue<>();
		CountDownLatch ready = new CountDownLatch(count);
		CountDownLatch go = new CountDownLatch(1);
		CountDownLatch done = new CountDownLatch(count);
		ExecutorService threads = Threads.daemons("s1a", count);
		try {
			for (int i = 0; i < count; i++) {
				int seat = i + 1;
				threads.execute(() -> {
					ready.countDown();
					try {
						go.await(30, TimeUnit.SECONDS);
						long start = System.nanoTime();
						try {
							opened.add(template.begin((status) -> lockSeat(template, seat, false)));
							outcomes.add(OPENED);
						}
						catch (PartialTransactionLimitException ex) {
							longestRefusalNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
							outcomes.add(REFUSED, ex);
						}
						catch (RuntimeException ex) {
							outcomes.add("unexpected " + ex.getClass().getSimpleName(), ex);
						}
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
					finally {
						done.countDown();
					}
				});
			}
			ready.await(30, TimeUnit.SECONDS);
			go.countDown();
			if (!done.await(60, TimeUnit.SECONDS)) {
				throw new IllegalStateException("concurrent begins did not return within 60 s");
			}
		}
		finally {
			opened.forEach(PartialBudgetScenario::rollbackQuietly);
			Threads.stop(threads, 5_000, "begin threads");
		}
		long open = outcomes.count(OPENED);
		long refused = outcomes.count(REFUSED);
		long other = outcomes.total() - open - refused;
		double longest = longestRefusalNanos.get() / 1e6;
		Progress.line("  (a) " + outcomes.describe() + "; longest refusal " + Millis.format(longest, 0));
		report.row(ID, "1a. " + count + " concurrent `begin`s, budget " + budget, "opened / refused / other",
				open + " / " + refused + " / " + other, budget + " / " + (count - budget) + " / 0",
				open == budget && refused == count - budget && other == 0);
		report.row(ID, "1a. " + count + " concurrent `begin`s, budget " + budget, "longest time to refuse",
				(refused == 0) ? "none refused" : Millis.format(longest, 0), "≤ 50 ms (at once)",
				refused > 0 && longest <= 50);
		outcomes.examples().forEach((kind, example) -> {
			if (!kind.equals(OPENED) && !kind.equals(REFUSED)) {
				report.note(ID, "(a) unexpected outcome " + kind + ": `" + example + "`");
			}
		});
	}

	/**
	 * (b): {@code attempts} holds over {@code seats} seats from {@code threadCount}
	 * threads.
	 */
	private static void manyHolds(GDBPoolTemplate template, int budget, int attempts, int seats, int threadCount,
			FaultReport report) throws Exception {
		Outcomes outcomes = new Outcomes();
		AtomicInteger next = new AtomicInteger();
		AtomicInteger openNow = new AtomicInteger();
		AtomicInteger mostOpen = new AtomicInteger();
		AtomicLong longestBeginNanos = new AtomicLong();
		String update = "UPDATE " + FaultSchema.SEAT + " SET held_by = ? WHERE id = ?";
		ExecutorService threads = Threads.daemons("s1b", threadCount);
		List<Future<?>> futures = new ArrayList<>();
		long started = System.nanoTime();
		for (int t = 0; t < threadCount; t++) {
			String who = "t" + t;
			futures.add(threads.submit(() -> {
				ThreadLocalRandom random = ThreadLocalRandom.current();
				while (next.getAndIncrement() < attempts) {
					int seat = 1 + random.nextInt(seats);
					long start = System.nanoTime();
					PartialTransaction<Integer> hold = null;
					try {
						hold = template.begin((status) -> lockSeat(template, seat, true));
						longestBeginNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
						mostOpen.accumulateAndGet(openNow.incrementAndGet(), Math::max);
						outcomes.add(OPENED);
						Millis.sleep(20);
						openNow.decrementAndGet();
						hold.commitWith((status) -> template.jdbc().sql(update).params(who, seat).update());
					}
					catch (PartialTransactionLimitException ex) {
						longestBeginNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
						outcomes.add(REFUSED, ex);
					}
					catch (RuntimeException ex) {
						longestBeginNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
						if (hold == null && "55P03".equals(Outcomes.sqlState(ex))) {
							outcomes.add(SEAT_TAKEN, ex);
						}
						else {
							outcomes.add("unexpected " + ex.getClass().getSimpleName(), ex);
							if (hold != null) {
								rollbackQuietly(hold);
							}
						}
					}
					Millis.sleep(10 + random.nextInt(31));
				}
				return null;
			}));
		}
		try {
			for (Future<?> future : futures) {
				future.get(120, TimeUnit.SECONDS);
			}
		}
		finally {
			Threads.stop(threads, 5_000, "hold threads");
		}
		double took = Millis.since(started);
		long unexpected = outcomes.total() - outcomes.count(OPENED) - outcomes.count(REFUSED)
				- outcomes.count(SEAT_TAKEN);
		Progress
			.line("  (b) " + outcomes.describe() + " in " + Millis.format(took, 0) + "; most open " + mostOpen.get());
		String fault = "1b. " + attempts + " holds over " + seats + " seats from " + threadCount + " threads";
		report.row(ID, fault, "outcomes", outcomes.describe(), "0 unexpected", unexpected == 0);
		report.row(ID, fault, "most holds open at once (harness's count)", Integer.toString(mostOpen.get()),
				"≤ " + budget, mostOpen.get() <= budget);
		report.report(ID, fault, "longest `begin` call (max wait)", Millis.format(longestBeginNanos.get() / 1e6, 0));
		outcomes.examples().forEach((kind, example) -> {
			if (kind.startsWith("unexpected")) {
				report.note(ID, "(b) " + kind + ": `" + example.replace('|', '/') + "`");
			}
		});
	}

	/**
	 * (c): ordinary requests with the budget used up against none open, alternating
	 * rounds.
	 */
	private static void ordinaryRequests(GDBPoolTemplate template, PartialTransactions partials, int budget,
			FaultSettings s, FaultReport report) throws Exception {
		// warm both paths first, so the first round does not pay for class loading and
		// new connections
		OrdinaryRequests.run(template, 4, 300);
		OrdinaryRequests.Result without = new OrdinaryRequests.Result();
		OrdinaryRequests.Result with = new OrdinaryRequests.Result();
		int heldDuringRounds = Integer.MAX_VALUE;
		for (int round = 0; round < s.loadRounds() * 2; round++) {
			// A B, B A, …: both conditions see the same drift of a shared machine
			boolean holding = (round % 2 == 0) == (round / 2 % 2 == 0);
			if (!holding) {
				without.add(OrdinaryRequests.run(template, 4, s.loadRoundMillis()));
				continue;
			}
			List<PartialTransaction<Integer>> holds = new ArrayList<>();
			try {
				for (int i = 0; i < budget; i++) {
					int seat = FaultSchema.SEATS - i;
					holds.add(template.begin((status) -> lockSeat(template, seat, false)));
				}
				heldDuringRounds = Math.min(heldDuringRounds, partials.getOpenCount());
				with.add(OrdinaryRequests.run(template, 4, s.loadRoundMillis()));
			}
			finally {
				holds.forEach(PartialBudgetScenario::rollbackQuietly);
			}
		}
		Progress.line(String.format(
				"  (c) no holds: p50 %.2f ms p99 %.2f ms, %d errors; %d holds open: p50 %.2f ms p99 %.2f ms, %d errors",
				without.p50Millis(), without.p99Millis(), without.errorCount(), heldDuringRounds, with.p50Millis(),
				with.p99Millis(), with.errorCount()));
		String fault = "1c. ordinary requests, 4 threads";
		report.report(ID, fault + ", no partial transaction open", "p50 / p99 latency, errors",
				String.format("%.2f / %.2f ms, %d errors in %,d requests", without.p50Millis(), without.p99Millis(),
						without.errorCount(), without.requests));
		report.row(ID, fault + ", all " + budget + " budget places held open", "errors",
				with.errorCount() + " in " + String.format("%,d", with.requests) + " requests", "0",
				with.errorCount() == 0 && without.errorCount() == 0);
		double bound = 2 * without.p99Millis() + 5;
		report.row(ID, fault + ", all " + budget + " budget places held open", "p50 / p99 latency",
				String.format("%.2f / %.2f ms", with.p50Millis(), with.p99Millis()),
				String.format("p99 ≤ 2 × %.2f + 5 = %.2f ms", without.p99Millis(), bound), with.p99Millis() <= bound);
		without.errors.examples()
			.forEach((kind, example) -> report.note(ID, "(c) error without holds: `" + example + "`"));
		with.errors.examples().forEach((kind, example) -> report.note(ID, "(c) error with holds: `" + example + "`"));
	}

	private static int lockSeat(GDBPoolTemplate template, int seat, boolean noWait) {
		String sql = "SELECT id FROM " + FaultSchema.SEAT + " WHERE id = ? FOR UPDATE" + (noWait ? " NOWAIT" : "");
		return template.jdbc().sql(sql).param(seat).query(Integer.class).single();
	}

	private static void rollbackQuietly(PartialTransaction<?> hold) {
		try {
			hold.rollback();
		}
		catch (RuntimeException ex) {
			Progress.line("  rollback of a hold failed: " + ex);
		}
	}

}
