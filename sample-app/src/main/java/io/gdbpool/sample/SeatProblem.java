package io.gdbpool.sample;

import org.springframework.http.HttpStatus;

/**
 * Something a user asked for that cannot be done; answered as a {@code ProblemDetail}
 * with the given status.
 */
public class SeatProblem extends RuntimeException {

	private final HttpStatus status;

	private final String title;

	SeatProblem(HttpStatus status, String title, String detail) {
		super(detail);
		this.status = status;
		this.title = title;
	}

	public HttpStatus getStatus() {
		return this.status;
	}

	public String getTitle() {
		return this.title;
	}

	static SeatProblem seatNotFound(int seatId) {
		return new SeatProblem(HttpStatus.NOT_FOUND, "Unknown seat", "There is no seat " + seatId);
	}

	static SeatProblem seatBooked(Seat seat) {
		return new SeatProblem(HttpStatus.CONFLICT, "Seat already booked",
				"Seat " + seat.label() + " is already booked");
	}

	static SeatProblem seatHeld(int seatId) {
		return new SeatProblem(HttpStatus.CONFLICT, "Seat held by someone else",
				"Seat " + seatId + " is held by someone else right now; try another seat or try again shortly");
	}

	static SeatProblem holdNotFound(String holdId) {
		return new SeatProblem(HttpStatus.NOT_FOUND, "Unknown hold", "There is no hold " + holdId);
	}

	static SeatProblem holdEnded(String holdId, String how) {
		return new SeatProblem(HttpStatus.CONFLICT, "Hold already ended", "Hold " + holdId + " was already " + how);
	}

	static SeatProblem holdLost(String holdId) {
		return new SeatProblem(HttpStatus.GONE, "Hold lost",
				"Hold " + holdId + " was lost: its database session ended (server restart or failover); nothing was "
						+ "booked and the seat is free again. Hold it again");
	}

	static SeatProblem holdEnding(String holdId) {
		return new SeatProblem(HttpStatus.CONFLICT, "Hold already ending",
				"Hold " + holdId + " is being confirmed or released by another request");
	}

	static SeatProblem holdExpired(String holdId) {
		return new SeatProblem(HttpStatus.GONE, "Hold expired", "Hold " + holdId
				+ " was not confirmed in time (gdbpool.partial-transactions.idle-timeout); the seat was released");
	}

}
