package io.gdbpool.notify;

import java.time.Duration;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the reader pings and when a connection counts as dead, on a clock the test moves;
 * and the driver timeouts that keep a ping on a half-open connection inside the liveness
 * interval.
 */
class LivenessTests {

	private static final long SECOND = 1_000_000_000L;

	/** An arbitrary origin, negative like System.nanoTime() may be. */
	private static final long T0 = -5 * SECOND;

	@Test
	void pingsEveryThirdOfTheInterval() {
		Liveness liveness = new Liveness(Duration.ofSeconds(3), T0);
		assertThat(liveness.pingDue(T0 + SECOND - 1)).isFalse();
		assertThat(liveness.pingDue(T0 + SECOND)).isTrue();
		liveness.pinged(T0 + SECOND);
		assertThat(liveness.pingDue(T0 + 2 * SECOND - 1)).isFalse();
		assertThat(liveness.pingDue(T0 + 2 * SECOND)).isTrue();
	}

	@Test
	void aMissingEchoIsOverdueOneIntervalAfterTheFirstUnansweredPing() {
		Liveness liveness = new Liveness(Duration.ofSeconds(3), T0);
		assertThat(liveness.overdue(T0 + 100 * SECOND)).as("nothing pinged, nothing due").isFalse();
		liveness.pinged(T0 + SECOND);
		// later pings do not push the deadline back
		liveness.pinged(T0 + 2 * SECOND);
		liveness.pinged(T0 + 3 * SECOND);
		assertThat(liveness.overdue(T0 + 4 * SECOND)).isFalse();
		assertThat(liveness.overdue(T0 + 4 * SECOND + 1)).isTrue();
	}

	@Test
	void anEchoClearsTheDeadlineAndTheNextPingSetsANewOne() {
		Liveness liveness = new Liveness(Duration.ofSeconds(3), T0);
		liveness.pinged(T0 + SECOND);
		liveness.echoed();
		assertThat(liveness.overdue(T0 + 10 * SECOND)).isFalse();
		liveness.pinged(T0 + 10 * SECOND);
		assertThat(liveness.overdue(T0 + 13 * SECOND)).isFalse();
		assertThat(liveness.overdue(T0 + 13 * SECOND + 1)).isTrue();
	}

	@Test
	void aPingOnAHalfOpenConnectionFailsWithinTheInterval() {
		// pinged a third into the interval, the ping blocks until the socket timeout:
		// both fit
		for (Duration interval : new Duration[] { Duration.ofMillis(1500), Duration.ofSeconds(2), Duration.ofSeconds(5),
				Duration.ofSeconds(30) }) {
			long socketTimeoutMillis = Liveness.socketTimeoutSeconds(interval) * 1000;
			assertThat(interval.toMillis() / 3 + socketTimeoutMillis).as("interval %s", interval)
				.isLessThanOrEqualTo(interval.toMillis());
		}
	}

	@Test
	void driverTimeoutsFollowTheLivenessInterval() {
		Properties pool = new Properties();
		pool.setProperty("user", "app");
		pool.setProperty("ssl", "true");
		Properties twoSeconds = ListenConnection.driverProperties(pool, Duration.ofSeconds(2));
		assertThat(twoSeconds).containsEntry("user", "app")
			.containsEntry("ssl", "true")
			.containsEntry("ApplicationName", ListenConnection.APPLICATION_NAME)
			.containsEntry("tcpKeepAlive", "true")
			.containsEntry("socketTimeout", "1")
			.containsEntry("connectTimeout", "2")
			.containsEntry("loginTimeout", "2");
		Properties byDefault = ListenConnection.driverProperties(pool, PgListenerProperties.DEFAULT_LIVENESS_INTERVAL);
		assertThat(byDefault).containsEntry("socketTimeout", "3").containsEntry("connectTimeout", "5");
		// a long interval does not make a frozen server hold each attempt (and stop())
		// longer
		assertThat(ListenConnection.driverProperties(pool, Duration.ofMinutes(1))).containsEntry("connectTimeout", "5");
		assertThat(pool).doesNotContainKey("socketTimeout");
	}

}
