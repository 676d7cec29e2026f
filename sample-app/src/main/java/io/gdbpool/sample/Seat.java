package io.gdbpool.sample;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A seat as the page, the REST API and the {@code seat_changed} notifications show it.
 * The JSON field names are those of the trigger's {@code json_build_object} in
 * {@code schema.sql}.
 *
 * @param id the seat's id
 * @param label e.g. {@code B4}
 * @param held whether someone holds it (a partial transaction holds its row lock)
 * @param bookedBy who booked it, or {@code null} while it is not booked
 */
public record Seat(int id, String label, boolean held, @JsonProperty("booked_by") String bookedBy) {

	Seat withHeld(boolean held) {
		return new Seat(this.id, this.label, held, this.bookedBy);
	}

	boolean isBooked() {
		return this.bookedBy != null;
	}

}
