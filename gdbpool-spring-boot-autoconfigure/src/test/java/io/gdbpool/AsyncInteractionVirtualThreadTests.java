package io.gdbpool;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.gdbpool.test.GDBPoolContextRunner;
import io.gdbpool.test.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Asynchronous interactions and partial transactions on virtual threads. Surefire runs
 * this class on a JDK of at least 21 (scripts/test.sh passes Temurin 25).
 */
@ExtendWith(TestDatabase.class)
public class AsyncInteractionVirtualThreadTests {

	@BeforeAll
	public static void requireVirtualThreads() {
		if (Runtime.version().feature() < 21) {
			String message = "Virtual-thread tests need a JDK >= 21 (set -Dgdbpool.java21.home); this is "
					+ Runtime.version();
			if ("true".equals(System.getenv("CI"))) {
				throw new AssertionError(message);
			}
			org.junit.jupiter.api.Assumptions.abort(message);
		}
	}

	@Test
	void tenThousandPendingInteractionsOnTenConnectionsAllCompleteOnVirtualThreads() {
		GDBPoolContextRunner.create()
			.withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class))
			.withPropertyValues(GDBPoolContextRunner.pool("primary", TestDatabase.url(), "write"))
			.withPropertyValues("gdbpool.pools.primary.hikari.maximum-pool-size=10",
					"gdbpool.pools.primary.hikari.connection-timeout=2000", "spring.threads.virtual.enabled=true")
			.run((context) -> {
				GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
				int platformBefore = ManagementFactory.getThreadMXBean().getThreadCount();
				ManagementFactory.getThreadMXBean().resetPeakThreadCount();
				List<CompletableFuture<Boolean>> futures = new ArrayList<>();
				for (int i = 0; i < 10_000; i++) {
					futures.add(template.executeAsync((status) -> {
						// each interaction holds its connection a little, so thousands
						// really wait
						template.jdbc().sql("SELECT pg_sleep(0.0005)").query().singleValue();
						return isVirtual(Thread.currentThread());
					}));
				}
				CompletableFuture.allOf(futures.toArray(new CompletableFuture[0])).get(5, TimeUnit.MINUTES);
				assertThat(futures).allSatisfy((future) -> assertThat(future.join()).isTrue());
				int peak = ManagementFactory.getThreadMXBean().getPeakThreadCount();
				assertThat(peak - platformBefore).as("platform threads started").isLessThan(100);
			});
	}

	// compiled for Java 17, run on 21+: Thread.isVirtual() through reflection
	public static boolean isVirtual(Thread thread) {
		try {
			return (Boolean) Thread.class.getMethod("isVirtual").invoke(thread);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Test
	void aPartialTransactionContinuesOnAVirtualThread() throws Exception {
		ExecutorService virtual = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor")
			.invoke(null);
		try {
			GDBPoolContextRunner.create()
				.withPropertyValues(GDBPoolContextRunner.pool("primary", TestDatabase.url(), "write"))
				.run((context) -> {
					GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
					PartialTransaction<Integer> hold = template.begin(
							(status) -> template.jdbc().sql("SELECT pg_backend_pid()").query(Integer.class).single());
					Integer pid = virtual.submit(() -> hold.commitWith((status) -> {
						assertThat(isVirtual(Thread.currentThread())).isTrue();
						return template.jdbc().sql("SELECT pg_backend_pid()").query(Integer.class).single();
					})).get(10, TimeUnit.SECONDS);
					assertThat(pid).isEqualTo(hold.result());
					assertThat(hold.isOpen()).isFalse();
				});
		}
		finally {
			virtual.shutdownNow();
		}
	}

}
