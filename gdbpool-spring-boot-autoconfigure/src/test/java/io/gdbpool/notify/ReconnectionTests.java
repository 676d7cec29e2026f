package io.gdbpool.notify;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The pacing of a reconnection on a simulated clock: minutes of outage take no time, and
 * what is asserted does not depend on the machine's speed. The integration tests in
 * {@link PgListenerReconnectTests} show the same against a real server.
 */
class ReconnectionTests {

	private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

	private static final String URL = "jdbc:postgresql://db.example/test";

	private final SimulatedClock clock = new SimulatedClock();

	private final List<Long> attempts = new ArrayList<>();

	@Test
	void afterALongOutageTheFirstAttemptComesWithinOneCheckOfTheServerAcceptingAgain() {
		long lostAt = this.clock.now;
		long acceptingFrom = lostAt + TimeUnit.MINUTES.toNanos(10);
		Reconnection reconnection = new Reconnection(URL, () -> this.clock.now - acceptingFrom >= 0,
				Duration.ofSeconds(30), this.clock, lostAt, "terminated");
		String connection = reconnection.connect(() -> {
			this.attempts.add(this.clock.now);
			if (this.clock.now - acceptingFrom < 0) {
				throw new SQLException("Connection refused", "08001");
			}
			return "connection";
		}, false);
		assertThat(connection).isEqualTo("connection");
		long lastAttempt = this.attempts.get(this.attempts.size() - 1);
		assertThat(lastAttempt - acceptingFrom).isBetween(0L, Reconnection.CHECK_INTERVAL_MILLIS * MS);
		// while the server refused TCP, attempts went on at the slow pace only
		assertThat(this.attempts).hasSizeBetween(10, 50);
		PgListenerReconnectedEvent reconnected = reconnection.reconnected(this, Set.of("a"));
		assertThat(reconnected.attempts()).isEqualTo(this.attempts.size());
		assertThat(reconnected.downtime()).isEqualTo(Duration.ofNanos(this.clock.now - lostAt));
		assertThat(reconnected.cause()).isEqualTo("terminated");
	}

	@Test
	void aServerThatRefusesUsIsAskedLessAndLessOften() {
		int refused = attemptsWithin(Duration.ofSeconds(6), new SQLException("role may not log in", "28000"));
		int notReady = attemptsWithin(Duration.ofSeconds(6),
				new SQLException("the database system is starting up", "57P03"));
		// refused: pauses of about 0.2, 0.4, 0.8, 1.6, 3.2 s; not ready: at most half a
		// second apart
		assertThat(refused).isBetween(3, 8);
		assertThat(notReady).isGreaterThanOrEqualTo(12);
	}

	@Test
	void aConnectionLostRightAfterItWasMadeIsReplacedAfterAShortPause() {
		long lostAt = this.clock.now;
		Reconnection reconnection = new Reconnection(URL, () -> true, Duration.ofSeconds(30), this.clock, lostAt, "");
		reconnection.connect(() -> {
			this.attempts.add(this.clock.now);
			return "connection";
		}, true);
		assertThat(this.attempts).singleElement()
			.satisfies((at) -> assertThat(at - lostAt).isBetween(50 * MS, 500 * MS));
	}

	@Test
	void refusalsAreToldFromAServerThatIsNotReadyYet() {
		assertThat(Reconnection.refusesUs(new SQLException("password authentication failed", "28P01"))).isTrue();
		assertThat(Reconnection.refusesUs(new SQLException("no such database", "3D000"))).isTrue();
		assertThat(Reconnection.refusesUs(new SQLException("no CONNECT privilege", "42501"))).isTrue();
		assertThat(Reconnection.refusesUs(new SQLException("starting up", "57P03"))).isFalse();
		assertThat(Reconnection.refusesUs(new SQLException("Connection refused", "08001"))).isFalse();
		assertThat(Reconnection.refusesUs(new IllegalStateException(new SQLException("wrapped", "28000")))).isTrue();
		assertThat(Reconnection.refusesUs(new PgListenerStartupException(
				PgListenerStartupException.Problem.NOT_LISTENING, URL, "transaction pooler", null)))
			.isTrue();
		assertThat(Reconnection.refusesUs(
				new PgListenerStartupException(PgListenerStartupException.Problem.STANDBY, URL, "standby", null)))
			.isFalse();
	}

	@Test
	void stopEndsAWaitAtOnceHoweverLongItIs() throws Exception {
		StopSignal stop = new StopSignal();
		AtomicReference<Boolean> result = new AtomicReference<>();
		Thread waiting = new Thread(() -> result.set(stop.sleepUntil(System.nanoTime() + TimeUnit.HOURS.toNanos(1))));
		waiting.start();
		await().atMost(Duration.ofSeconds(10)).until(() -> waiting.getState() == Thread.State.TIMED_WAITING);
		stop.fire();
		// ten seconds against an hour: only the signal can have ended it
		waiting.join(TimeUnit.SECONDS.toMillis(10));
		assertThat(waiting.isAlive()).isFalse();
		assertThat(result.get()).isFalse();
		assertThat(stop.sleepUntil(System.nanoTime() - 1)).as("a wait already due, once stopped").isFalse();
	}

	@Test
	void aStoppedReconnectionMakesNoAttempt() {
		StopSignal stop = new StopSignal();
		stop.fire();
		Reconnection reconnection = new Reconnection(URL, () -> true, Duration.ofSeconds(30), stop, System.nanoTime(),
				"");
		Object connection = reconnection.connect(() -> {
			this.attempts.add(0L);
			return "connection";
		}, false);
		assertThat(connection).isNull();
		assertThat(this.attempts).isEmpty();
	}

	/**
	 * @return the attempts a reconnection makes within a time against a server that
	 * accepts TCP but fails every attempt so
	 */
	private int attemptsWithin(Duration time, SQLException failure) {
		SimulatedClock clock = new SimulatedClock();
		clock.stopAt = clock.now + time.toNanos();
		int[] count = new int[1];
		Reconnection reconnection = new Reconnection(URL, () -> true, Duration.ofSeconds(4), clock, clock.now, "");
		Object connection = reconnection.connect(() -> {
			count[0]++;
			throw failure;
		}, false);
		assertThat(connection).isNull();
		return count[0];
	}

	/**
	 * A clock that is at once where a wait would take it; it stops (waits return false)
	 * at {@link #stopAt}.
	 */
	private static final class SimulatedClock implements Reconnection.Clock {

		long now = TimeUnit.DAYS.toNanos(1);

		long stopAt = Long.MAX_VALUE;

		@Override
		public long nanoTime() {
			return this.now;
		}

		@Override
		public boolean sleepUntil(long dueNanos) {
			if (dueNanos - this.stopAt > 0) {
				this.now = Math.max(this.now, this.stopAt);
				return false;
			}
			this.now = Math.max(this.now, dueNanos);
			return true;
		}

	}

}
