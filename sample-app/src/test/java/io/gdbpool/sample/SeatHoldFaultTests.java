package io.gdbpool.sample;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.gdbpool.transaction.PartialTransactions;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpMethod;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Holds in the bad minute, over HTTP: more holds than the budget answer 503 with
 * Retry-After while the seat map keeps working; a hold whose session ended answers 410; a
 * confirm racing a release gets 409; input the database refuses is a 400.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SeatHoldFaultTests extends SampleTestSupport {

	@Autowired
	PartialTransactions partialTransactions;

	@Test
	void holdsBeyondTheBudgetAnswer503WithRetryAfterAndTheSeatMapKeepsWorking() {
		int places = this.partialTransactions.getMaxOpen();
		assertThat(places).isEqualTo(5);
		for (int seat = 11; seat < 11 + places; seat++) {
			assertThat(call(HttpMethod.POST, "/seats/" + seat + "/hold").status()).isEqualTo(201);
		}
		Response refused = call(HttpMethod.POST, "/seats/30/hold");
		assertThat(refused.status()).isEqualTo(503);
		assertThat(refused.headers().getFirst("Retry-After")).isEqualTo("1");
		assertThat(refused.contentType()).startsWith("application/problem+json");
		assertThat(refused.text("title")).isEqualTo("Too many holds right now");
		// ordinary requests still have their connections
		for (int i = 0; i < 10; i++) {
			assertThat(call(HttpMethod.GET, "/seats").status()).isEqualTo(200);
			assertThat(call(HttpMethod.GET, "/seats/30").status()).isEqualTo(200);
		}
		assertThat(call(HttpMethod.GET, "/actuator/health").body()
			.path("components")
			.path("db")
			.path("components")
			.path("partialTransactions")
			.path("details")
			.path("refused")
			.asLong()).isPositive();
	}

	@Test
	void aBurstOfHoldsOnOneSeatHasOneWinnerAndNoServerError() throws Exception {
		List<Integer> statuses = together(20, HttpMethod.POST, "/seats/12/hold").stream()
			.map(Response::status)
			.toList();
		// one holds the seat; the others learn it is held (409) or, past the budget, to
		// retry (503)
		assertThat(statuses).isSubsetOf(201, 409, 503);
		assertThat(statuses).filteredOn((s) -> s == 201).hasSize(1);
	}

	@Test
	void confirmingAHoldWhoseSessionEndedAnswers410AndFreesTheSeat() throws SQLException {
		Response hold = call(HttpMethod.POST, "/seats/13/hold");
		assertThat(hold.status()).isEqualTo(201);
		terminateHoldingSession(13);
		Response confirm = call(HttpMethod.POST, "/holds/" + hold.text("holdId") + "/confirm", Map.of("name", "Ann"));
		assertThat(confirm.status()).isEqualTo(410);
		assertThat(confirm.text("title")).isEqualTo("Hold lost");
		assertThat(bookedBy(13)).isNull();
		assertThat(tryLockFromOutside(13)).isEqualTo("locked");
		// asking again says the same, and the seat can be held anew
		assertThat(call(HttpMethod.POST, "/holds/" + hold.text("holdId") + "/confirm").status()).isEqualTo(410);
		assertThat(call(HttpMethod.POST, "/seats/13/hold").status()).isEqualTo(201);
	}

	@Test
	void releasingAHoldWhoseSessionEndedSucceeds() throws SQLException {
		Response hold = call(HttpMethod.POST, "/seats/14/hold");
		terminateHoldingSession(14);
		assertThat(call(HttpMethod.DELETE, "/holds/" + hold.text("holdId")).status()).isEqualTo(204);
		assertThat(tryLockFromOutside(14)).isEqualTo("locked");
	}

	@Test
	void aConfirmRacingAReleaseGivesTheLoser409NotUnknown() throws Exception {
		for (int round = 0; round < 10; round++) {
			Response hold = call(HttpMethod.POST, "/seats/15/hold");
			assertThat(hold.status()).isEqualTo(201);
			String id = hold.text("holdId");
			ExecutorService executor = Executors.newFixedThreadPool(2);
			try {
				CountDownLatch start = new CountDownLatch(1);
				Future<Response> confirm = executor.submit(() -> {
					start.await();
					return call(HttpMethod.POST, "/holds/" + id + "/confirm", Map.of("name", "Racer"));
				});
				Future<Response> release = executor.submit(() -> {
					start.await();
					return call(HttpMethod.DELETE, "/holds/" + id);
				});
				start.countDown();
				List<Integer> statuses = List.of(confirm.get(30, TimeUnit.SECONDS).status(),
						release.get(30, TimeUnit.SECONDS).status());
				// exactly one wins; the other is a conflict, never "unknown hold"
				assertThat(statuses).containsAnyOf(200, 204).contains(409).doesNotContain(404, 500);
			}
			finally {
				executor.shutdownNow();
			}
			try (Connection connection = connect(); Statement statement = connection.createStatement()) {
				statement.executeUpdate("UPDATE sample_seat SET booked_by = NULL WHERE id = 15");
			}
		}
	}

	@Test
	void aNameWithANulCharacterIsABadRequest() throws SQLException {
		Response hold = call(HttpMethod.POST, "/seats/16/hold");
		Response confirm = call(HttpMethod.POST, "/holds/" + hold.text("holdId") + "/confirm",
				Map.of("name", "An\u0000n"));
		assertThat(confirm.status()).isEqualTo(400);
		assertThat(confirm.contentType()).startsWith("application/problem+json");
		assertThat(confirm.body().toString()).doesNotContain("Exception", "\tat ");
		assertThat(bookedBy(16)).isNull();
	}

	private void terminateHoldingSession(int seatId) throws SQLException {
		// the only hold open in this test: the one backend idle in a transaction, with
		// the seat's row lock
		assertThat(tryLockFromOutside(seatId)).isEqualTo(Problems.LOCK_NOT_AVAILABLE);
		try (Connection connection = connect();
				Statement statement = connection.createStatement();
				var rs = statement.executeQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
						+ "WHERE application_name = 'gdbpool-primary' AND state = 'idle in transaction'")) {
			rs.next();
			assertThat(rs.getInt(1)).isEqualTo(1);
		}
	}

}
