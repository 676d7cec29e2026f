package io.gdbpool.sample;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpMethod;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Holds over HTTP against the real database: each hold is a partial transaction holding
 * the seat's row lock between requests.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SeatHoldTests extends SampleTestSupport {

	@Test
	void holdThenConfirmBooksTheSeat() throws SQLException {
		Response hold = call(HttpMethod.POST, "/seats/3/hold");
		assertThat(hold.status()).isEqualTo(201);
		String holdId = hold.text("holdId");
		assertThat(holdId).matches("[0-9a-f-]{36}");
		assertThat(hold.body().path("seat").path("label").asString()).isEqualTo("A3");
		assertThat(hold.body().path("seat").path("held").asBoolean()).isTrue();
		// the request has returned, yet the row stays locked: the transaction is
		// suspended, not ended
		assertThat(tryLockFromOutside(3)).isEqualTo(Problems.LOCK_NOT_AVAILABLE);
		assertThat(call(HttpMethod.GET, "/seats/3").body().path("held").asBoolean()).isTrue();

		Response confirm = call(HttpMethod.POST, "/holds/" + holdId + "/confirm", Map.of("name", "Ann"));
		assertThat(confirm.status()).isEqualTo(200);
		assertThat(confirm.body().path("seat").path("booked_by").asString()).isEqualTo("Ann");
		assertThat(bookedBy(3)).isEqualTo("Ann");
		assertThat(tryLockFromOutside(3)).isEqualTo("locked");

		// a second confirm, and a hold on the booked seat, are conflicts
		Response again = call(HttpMethod.POST, "/holds/" + holdId + "/confirm", Map.of("name", "Bob"));
		assertThat(again.status()).isEqualTo(409);
		assertThat(again.contentType()).startsWith("application/problem+json");
		assertThat(bookedBy(3)).isEqualTo("Ann");
		Response booked = call(HttpMethod.POST, "/seats/3/hold");
		assertThat(booked.status()).isEqualTo(409);
		assertThat(booked.text("title")).isEqualTo("Seat already booked");
	}

	@Test
	void holdThenReleaseFreesTheSeatUnbooked() throws SQLException {
		Response hold = call(HttpMethod.POST, "/seats/4/hold");
		assertThat(hold.status()).isEqualTo(201);
		assertThat(tryLockFromOutside(4)).isEqualTo(Problems.LOCK_NOT_AVAILABLE);

		Response release = call(HttpMethod.DELETE, "/holds/" + hold.text("holdId"));
		assertThat(release.status()).isEqualTo(204);
		assertThat(tryLockFromOutside(4)).isEqualTo("locked");
		assertThat(bookedBy(4)).isNull();
		assertThat(call(HttpMethod.GET, "/seats/4").body().path("held").asBoolean()).isFalse();

		// released is final: confirming it now is a conflict, and books nothing
		Response confirm = call(HttpMethod.POST, "/holds/" + hold.text("holdId") + "/confirm", Map.of("name", "Ann"));
		assertThat(confirm.status()).isEqualTo(409);
		assertThat(bookedBy(4)).isNull();
		// and the seat can be held again
		assertThat(call(HttpMethod.POST, "/seats/4/hold").status()).isEqualTo(201);
	}

	@Test
	void concurrentHoldsOnOneSeatHaveExactlyOneWinner() throws Exception {
		int clients = 8;
		List<Integer> statuses = new ArrayList<>();
		List<Response> losers = new ArrayList<>();
		for (Response response : together(clients, HttpMethod.POST, "/seats/5/hold")) {
			statuses.add(response.status());
			if (response.status() == 409) {
				losers.add(response);
			}
		}
		assertThat(statuses).containsOnly(201, 409);
		assertThat(statuses).filteredOn((s) -> s == 201).hasSize(1);
		assertThat(losers).hasSize(clients - 1)
			.allSatisfy((r) -> assertThat(r.contentType()).startsWith("application/problem+json"));
		assertThat(tryLockFromOutside(5)).isEqualTo(Problems.LOCK_NOT_AVAILABLE);
	}

	@Test
	void errorsAreProblemDetailsWithoutStackTraces() {
		Response unknownSeat = call(HttpMethod.POST, "/seats/9999/hold");
		assertThat(unknownSeat.status()).isEqualTo(404);
		assertThat(unknownSeat.contentType()).startsWith("application/problem+json");
		assertThat(unknownSeat.text("title")).isEqualTo("Unknown seat");
		assertThat(call(HttpMethod.GET, "/seats/9999").status()).isEqualTo(404);

		Response unknownHold = call(HttpMethod.POST, "/holds/no-such-hold/confirm");
		assertThat(unknownHold.status()).isEqualTo(404);
		assertThat(call(HttpMethod.DELETE, "/holds/no-such-hold").status()).isEqualTo(404);

		Response badId = call(HttpMethod.GET, "/seats/abc");
		assertThat(badId.status()).isEqualTo(400);
		for (Response response : List.of(unknownSeat, unknownHold, badId)) {
			assertThat(response.body().has("status")).isTrue();
			assertThat(response.body().has("trace")).isFalse();
			assertThat(response.body().toString()).doesNotContain("Exception", "\tat ");
		}
	}

	@Test
	void seatMapIsReadOnTheReadRouteAndPoolsSayWhoServedIt() {
		Response pools = call(HttpMethod.GET, "/pools");
		long readsBefore = pools.body().path("pools").get(0).path("readsRouted").asLong();

		Response map = call(HttpMethod.GET, "/seats");
		assertThat(map.status()).isEqualTo(200);
		JsonNode seats = map.body().path("seats");
		assertThat(seats.size()).isGreaterThanOrEqualTo(40);
		assertThat(seats.get(0).path("label").asString()).isEqualTo("A1");
		// no read pool in this configuration: the read route falls back to the primary
		assertThat(map.text("servedBy")).isEqualTo("gdbpool-primary");
		assertThat(map.body().path("standby").asBoolean()).isFalse();

		pools = call(HttpMethod.GET, "/pools");
		JsonNode primary = pools.body().path("pools").get(0);
		assertThat(primary.path("name").asString()).isEqualTo("primary");
		assertThat(primary.path("role").asString()).isEqualTo("write");
		assertThat(primary.path("inRotation").asBoolean()).isTrue();
		assertThat(primary.path("readsRouted").asLong()).isGreaterThan(readsBefore);
		assertThat(pools.body().path("lastSeatMap").path("servedBy").asString()).isEqualTo("gdbpool-primary");
		assertThat(pools.body().path("listener").path("connected").asBoolean()).isTrue();
		assertThat(pools.body().path("listener").path("channels").toString()).contains("seat_changed");
	}

}
