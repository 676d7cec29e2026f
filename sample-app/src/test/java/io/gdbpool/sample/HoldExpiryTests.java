package io.gdbpool.sample;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpMethod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An unconfirmed hold is rolled back after
 * {@code gdbpool.partial-transactions.idle-timeout}: the row lock goes, the seat map
 * shows the seat free, and confirming it answers 410 Gone.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "gdbpool.partial-transactions.idle-timeout=1s", "sample.holds.sweep-interval-ms=100" })
class HoldExpiryTests extends SampleTestSupport {

	@Test
	void unconfirmedHoldExpiresAndConfirmingItIsGone() throws Exception {
		Response hold = call(HttpMethod.POST, "/seats/6/hold");
		assertThat(hold.status()).isEqualTo(201);
		assertThat(tryLockFromOutside(6)).isEqualTo(Problems.LOCK_NOT_AVAILABLE);
		assertThat(call(HttpMethod.GET, "/seats/6").body().path("held").asBoolean()).isTrue();

		// the library rolls the idle transaction back; the app notices and shows the seat
		// free
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(tryLockFromOutside(6)).isEqualTo("locked");
			assertThat(call(HttpMethod.GET, "/seats/6").body().path("held").asBoolean()).isFalse();
		});
		assertThat(call(HttpMethod.GET, "/pools").body().path("partialTransactions").path("expired").asLong())
			.isGreaterThanOrEqualTo(1);

		Response confirm = call(HttpMethod.POST, "/holds/" + hold.text("holdId") + "/confirm", Map.of("name", "Late"));
		assertThat(confirm.status()).isEqualTo(410);
		assertThat(confirm.contentType()).startsWith("application/problem+json");
		assertThat(confirm.text("title")).isEqualTo("Hold expired");
		assertThat(bookedBy(6)).isNull();
		assertThat(call(HttpMethod.DELETE, "/holds/" + hold.text("holdId")).status()).isEqualTo(410);
	}

	@Test
	void confirmRacingTheSweepIsAlsoGone() throws Exception {
		// confirm after the library expired the hold but possibly before the app's sweep
		// saw it: the library's PartialTransactionExpiredException is answered 410 as
		// well
		Response hold = call(HttpMethod.POST, "/seats/7/hold");
		assertThat(hold.status()).isEqualTo(201);
		await().atMost(Duration.ofSeconds(10)).until(() -> "locked".equals(tryLockFromOutside(7)));
		Response confirm = call(HttpMethod.POST, "/holds/" + hold.text("holdId") + "/confirm", Map.of("name", "Late"));
		assertThat(confirm.status()).isEqualTo(410);
		assertThat(bookedBy(7)).isNull();
	}

}
