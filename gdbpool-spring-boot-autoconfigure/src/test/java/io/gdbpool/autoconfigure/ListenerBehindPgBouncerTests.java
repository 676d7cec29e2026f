package io.gdbpool.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.gdbpool.notify.PgListen;
import io.gdbpool.notify.PgListenerStartupException;
import io.gdbpool.notify.PgNotificationListener;
import io.gdbpool.test.GDBPoolContextRunner;
import io.gdbpool.test.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The LISTEN connection and PgBouncer in transaction mode: refused at start-up with a
 * message that says to bypass it, detected even when the pool is not flagged, and working
 * with gdbpool.listener.url pointing at the server directly.
 */
@ExtendWith(TestDatabase.class)
class ListenerBehindPgBouncerTests {

	private final ApplicationContextRunner runner = GDBPoolContextRunner.create()
		.withConfiguration(AutoConfigurations.of(GDBPoolListenerAutoConfiguration.class))
		.withPropertyValues(GDBPoolContextRunner.pool("bounced", TestDatabase.pgbouncerUrl(), "write"))
		.withUserConfiguration(Listening.class)
		.withPropertyValues("test.channel=" + Listening.CHANNEL);

	@Test
	void aPoolFlaggedAsPgBouncerIsRefusedWithTheFix() {
		this.runner.withPropertyValues("gdbpool.pools.bounced.pgbouncer=true").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().isInstanceOf(PgListenerStartupException.class);
			FailureAnalysis analysis = new ListenerStartupFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("PgBouncer in transaction mode").contains("pgbouncer=true");
			assertThat(analysis.getAction()).contains("gdbpool.listener.url").contains("bypassing PgBouncer");
		});
	}

	@Test
	void anUnflaggedPoolThroughPgBouncerIsDetectedAtStartUp() {
		this.runner.run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new ListenerStartupFailureAnalyzer().analyze(context.getStartupFailure());
			// two checks can catch it, whichever PgBouncer's server sessions make fail
			// first: the notification probe that never arrives, or
			// pg_listening_channels() on another session
			assertThat(analysis.getDescription())
				.containsAnyOf("did not reach the LISTEN connection", "pg_listening_channels()")
				.contains("pooler in transaction mode (PgBouncer)");
			assertThat(analysis.getAction()).contains("gdbpool.listener.url");
		});
	}

	@Test
	void listenerUrlBypassingPgBouncerWorksWhileThePoolStaysBehindIt() {
		this.runner
			.withPropertyValues("gdbpool.pools.bounced.pgbouncer=true", "gdbpool.listener.url=" + TestDatabase.url())
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(PgNotificationListener.class).isConnected()).isTrue();
				context.getBean(io.gdbpool.GDBPoolTemplate.class).notify(Listening.CHANNEL, "through the pool");
				Listening listening = context.getBean(Listening.class);
				await().atMost(Duration.ofSeconds(10))
					.until(() -> listening.payloads.equals(List.of("through the pool")));
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class Listening {

		static final String CHANNEL = TestDatabase.uniqueName("bouncer_chan");

		final List<String> payloads = new CopyOnWriteArrayList<>();

		@Bean
		Object listeningHandler() {
			return new Object() {
				@PgListen("${test.channel}")
				void on(String payload) {
					Listening.this.payloads.add(payload);
				}
			};
		}

	}

}
