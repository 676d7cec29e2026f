package io.gdbpool.sample;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpMethod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Live updates: a change made in the database by someone else (here a plain JDBC
 * connection) fires the trigger's NOTIFY, the {@code @PgListen} method receives it, and
 * it reaches a browser's Server-Sent Event stream; so do the app's own hold
 * notifications.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LiveUpdateTests extends SampleTestSupport {

	@Test
	void changeMadeOutsideTheAppReachesTheEventStream() throws Exception {
		try (EventStream stream = EventStream.open(baseUrl() + "/seats/events")) {
			stream.next("ready", Duration.ofSeconds(10));

			try (Connection connection = connect();
					PreparedStatement update = connection
						.prepareStatement("UPDATE sample_seat SET booked_by = ? WHERE id = ?")) {
				update.setString(1, "psql-user");
				update.setInt(2, 9);
				assertThat(update.executeUpdate()).isEqualTo(1);
			}

			JsonNode seat = nextSeat(stream, 9, Duration.ofSeconds(5));
			assertThat(seat.path("label").asString()).isEqualTo("B1");
			assertThat(seat.path("booked_by").asString()).isEqualTo("psql-user");
			assertThat(seat.path("held").asBoolean()).isFalse();
		}
	}

	@Test
	void holdsAndReleasesReachTheEventStream() throws Exception {
		try (EventStream stream = EventStream.open(baseUrl() + "/seats/events")) {
			stream.next("ready", Duration.ofSeconds(10));
			Response hold = call(HttpMethod.POST, "/seats/10/hold");
			assertThat(hold.status()).isEqualTo(201);
			assertThat(nextSeat(stream, 10, Duration.ofSeconds(5)).path("held").asBoolean()).isTrue();

			assertThat(call(HttpMethod.DELETE, "/holds/" + hold.text("holdId")).status()).isEqualTo(204);
			assertThat(nextSeat(stream, 10, Duration.ofSeconds(5)).path("held").asBoolean()).isFalse();
		}
	}

	private JsonNode nextSeat(EventStream stream, int seatId, Duration timeout) throws Exception {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			Event event = stream.next("seat", Duration.ofNanos(deadline - System.nanoTime()));
			JsonNode seat = this.json.readTree(event.data());
			if (seat.path("id").asInt() == seatId) {
				return seat;
			}
		}
		return fail("No seat event for seat " + seatId + " within " + timeout);
	}

	record Event(String name, String data) {
	}

	/**
	 * A {@code text/event-stream} read with {@link HttpClient}, line by line on a thread
	 * of its own.
	 */
	static final class EventStream implements AutoCloseable {

		private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

		private final InputStream body;

		private final Thread reader;

		private EventStream(InputStream body) {
			this.body = body;
			this.reader = new Thread(this::read, "sse-test-reader");
			this.reader.setDaemon(true);
			this.reader.start();
		}

		static EventStream open(String url) throws Exception {
			HttpClient client = HttpClient.newHttpClient();
			HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream").build();
			HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.headers().firstValue("Content-Type"))
				.hasValueSatisfying((type) -> assertThat(type).startsWith("text/event-stream"));
			return new EventStream(response.body());
		}

		private void read() {
			try (BufferedReader lines = new BufferedReader(new InputStreamReader(this.body, StandardCharsets.UTF_8))) {
				String name = "message";
				StringBuilder data = new StringBuilder();
				for (String line = lines.readLine(); line != null; line = lines.readLine()) {
					if (line.isEmpty()) {
						if (data.length() > 0) {
							this.events.add(new Event(name, data.toString()));
						}
						name = "message";
						data.setLength(0);
					}
					else if (line.startsWith("event:")) {
						name = line.substring(6).strip();
					}
					else if (line.startsWith("data:")) {
						data.append((data.length() > 0) ? "\n" : "").append(line.substring(5).strip());
					}
				}
			}
			catch (Exception ex) {
				// closed
			}
		}

		/** The next event of that name; events of other names are skipped. */
		Event next(String name, Duration timeout) throws InterruptedException {
			long deadline = System.nanoTime() + timeout.toNanos();
			while (true) {
				long left = deadline - System.nanoTime();
				Event event = (left > 0) ? this.events.poll(left, TimeUnit.NANOSECONDS) : null;
				if (event == null) {
					return fail("No '" + name + "' event within " + timeout);
				}
				if (event.name().equals(name)) {
					return event;
				}
			}
		}

		@Override
		public void close() throws Exception {
			this.body.close();
			this.reader.interrupt();
		}

	}

}
