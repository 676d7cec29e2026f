package io.gdbpool.sample;

import java.time.Duration;
import java.util.Map;

import tools.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpMethod;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code replica} profile adds the streaming replica on 127.0.0.1:5433 as a read pool
 * (scripts/test.sh starts it; by hand: {@code scripts/replica.sh start 5433}): the seat
 * map is read there, holds and bookings still go to the primary.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("replica")
class ReplicaProfileTests extends SampleTestSupport {

	@Test
	void seatMapIsServedByTheReplicaWhileHoldsUseThePrimary() throws Exception {
		Response map = call(HttpMethod.GET, "/seats");
		assertThat(map.status()).isEqualTo(200);
		assertThat(map.text("servedBy"))
			.as("the seat map should come from the replica on 5433; is it running? (scripts/replica.sh start 5433)")
			.isEqualTo("gdbpool-replica");
		assertThat(map.body().path("standby").asBoolean()).isTrue();
		assertThat(map.body().path("serverPort").asInt()).isEqualTo(5433);

		Response hold = call(HttpMethod.POST, "/seats/33/hold");
		assertThat(hold.status()).isEqualTo(201);
		assertThat(tryLockFromOutside(33)).isEqualTo(Problems.LOCK_NOT_AVAILABLE);
		Response confirm = call(HttpMethod.POST, "/holds/" + hold.text("holdId") + "/confirm", Map.of("name", "Rita"));
		assertThat(confirm.status()).isEqualTo(200);
		assertThat(bookedBy(33)).isEqualTo("Rita");
		// the booking reaches the replica by streaming replication
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(call(HttpMethod.GET, "/seats/33").body().path("booked_by").asString())
				.isEqualTo("Rita"));

		JsonNode pools = call(HttpMethod.GET, "/pools").body();
		assertThat(pools.path("lastSeatMap").path("servedBy").asString()).isEqualTo("gdbpool-replica");
		JsonNode primary = pool(pools, "primary");
		JsonNode replica = pool(pools, "replica");
		assertThat(replica.path("role").asString()).isEqualTo("read");
		assertThat(replica.path("inRotation").asBoolean()).isTrue();
		assertThat(replica.path("readsRouted").asLong()).isGreaterThanOrEqualTo(2);
		assertThat(replica.path("writesRouted").asLong()).isZero();
		assertThat(primary.path("writesRouted").asLong()).isGreaterThanOrEqualTo(1);
	}

	private static JsonNode pool(JsonNode pools, String name) {
		for (JsonNode pool : pools.path("pools")) {
			if (name.equals(pool.path("name").asString())) {
				return pool;
			}
		}
		throw new AssertionError("No pool " + name + " in " + pools);
	}

}
