package io.gdbpool.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.gdbpool.notify.PgListen;
import io.gdbpool.notify.PgListenerContainer;
import io.gdbpool.notify.PgListenerProperties;
import io.gdbpool.notify.PgListenerStartupException;
import io.gdbpool.notify.PgNotification;
import io.gdbpool.notify.PgNotificationEvent;
import io.gdbpool.notify.PgNotificationListener;
import io.gdbpool.test.GDBPoolContextRunner;
import io.gdbpool.test.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The LISTEN auto-configuration in an application context: {@code @PgListen} binding,
 * placeholders, start-up failures, events.
 */
@ExtendWith(TestDatabase.class)
class GDBPoolListenerAutoConfigurationTests {

	private final ApplicationContextRunner runner = GDBPoolContextRunner.create()
		.withConfiguration(
				AutoConfigurations.of(GDBPoolListenerAutoConfiguration.class, JacksonAutoConfiguration.class))
		.withPropertyValues(GDBPoolContextRunner.pool("primary", TestDatabase.url(), "write"));

	@Test
	void bindsEveryParameterTypeResolvesPlaceholdersAndUsesTheApplicationsJsonMapper() {
		String json = TestDatabase.uniqueName("Seat_Changed");
		String raw = TestDatabase.uniqueName("raw");
		String pairs = TestDatabase.uniqueName("legacy");
		String plain = TestDatabase.uniqueName("plain");
		this.runner.withUserConfiguration(Handlers.class)
			.withPropertyValues("test.json=" + json, "test.raw=" + raw, "test.pairs=" + pairs, "test.plain=" + plain)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean("pgNotificationListener")).isInstanceOf(PgListenerContainer.class);
				PgNotificationListener listener = context.getBean(PgNotificationListener.class);
				assertThat(listener.isConnected()).isTrue();
				assertThat(listener.channels()).containsExactlyInAnyOrder(json, raw, pairs, plain);
				Handlers handlers = context.getBean(Handlers.class);

				TestDatabase.execute("SELECT pg_notify('" + json + "', '{\"seat_id\": 7, \"status\": \"taken\"}')",
						"SELECT pg_notify('" + raw + "', 'r1')",
						"SELECT pg_notify('" + pairs + "', 'id:42|op:update|at:12:00')",
						"SELECT pg_notify('" + plain + "', 'hello')");
				await().atMost(Duration.ofSeconds(10))
					.until(() -> handlers.seats.size() == 1 && handlers.raw.size() == 2 && handlers.pairs.size() == 1
							&& handlers.plain.size() == 2);
				// the application's mapper reads snake_case into the record
				assertThat(handlers.seats).containsExactly(new SeatChange(7, "taken"));
				// one method on two channels; two methods on one channel
				assertThat(handlers.raw).extracting(PgNotification::channel).containsExactlyInAnyOrder(raw, plain);
				assertThat(handlers.raw).extracting(PgNotification::payload).containsExactlyInAnyOrder("r1", "hello");
				assertThat(handlers.plain).containsExactly("hello", "hello");
				assertThat(handlers.pairs).containsExactly(Map.of("id", "42", "op", "update", "at", "12:00"));
			});
	}

	@Test
	void withoutAnyListenerForThemNoNotificationEventIsBuilt() {
		this.runner.withPropertyValues("gdbpool.listener.channels=" + TestDatabase.uniqueName("quiet"))
			.run((context) -> {
				assertThat(((PgListenerContainer) context.getBean(PgNotificationListener.class))
					.isPublishingNotificationEvents()).isFalse();
			});
	}

	@Test
	void everyNotificationIsAnApplicationEventIncludingConfiguredChannelsWithoutMethods() {
		String channel = TestDatabase.uniqueName("configured");
		this.runner.withUserConfiguration(EventHandlers.class)
			.withPropertyValues("gdbpool.listener.channels=" + channel)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				EventHandlers events = context.getBean(EventHandlers.class);
				TestDatabase.execute("SELECT pg_notify('" + channel + "', 'via event')");
				await().atMost(Duration.ofSeconds(10)).until(() -> !events.received.isEmpty());
				assertThat(events.received).singleElement().satisfies((n) -> {
					assertThat(n.channel()).isEqualTo(channel);
					assertThat(n.payload()).isEqualTo("via event");
				});
			});
	}

	@Test
	void withoutChannelsNoConnectionIsOpenedUntilTheFirstSubscription() {
		String channel = TestDatabase.uniqueName("late");
		this.runner.run((context) -> {
			PgNotificationListener listener = context.getBean(PgNotificationListener.class);
			assertThat(listener.isConnected()).isFalse();
			assertThat(((PgListenerContainer) listener).backendPid()).isZero();
			java.util.List<String> payloads = new java.util.concurrent.CopyOnWriteArrayList<>();
			listener.subscribe(channel, (n) -> payloads.add(n.payload()));
			assertThat(listener.isConnected()).isTrue();
			TestDatabase.execute("SELECT pg_notify('" + channel + "', 'first')");
			await().atMost(Duration.ofSeconds(10)).until(() -> payloads.equals(java.util.List.of("first")));
		});
	}

	@Test
	void startsDuringRefreshAndClosingTheContextEndsTheSessionAndEveryThread() {
		int[] pid = new int[1];
		this.runner.withPropertyValues("gdbpool.listener.channels=" + TestDatabase.uniqueName("fixed"))
			.run((context) -> {
				PgNotificationListener listener = context.getBean(PgNotificationListener.class);
				assertThat(listener.isConnected()).isTrue();
				pid[0] = ((PgListenerContainer) listener).backendPid();
				assertThat(sessionExists(pid[0])).isTrue();
			});
		await().atMost(Duration.ofSeconds(5)).until(() -> !sessionExists(pid[0]));
		await().atMost(Duration.ofSeconds(5))
			.until(() -> Thread.getAllStackTraces()
				.keySet()
				.stream()
				.noneMatch((t) -> t.getName().startsWith("gdbpool-listener")
						|| t.getName().startsWith("gdbpool-notify-")));
	}

	@Test
	void methodThatCannotBeBoundFailsStartUpNamingIt() {
		this.runner.withUserConfiguration(TwoParameters.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining(TwoParameters.class.getName() + ".onTwo(String, String)")
				.hasMessageContaining("exactly one parameter");
		});
	}

	@Test
	void emptyOrTruncatedChannelNameFailsStartUpNamingTheMethod() {
		this.runner.withUserConfiguration(EmptyChannel.class).withPropertyValues("test.empty=").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining(EmptyChannel.class.getName() + ".on(String)")
				.hasMessageContaining("must not be empty");
		});
		this.runner.withUserConfiguration(LongChannel.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining(LongChannel.class.getName() + ".on(String)")
				.hasMessageContaining("64 bytes");
		});
	}

	@Test
	void listenerOnAHotStandbyFailsStartUpSayingSo() {
		String replica = TestDatabase.replicaUrl();
		this.runner.withPropertyValues(GDBPoolContextRunner.pool("replica", replica, "read"))
			.withPropertyValues("gdbpool.listener.pool=replica", "gdbpool.listener.channels=standby_test")
			.run((context) -> {
				assertThat(context).hasFailed();
				Throwable failure = context.getStartupFailure();
				assertThat(failure).rootCause()
					.isInstanceOf(PgListenerStartupException.class)
					.hasMessageContaining("standbys reject LISTEN");
				FailureAnalysis analysis = new ListenerStartupFailureAnalyzer().analyze(failure);
				assertThat(analysis.getDescription()).contains(replica).contains("hot standby");
				assertThat(analysis.getAction()).contains("gdbpool.listener.pool");
			});
	}

	@Test
	void listenerUrlOverridesThePoolsAndAnUnreachableOneFailsStartUp() {
		this.runner
			.withPropertyValues("gdbpool.listener.url=jdbc:postgresql://127.0.0.1:1/test",
					"gdbpool.listener.channels=unreachable_test")
			.run((context) -> {
				assertThat(context).hasFailed();
				Throwable failure = context.getStartupFailure();
				assertThat(failure).rootCause().hasMessageContaining("Connection");
				FailureAnalysis analysis = new ListenerStartupFailureAnalyzer().analyze(failure);
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription()).contains("jdbc:postgresql://127.0.0.1:1/test");
				assertThat(analysis.getAction()).contains("gdbpool.listener.url");
			});
	}

	@Test
	void aStartUpFailureNamesTheListenerUrlWithoutItsSecrets() {
		this.runner
			.withPropertyValues(
					"gdbpool.listener.url=jdbc:postgresql://listener:s3cret@127.0.0.1:1/test?password=s3cret",
					"gdbpool.listener.channels=secret_test")
			.run((context) -> {
				assertThat(context).hasFailed();
				// (pgjdbc takes "listener:s3cret@127.0.0.1" for a host name, so its own
				// exception below ours names it; what the listener writes is masked)
				FailureAnalysis analysis = new ListenerStartupFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription()).contains("127.0.0.1:1/test").doesNotContain("s3cret");
				assertThat(analysis.getAction()).doesNotContain("s3cret");
			});
	}

	@Test
	void theListenerPropertiesStartFromTheListenersDefaults() {
		GDBPoolProperties.Listener listener = new GDBPoolProperties().getListener();
		assertThat(listener.getMaxPending()).isEqualTo(PgListenerProperties.DEFAULT_MAX_PENDING);
		assertThat(listener.getLivenessInterval()).isEqualTo(PgListenerProperties.DEFAULT_LIVENESS_INTERVAL);
		assertThat(listener.getReconnectMaxBackoff()).isEqualTo(PgListenerProperties.DEFAULT_RECONNECT_MAX_BACKOFF);
	}

	@Test
	void backsOffWhenTheApplicationDefinesItsListener() {
		this.runner.withUserConfiguration(OwnListener.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).getBean(PgNotificationListener.class).isSameAs(context.getBean("ownListener"));
		});
	}

	private static boolean sessionExists(int pid) {
		try (java.sql.Connection connection = TestDatabase.connect(TestDatabase.url());
				java.sql.Statement statement = connection.createStatement();
				java.sql.ResultSet rs = statement.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE pid = "
						+ pid + " AND application_name = 'gdbpool-listener'")) {
			rs.next();
			return rs.getInt(1) == 1;
		}
		catch (java.sql.SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	record SeatChange(int seatId, String status) {
	}

	@Configuration(proxyBeanMethods = false)
	static class Handlers {

		final List<SeatChange> seats = new CopyOnWriteArrayList<>();

		final List<PgNotification> raw = new CopyOnWriteArrayList<>();

		final List<Map<String, String>> pairs = new CopyOnWriteArrayList<>();

		final List<String> plain = new CopyOnWriteArrayList<>();

		@Bean
		JsonMapper applicationJsonMapper() {
			return JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();
		}

		@PgListen("${test.json}")
		void onSeat(SeatChange change) {
			this.seats.add(change);
		}

		@PgListen({ "${test.raw}", "${test.plain}" })
		void onRaw(PgNotification notification) {
			this.raw.add(notification);
		}

		@PgListen("${test.pairs}")
		void onPairs(Map<String, String> pairs) {
			this.pairs.add(pairs);
		}

		@PgListen("${test.plain}")
		void onText(String payload) {
			this.plain.add(payload);
		}

		@PgListen("${test.plain}")
		public void onTextAgain(String payload) {
			this.plain.add(payload);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class EventHandlers {

		final List<PgNotification> received = new CopyOnWriteArrayList<>();

		@EventListener
		void on(PgNotificationEvent event) {
			this.received.add(event.getNotification());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TwoParameters {

		@PgListen("two")
		void onTwo(String a, String b) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class EmptyChannel {

		@PgListen("${test.empty}")
		void on(String payload) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class LongChannel {

		@PgListen("cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc")
		void on(String payload) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnListener {

		@Bean
		PgNotificationListener ownListener() {
			return new PgNotificationListener() {

				@Override
				public io.gdbpool.notify.Subscription subscribe(String channel,
						java.util.function.Consumer<PgNotification> handler) {
					return () -> {
					};
				}

				@Override
				public boolean isConnected() {
					return false;
				}

				@Override
				public java.util.Set<String> channels() {
					return java.util.Set.of();
				}

			};
		}

	}

}
