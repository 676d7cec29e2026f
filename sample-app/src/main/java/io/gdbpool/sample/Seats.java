package io.gdbpool.sample;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import io.gdbpool.GDBPoolTemplate;

import org.springframework.stereotype.Repository;

/**
 * The seats in PostgreSQL. Seat map reads take the template's read route (a replica when
 * one is configured); the hold and booking statements run inside the partial transactions
 * of {@link Holds}, on the write route.
 */
@Repository
public class Seats {

	private static final String SEAT_MAP_SQL = "SELECT id, label, booked_by, current_setting('application_name') AS served_by, "
			+ "inet_server_port() AS server_port, pg_is_in_recovery() AS standby FROM sample_seat ORDER BY id";

	private final GDBPoolTemplate template;

	private final AtomicReference<LastSeatMap> lastSeatMap = new AtomicReference<>();

	public Seats(GDBPoolTemplate template) {
		this.template = template;
	}

	/**
	 * Reads the seat map on the read route and remembers which pool served it.
	 * @param heldSeats ids of the seats held right now
	 * @return the seat map
	 */
	public SeatMap seatMap(Set<Integer> heldSeats) {
		List<Seat> seats = new ArrayList<>();
		String[] servedBy = new String[1];
		Integer[] port = new Integer[1];
		boolean[] standby = new boolean[1];
		this.template.query(SEAT_MAP_SQL, (rs, row) -> {
			servedBy[0] = rs.getString("served_by");
			port[0] = (Integer) rs.getObject("server_port");
			standby[0] = rs.getBoolean("standby");
			Seat seat = seat(rs);
			seats.add(seat.withHeld(heldSeats.contains(seat.id())));
			return seat;
		});
		if (servedBy[0] == null) {
			// no seats: still say who answered
			var row = this.template
				.queryForList(
						"SELECT current_setting('application_name') AS served_by, inet_server_port() AS server_port, "
								+ "pg_is_in_recovery() AS standby")
				.get(0);
			servedBy[0] = (String) row.get("served_by");
			port[0] = (Integer) row.get("server_port");
			standby[0] = Boolean.TRUE.equals(row.get("standby"));
		}
		SeatMap map = new SeatMap(servedBy[0], port[0], standby[0], seats);
		this.lastSeatMap.set(new LastSeatMap(map.servedBy(), map.serverPort(), map.standby(), Instant.now()));
		return map;
	}

	/**
	 * @param id a seat id
	 * @param held whether it is held right now
	 * @return the seat, read on the read route
	 * @throws SeatProblem 404 if there is no such seat
	 */
	public Seat find(int id, boolean held) {
		List<Seat> seats = this.template.query("SELECT id, label, booked_by FROM sample_seat WHERE id = ?",
				(rs, row) -> seat(rs), id);
		if (seats.isEmpty()) {
			throw SeatProblem.seatNotFound(id);
		}
		return seats.get(0).withHeld(held);
	}

	/**
	 * Locks the seat's row without waiting; to run as the first step of a partial
	 * transaction. A row locked by another transaction fails at once with SQLState 55P03,
	 * which Spring translates into a {@code CannotAcquireLockException}.
	 * @param id a seat id
	 * @return the seat, now locked
	 * @throws SeatProblem 404 for an unknown seat, 409 for a booked one
	 */
	Seat lockFree(int id) {
		List<Seat> seats = this.template.jdbc()
			.sql("SELECT id, label, booked_by FROM sample_seat WHERE id = ? FOR UPDATE NOWAIT")
			.param(id)
			.query((rs, row) -> seat(rs))
			.list();
		if (seats.isEmpty()) {
			throw SeatProblem.seatNotFound(id);
		}
		Seat seat = seats.get(0);
		if (seat.isBooked()) {
			throw SeatProblem.seatBooked(seat);
		}
		return seat;
	}

	/**
	 * Books a seat; to run as the last step of the partial transaction that holds its
	 * lock.
	 * @param id the seat id
	 * @param name who books it
	 * @return the booked seat
	 */
	Seat book(int id, String name) {
		return this.template.jdbc()
			.sql("UPDATE sample_seat SET booked_by = ? WHERE id = ? RETURNING id, label, booked_by")
			.param(name)
			.param(id)
			.query((rs, row) -> seat(rs))
			.single();
	}

	/**
	 * @return which pool served the last seat map, or {@code null} before the first one
	 */
	public LastSeatMap lastSeatMap() {
		return this.lastSeatMap.get();
	}

	private static Seat seat(ResultSet rs) throws SQLException {
		return new Seat(rs.getInt("id"), rs.getString("label"), false, rs.getString("booked_by"));
	}

	/**
	 * Which connection served the last seat map.
	 *
	 * @param servedBy its {@code application_name}, {@code gdbpool-<pool>}
	 * @param serverPort the server's port
	 * @param standby whether the server was a replica
	 * @param at when
	 */
	public record LastSeatMap(String servedBy, Integer serverPort, boolean standby, Instant at) {
	}

}
