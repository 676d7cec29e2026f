package io.gdbpool.sample;

import java.net.URI;
import java.time.Instant;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.StringUtils;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The seat map, holds and the live stream.
 */
@RestController
public class SeatController {

	private static final int MAX_NAME_LENGTH = 60;

	private final Seats seats;

	private final Holds holds;

	private final SeatEvents events;

	public SeatController(Seats seats, Holds holds, SeatEvents events) {
		this.seats = seats;
		this.holds = holds;
		this.events = events;
	}

	/**
	 * @return the seat map, read on the read route
	 */
	@GetMapping("/seats")
	public SeatMap seatMap() {
		return this.seats.seatMap(this.holds.heldSeats());
	}

	/**
	 * @param id a seat id
	 * @return the seat, read on the read route
	 */
	@GetMapping("/seats/{id}")
	public Seat seat(@PathVariable int id) {
		return this.seats.find(id, this.holds.heldSeats().contains(id));
	}

	/**
	 * @return a stream of {@code seat} events (and {@code ready}, {@code resync})
	 */
	@GetMapping(path = "/seats/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	public SseEmitter events() {
		return this.events.open();
	}

	/**
	 * Holds a seat: answers at once, with the row locked in a suspended partial
	 * transaction.
	 * @param id a seat id
	 * @return 201 with the hold id and the seat
	 */
	@PostMapping("/seats/{id}/hold")
	public ResponseEntity<HoldResponse> hold(@PathVariable int id) {
		Holds.Hold hold = this.holds.hold(id);
		return ResponseEntity.created(URI.create("/holds/" + hold.id()))
			.body(new HoldResponse(hold.id(), hold.seat(), hold.expiresAt()));
	}

	/**
	 * Books the held seat and commits the hold's transaction.
	 * @param holdId the hold id
	 * @param request who books it (optional)
	 * @return the hold id and the booked seat
	 */
	@PostMapping("/holds/{holdId}/confirm")
	public HoldResponse confirm(@PathVariable String holdId, @RequestBody(required = false) ConfirmRequest request) {
		String name = (request != null && StringUtils.hasText(request.name())) ? request.name().strip() : "guest";
		if (name.length() > MAX_NAME_LENGTH) {
			throw new IllegalArgumentException("The name may have at most " + MAX_NAME_LENGTH + " characters");
		}
		return new HoldResponse(holdId, this.holds.confirm(holdId, name), null);
	}

	/**
	 * Releases a hold: rolls its transaction back.
	 * @param holdId the hold id
	 * @return 204
	 */
	@DeleteMapping("/holds/{holdId}")
	public ResponseEntity<Void> release(@PathVariable String holdId) {
		this.holds.release(holdId);
		return ResponseEntity.noContent().build();
	}

	/**
	 * @param holdId the hold id
	 * @param seat the seat
	 * @param expiresAt when an unconfirmed hold is rolled back; {@code null} once
	 * confirmed
	 */
	public record HoldResponse(String holdId, Seat seat, Instant expiresAt) {
	}

	/**
	 * @param name who books the seat
	 */
	public record ConfirmRequest(String name) {
	}

}
