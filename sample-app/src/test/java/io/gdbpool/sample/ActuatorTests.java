package io.gdbpool.sample;

import tools.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpMethod;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an operator sees through Actuator: one health entry per pool, the open partial
 * transactions and the LISTEN connection; gDBPool's and Hikari's meters.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ActuatorTests extends SampleTestSupport {

	@Test
	void healthShowsEveryPoolThePartialTransactionsAndTheListener() {
		Response hold = call(HttpMethod.POST, "/seats/30/hold");
		assertThat(hold.status()).isEqualTo(201);
		try {
			Response health = call(HttpMethod.GET, "/actuator/health");
			assertThat(health.status()).isEqualTo(200);
			JsonNode body = health.body();
			assertThat(body.path("status").asString()).isEqualTo("UP");
			JsonNode db = body.path("components").path("db");
			assertThat(db.path("components").path("primary").path("status").asString()).isEqualTo("UP");
			assertThat(db.path("components").path("primary").path("details").path("role").asString())
				.isEqualTo("write");
			assertThat(db.path("components").path("partialTransactions").path("details").path("open").asInt())
				.isEqualTo(1);
			assertThat(body.path("components").path("pgListener").path("status").asString()).isEqualTo("UP");
			assertThat(body.path("components").path("pgListener").path("details").path("channels").asInt())
				.isEqualTo(1);
			assertThat(health.body().toString()).doesNotContain("password");
		}
		finally {
			call(HttpMethod.DELETE, "/holds/" + hold.text("holdId"));
		}
	}

	@Test
	void metricsIncludeRoutingAndHikariMeters() {
		call(HttpMethod.GET, "/seats");
		Response names = call(HttpMethod.GET, "/actuator/metrics");
		assertThat(names.status()).isEqualTo(200);
		assertThat(names.body().path("names").toString()).contains("gdbpool.routed", "gdbpool.partial.completed",
				"gdbpool.notify.received", "hikaricp.connections.active");
		Response routed = call(HttpMethod.GET, "/actuator/metrics/gdbpool.routed?tag=pool:primary&tag=route:read");
		assertThat(routed.status()).isEqualTo(200);
		assertThat(routed.body().path("measurements").get(0).path("value").asDouble()).isPositive();
	}

}
