package io.gdbpool.sample;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

/**
 * What the sample's tests share: a {@link RestClient} on the app's random port that never
 * throws for an error status, plain JDBC connections to the same database (outside the
 * app's pools), and a clean seat table before each test (no bookings, no holds).
 */
abstract class SampleTestSupport {

	@LocalServerPort
	int port;

	@Value("${gdbpool.pools.primary.url}")
	String jdbcUrl;

	@Value("${gdbpool.pools.primary.username}")
	String jdbcUser;

	@Autowired
	JsonMapper json;

	@Autowired
	Holds holds;

	RestClient http;

	@BeforeEach
	void cleanSeats() throws SQLException {
		this.http = RestClient.create("http://localhost:" + this.port);
		this.holds.releaseAll();
		try (Connection connection = connect(); Statement statement = connection.createStatement()) {
			statement.executeUpdate("UPDATE sample_seat SET booked_by = NULL WHERE booked_by IS NOT NULL");
		}
	}

	@AfterEach
	void releaseHolds() {
		this.holds.releaseAll();
	}

	String baseUrl() {
		return "http://localhost:" + this.port;
	}

	/** A connection of the test's own, not from the app's pools. */
	Connection connect() throws SQLException {
		return DriverManager.getConnection(this.jdbcUrl, this.jdbcUser, null);
	}

	Response call(HttpMethod method, String path) {
		return call(method, path, null);
	}

	Response call(HttpMethod method, String path, Object body) {
		RestClient.RequestBodySpec request = this.http.method(method).uri(path);
		if (body != null) {
			request.contentType(MediaType.APPLICATION_JSON).body(body);
		}
		return request.exchange((req, res) -> {
			String text = res.bodyTo(String.class);
			String contentType = (res.getHeaders().getContentType() != null)
					? res.getHeaders().getContentType().toString() : null;
			return new Response(res.getStatusCode().value(), contentType,
					(text == null || text.isEmpty()) ? null : this.json.readTree(text), res.getHeaders());
		});
	}

	/**
	 * The same request from {@code clients} threads released at once, as a burst of users
	 * would send it.
	 * @return the answers
	 */
	List<Response> together(int clients, HttpMethod method, String path) throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(clients);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<Response>> answers = new ArrayList<>();
			for (int i = 0; i < clients; i++) {
				answers.add(executor.submit(() -> {
					start.await();
					return call(method, path);
				}));
			}
			start.countDown();
			List<Response> responses = new ArrayList<>();
			for (Future<Response> answer : answers) {
				responses.add(answer.get(30, TimeUnit.SECONDS));
			}
			return responses;
		}
		finally {
			executor.shutdownNow();
		}
	}

	/** Locks the seat's row from a connection of the test's own, without waiting. */
	String tryLockFromOutside(int seatId) throws SQLException {
		try (Connection connection = connect()) {
			connection.setAutoCommit(false);
			try (Statement statement = connection.createStatement()) {
				statement.executeQuery("SELECT id FROM sample_seat WHERE id = " + seatId + " FOR UPDATE NOWAIT")
					.close();
				return "locked";
			}
			catch (SQLException ex) {
				return ex.getSQLState();
			}
			finally {
				connection.rollback();
			}
		}
	}

	String bookedBy(int seatId) throws SQLException {
		try (Connection connection = connect();
				Statement statement = connection.createStatement();
				var rs = statement.executeQuery("SELECT booked_by FROM sample_seat WHERE id = " + seatId)) {
			rs.next();
			return rs.getString(1);
		}
	}

	record Response(int status, String contentType, JsonNode body, org.springframework.http.HttpHeaders headers) {

		String text(String field) {
			return this.body.path(field).asString();
		}

	}

}
