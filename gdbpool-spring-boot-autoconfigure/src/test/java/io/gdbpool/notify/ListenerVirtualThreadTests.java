package io.gdbpool.notify;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.gdbpool.autoconfigure.GDBPoolListenerAutoConfiguration;
import io.gdbpool.test.GDBPoolContextRunner;
import io.gdbpool.test.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With spring.threads.virtual.enabled=true on a JDK of at least 21, handlers run on
 * virtual threads (Surefire runs this class on the JDK that scripts/test.sh passes).
 */
@ExtendWith(TestDatabase.class)
class ListenerVirtualThreadTests {

	@BeforeAll
	static void requireVirtualThreads() {
		io.gdbpool.AsyncInteractionVirtualThreadTests.requireVirtualThreads();
	}

	@Test
	void handlersRunOnVirtualThreadsWhenTheyAreEnabled() {
		String channel = TestDatabase.uniqueName("virtual");
		List<Boolean> virtual = new CopyOnWriteArrayList<>();
		GDBPoolContextRunner.create()
			.withConfiguration(AutoConfigurations.of(GDBPoolListenerAutoConfiguration.class))
			.withPropertyValues(GDBPoolContextRunner.pool("primary", TestDatabase.url(), "write"))
			.withPropertyValues("spring.threads.virtual.enabled=true")
			.run((context) -> {
				context.getBean(PgNotificationListener.class)
					.subscribe(channel, (n) -> virtual
						.add(io.gdbpool.AsyncInteractionVirtualThreadTests.isVirtual(Thread.currentThread())));
				TestDatabase.execute("SELECT pg_notify('" + channel + "', 'a')",
						"SELECT pg_notify('" + channel + "', 'b')");
				await().atMost(Duration.ofSeconds(10)).until(() -> virtual.size() == 2);
				assertThat(virtual).containsOnly(true);
			});
	}

}
