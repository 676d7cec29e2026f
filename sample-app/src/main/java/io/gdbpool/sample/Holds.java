package io.gdbpool.sample;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import io.gdbpool.GDBPoolTemplate;
import io.gdbpool.PartialTransaction;
import io.gdbpool.PartialTransactionExpiredException;
import io.gdbpool.PartialTransactionLostException;
import io.gdbpool.transaction.PartialTransactions;
import jakarta.annotation.PreDestroy;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * Seat holds. A hold is a partial transaction that has run
 * {@code SELECT ... FOR UPDATE NOWAIT} on the seat's row and was suspended with the lock:
 * confirming it books the seat and commits, releasing it rolls back, and one left alone
 * longer than {@code gdbpool.partial-transactions.idle-timeout} is rolled back by the
 * library.
 * <p>
 * A hold is only a row lock, so the seat table's trigger cannot see it: this service
 * itself notifies {@code seat_changed} when a hold starts, is released or expires.
 */
@Service
public class Holds {

	/** The channel the trigger and this service notify. */
	public static final String CHANNEL = "seat_changed";

	private static final Log logger = LogFactory.getLog(Holds.class);

	/**
	 * How long an ended hold is remembered, so a late confirm gets 409/410 rather than
	 * 404.
	 */
	private static final Duration REMEMBER_ENDED = Duration.ofMinutes(10);

	private final GDBPoolTemplate template;

	private final Seats seats;

	private final Duration idleTimeout;

	private final Map<String, Hold> open = new ConcurrentHashMap<>();

	private final Map<String, Ended> ended = new ConcurrentHashMap<>();

	public Holds(GDBPoolTemplate template, Seats seats, PartialTransactions partialTransactions) {
		this.template = template;
		this.seats = seats;
		this.idleTimeout = partialTransactions.getIdleTimeout();
	}

	/**
	 * Holds a free seat: locks its row in a partial transaction and keeps the handle.
	 * @param seatId the seat
	 * @return the hold
	 * @throws SeatProblem 404 for an unknown seat, 409 for a booked one
	 * @throws org.springframework.dao.CannotAcquireLockException when someone else holds
	 * it (SQLState 55P03)
	 */
	public Hold hold(int seatId) {
		PartialTransaction<Seat> transaction = this.template.begin((status) -> this.seats.lockFree(seatId));
		Instant now = Instant.now();
		Hold hold = new Hold(UUID.randomUUID().toString(), transaction.result().withHeld(true), transaction, now,
				now.plus(this.idleTimeout));
		this.open.put(hold.id(), hold);
		logger.info("Hold " + hold.id() + " on seat " + hold.seat().label() + ": row locked in a partial transaction");
		publish(hold.seat());
		return hold;
	}

	/**
	 * Books the held seat and commits.
	 * @param holdId the hold
	 * @param name who books it
	 * @return the booked seat
	 * @throws SeatProblem 404 unknown hold, 409 already confirmed or released, 410
	 * expired
	 */
	public Seat confirm(String holdId, String name) {
		Hold hold = claim(holdId);
		try {
			Seat booked = hold.transaction().commitWith((status) -> this.seats.book(hold.seat().id(), name));
			end(hold, Outcome.CONFIRMED);
			// the trigger notifies the booking when the transaction commits
			return booked;
		}
		catch (PartialTransactionExpiredException ex) {
			end(hold, Outcome.EXPIRED);
			publish(hold.seat().withHeld(false));
			throw SeatProblem.holdExpired(holdId);
		}
		catch (PartialTransactionLostException ex) {
			end(hold, Outcome.LOST);
			publish(hold.seat().withHeld(false));
			throw SeatProblem.holdLost(holdId);
		}
		catch (RuntimeException ex) {
			// the step failed: the library rolled the transaction back, the seat is free
			// again
			end(hold, Outcome.RELEASED);
			publish(hold.seat().withHeld(false));
			throw ex;
		}
	}

	/**
	 * Releases a hold: rolls its transaction back.
	 * @param holdId the hold
	 * @return the seat, free again
	 * @throws SeatProblem 404 unknown hold, 409 already confirmed or released, 410
	 * expired
	 */
	public Seat release(String holdId) {
		Hold hold = claim(holdId);
		Seat free = hold.seat().withHeld(false);
		try {
			hold.transaction().rollback();
			end(hold, Outcome.RELEASED);
			return free;
		}
		catch (PartialTransactionExpiredException ex) {
			end(hold, Outcome.EXPIRED);
			throw SeatProblem.holdExpired(holdId);
		}
		finally {
			publish(free);
		}
	}

	/**
	 * @return ids of the seats held right now
	 */
	public Set<Integer> heldSeats() {
		return this.open.values()
			.stream()
			.filter((hold) -> hold.transaction().isOpen())
			.map((hold) -> hold.seat().id())
			.collect(Collectors.toUnmodifiableSet());
	}

	/**
	 * @return the number of open holds
	 */
	public int openCount() {
		return this.open.size();
	}

	/**
	 * Notices holds the library rolled back for being idle too long, and tells the pages.
	 */
	@Scheduled(fixedDelayString = "${sample.holds.sweep-interval-ms:500}")
	public void sweep() {
		for (Hold hold : this.open.values()) {
			if (!hold.transaction().isOpen() && this.open.remove(hold.id(), hold)) {
				// rolled back for idling, or lost with its session: either way the seat
				// is free
				logger.info("Hold " + hold.id() + " on seat " + hold.seat().label()
						+ " ended unconfirmed (expired after " + this.idleTimeout + " or lost with its session)");
				end(hold, Outcome.EXPIRED);
				publish(hold.seat().withHeld(false));
			}
		}
		Instant forgetBefore = Instant.now().minus(REMEMBER_ENDED);
		this.ended.values().removeIf((e) -> e.at().isBefore(forgetBefore));
	}

	/**
	 * Releases every open hold, e.g. at shutdown, and tells the pages.
	 */
	@PreDestroy
	public void releaseAll() {
		for (Hold hold : this.open.values()) {
			if (this.open.remove(hold.id(), hold)) {
				hold.transaction().close();
				end(hold, Outcome.RELEASED);
				publish(hold.seat().withHeld(false));
			}
		}
	}

	private Hold claim(String holdId) {
		Hold hold = this.open.remove(holdId);
		if (hold != null) {
			// a confirm and a release racing for one hold: the loser learns it is ending
			// (409), not "unknown"
			end(hold, Outcome.ENDING);
			return hold;
		}
		Ended previous = this.ended.get(holdId);
		if (previous == null) {
			throw SeatProblem.holdNotFound(holdId);
		}
		throw switch (previous.outcome()) {
			case EXPIRED -> SeatProblem.holdExpired(holdId);
			case LOST -> SeatProblem.holdLost(holdId);
			case ENDING -> SeatProblem.holdEnding(holdId);
			case CONFIRMED -> SeatProblem.holdEnded(holdId, "confirmed");
			case RELEASED -> SeatProblem.holdEnded(holdId, "released");
		};
	}

	private void end(Hold hold, Outcome outcome) {
		this.ended.put(hold.id(), new Ended(outcome, Instant.now()));
	}

	private void publish(Seat seat) {
		try {
			this.template.notify(CHANNEL, seat);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not notify " + CHANNEL + " about seat " + seat.label() + ": " + ex.getMessage());
		}
	}

	/**
	 * An open hold.
	 *
	 * @param id the hold id handed to the client
	 * @param seat the seat, as locked
	 * @param transaction the partial transaction that holds the row lock
	 * @param startedAt when it started
	 * @param expiresAt when the library rolls it back unless it is confirmed or released
	 * first
	 */
	public record Hold(String id, Seat seat, PartialTransaction<Seat> transaction, Instant startedAt,
			Instant expiresAt) {
	}

	private enum Outcome {

		CONFIRMED, RELEASED, EXPIRED, LOST, ENDING

	}

	private record Ended(Outcome outcome, Instant at) {
	}

}
