package io.gdbpool.notify;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * gDBPool's {@code k1:v1|k2:v2} payloads.
 */
class PairsPayloadTests {

	@Test
	void pairsInOrderAndValuesMayHoldColons() {
		assertThat(PairsPayload.parse("id:42|op:update|at:12:00")).containsExactly(entry("id", "42"),
				entry("op", "update"), entry("at", "12:00"));
	}

	@Test
	void keyWithoutValueAndEmptyPairs() {
		assertThat(PairsPayload.parse("flag||k:")).containsExactly(entry("flag", ""), entry("k", ""));
		assertThat(PairsPayload.parse("")).isEmpty();
		assertThat(PairsPayload.parse(null)).isEmpty();
	}

}
