package io.gdbpool.routing;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * PostgreSQL's text form of WAL positions, both ways. No database needed.
 */
class LsnTests {

	@Test
	void parsesAndFormatsPostgreSQLsTextForm() {
		assertThat(Lsn.parse("0/0")).isZero();
		assertThat(Lsn.parse("0/3000148")).isEqualTo(0x3000148L);
		assertThat(Lsn.parse("16/B374D848")).isEqualTo((0x16L << 32) | 0xB374D848L);
		assertThat(Lsn.format((0x16L << 32) | 0xB374D848L)).isEqualTo("16/B374D848");
		assertThat(Lsn.format(Lsn.parse("7FFFFFFF/FFFFFFFF"))).isEqualTo("7FFFFFFF/FFFFFFFF");
		assertThat(Lsn.format(Lsn.NONE)).isNull();
	}

	@Test
	void ordersLikeTheServer() {
		assertThat(Lsn.parse("1/0")).isGreaterThan(Lsn.parse("0/FFFFFFFF"));
		assertThat(Lsn.parse("0/10")).isGreaterThan(Lsn.parse("0/F"));
	}

	@Test
	void refusesWhatIsNotAnLsn() {
		for (String bad : new String[] { "", "12", "x/1", "1/", "/1", "1/2/3", "-1/0", "+1/0", "1/-2", " 1/2" }) {
			assertThatThrownBy(() -> Lsn.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
		}
	}

}
