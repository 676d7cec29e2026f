package io.gdbpool.notify;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.gdbpool.test.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.core.env.MapPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@code @PgListen} methods that take a payload and then the {@link PgNotification}
 * itself, in a plain Spring context (no Boot) against the real server: both arguments
 * arrive, the notification carries the sender's pid, and a signature that cannot be bound
 * fails start-up naming the method.
 */
@ExtendWith(TestDatabase.class)
class PgListenWithNotificationTests {

	@Test
	void stringJsonAndPairsPayloadsArriveWithTheNotificationAndTheSendersPid() throws SQLException {
		String text = TestDatabase.uniqueName("Text_Channel");
		String json = TestDatabase.uniqueName("json");
		String pairs = TestDatabase.uniqueName("pairs");
		try (AnnotationConfigApplicationContext context = context(Handlers.class,
				Map.of("test.text", text, "test.json", json, "test.pairs", pairs))) {
			Handlers handlers = context.getBean(Handlers.class);
			PgListenerContainer container = context.getBean(PgListenerContainer.class);
			assertThat(container.channels()).containsExactlyInAnyOrder(text, json, pairs);
			int senderPid;
			try (Connection connection = TestDatabase.connect(TestDatabase.url())) {
				senderPid = backendPid(connection);
				Notifications.send(connection, text, List.of("hello", "again"));
				Notifications.send(connection, json, List.of("{\"seatId\": 7, \"status\": \"taken\"}"));
				Notifications.send(connection, pairs, List.of("id:42|op:update"));
			}
			await().atMost(Duration.ofSeconds(10))
				.until(() -> handlers.texts.size() == 2 && handlers.seats.size() == 1 && handlers.pairs.size() == 1);

			assertThat(handlers.texts).extracting(Received::payload).containsExactly("hello", "again");
			assertThat(handlers.texts).extracting((r) -> r.notification().payload()).containsExactly("hello", "again");
			assertThat(handlers.seats).extracting(Received::payload).containsExactly(new SeatChange(7, "taken"));
			assertThat(handlers.pairs).extracting(Received::payload)
				.containsExactly(Map.of("id", "42", "op", "update"));
			assertThat(handlers.seats.get(0).notification().payload())
				.isEqualTo("{\"seatId\": 7, \"status\": \"taken\"}");
			assertThat(handlers.pairs.get(0).notification().payload()).isEqualTo("id:42|op:update");
			List<Received<?>> all = new CopyOnWriteArrayList<>();
			all.addAll(handlers.texts);
			all.addAll(handlers.seats);
			all.addAll(handlers.pairs);
			assertThat(all).allSatisfy((received) -> {
				assertThat(received.notification().pid()).isEqualTo(senderPid);
				assertThat(received.notification().receivedAt()).isNotNull();
			});
			// the channel each was sent on, exactly as named (case kept)
			assertThat(handlers.texts).extracting((r) -> r.notification().channel()).containsOnly(text);
			assertThat(handlers.seats).extracting((r) -> r.notification().channel()).containsOnly(json);
			assertThat(handlers.pairs).extracting((r) -> r.notification().channel()).containsOnly(pairs);
		}
	}

	@Test
	void oneMethodOnTwoChannelsTellsThemApartByTheNotification() throws SQLException {
		String first = TestDatabase.uniqueName("first");
		String second = TestDatabase.uniqueName("second");
		try (AnnotationConfigApplicationContext context = context(TwoChannels.class,
				Map.of("test.first", first, "test.second", second))) {
			TwoChannels handler = context.getBean(TwoChannels.class);
			int senderPid;
			try (Connection connection = TestDatabase.connect(TestDatabase.url())) {
				senderPid = backendPid(connection);
				Notifications.send(connection, first, List.of("a"));
				Notifications.send(connection, second, List.of("b"));
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> handler.received.size() == 2);
			assertThat(handler.received).extracting((r) -> r.notification().channel() + "=" + r.payload())
				.containsExactlyInAnyOrder(first + "=a", second + "=b");
			assertThat(handler.received).extracting((r) -> r.notification().pid()).containsOnly(senderPid);
		}
	}

	@Test
	void aSecondParameterThatIsNotTheNotificationFailsStartUpNamingTheMethod() {
		assertThatExceptionOfType(BeanCreationException.class)
			.isThrownBy(() -> context(SecondIsString.class, Map.of()).close())
			.havingRootCause()
			.withMessageContaining(
					SecondIsString.class.getName() + ".on(PgListenWithNotificationTests.SeatChange, String)")
			.withMessageContaining("second parameter is a java.lang.String, not a PgNotification");
		assertThatExceptionOfType(BeanCreationException.class)
			.isThrownBy(() -> context(NotificationThenString.class, Map.of()).close())
			.havingRootCause()
			.withMessageContaining(NotificationThenString.class.getName() + ".on(PgNotification, String)")
			.withMessageContaining("second parameter is a java.lang.String, not a PgNotification");
	}

	@Test
	void theNotificationTwiceNoParameterOrThreeFailStartUpNamingTheMethod() {
		assertThatExceptionOfType(BeanCreationException.class)
			.isThrownBy(() -> context(NotificationTwice.class, Map.of()).close())
			.havingRootCause()
			.withMessageContaining(NotificationTwice.class.getName() + ".on(PgNotification, PgNotification)")
			.withMessageContaining("takes the PgNotification twice");
		assertThatExceptionOfType(BeanCreationException.class)
			.isThrownBy(() -> context(ThreeParameters.class, Map.of()).close())
			.havingRootCause()
			.withMessageContaining(ThreeParameters.class.getName() + ".on(String, PgNotification, String)")
			.withMessageContaining("optionally followed by a PgNotification")
			.withMessageContaining("but takes 3");
		assertThatExceptionOfType(BeanCreationException.class)
			.isThrownBy(() -> context(NoParameter.class, Map.of()).close())
			.havingRootCause()
			.withMessageContaining(NoParameter.class.getName() + ".on()")
			.withMessageContaining("but takes 0");
	}

	/**
	 * @return a started context with the listener, the post-processor, a JSON reader and
	 * the handler, its channel placeholders resolved from {@code properties}
	 */
	private static AnnotationConfigApplicationContext context(Class<?> handler, Map<String, Object> properties) {
		AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
		try {
			context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("test", properties));
			context.registerBean("pgNotificationListener", PgListenerContainer.class,
					() -> Notifications.container(TestDatabase.url()));
			context.registerBean(PgListenAnnotationBeanPostProcessor.class);
			context.registerBean(PayloadReader.class, () -> new JacksonPayloadReader(JsonMapper.shared()));
			context.registerBean(handler);
			context.refresh();
			return context;
		}
		catch (RuntimeException ex) {
			context.close();
			throw ex;
		}
	}

	private static int backendPid(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("SELECT pg_backend_pid()")) {
			rs.next();
			return rs.getInt(1);
		}
	}

	record SeatChange(int seatId, String status) {
	}

	record Received<T>(T payload, PgNotification notification) {
	}

	static class Handlers {

		final List<Received<String>> texts = new CopyOnWriteArrayList<>();

		final List<Received<SeatChange>> seats = new CopyOnWriteArrayList<>();

		final List<Received<Map<String, String>>> pairs = new CopyOnWriteArrayList<>();

		@PgListen("${test.text}")
		void onText(String payload, PgNotification notification) {
			this.texts.add(new Received<>(payload, notification));
		}

		@PgListen("${test.json}")
		void onSeat(SeatChange change, PgNotification notification) {
			this.seats.add(new Received<>(change, notification));
		}

		@PgListen("${test.pairs}")
		public void onPairs(Map<String, String> pairs, PgNotification notification) {
			this.pairs.add(new Received<>(pairs, notification));
		}

	}

	static class TwoChannels {

		final List<Received<String>> received = new CopyOnWriteArrayList<>();

		@PgListen({ "${test.first}", "${test.second}" })
		void on(String payload, PgNotification notification) {
			this.received.add(new Received<>(payload, notification));
		}

	}

	static class SecondIsString {

		@PgListen("bad_second")
		void on(SeatChange change, String channel) {
		}

	}

	static class NotificationThenString {

		@PgListen("bad_order")
		void on(PgNotification notification, String payload) {
		}

	}

	static class NotificationTwice {

		@PgListen("bad_twice")
		void on(PgNotification first, PgNotification second) {
		}

	}

	static class ThreeParameters {

		@PgListen("bad_three")
		void on(String payload, PgNotification notification, String extra) {
		}

	}

	static class NoParameter {

		@PgListen("bad_none")
		void on() {
		}

	}

}
