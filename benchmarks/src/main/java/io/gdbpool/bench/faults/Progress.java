package io.gdbpool.bench.faults;

import java.time.LocalTime;
import java.time.temporal.ChronoUnit;

/**
 * Progress lines on standard output, so a long run shows where it is (and where it hung).
 */
final class Progress {

	private Progress() {
	}

	static void line(String message) {
		System.out.println(LocalTime.now().truncatedTo(ChronoUnit.MILLIS) + " " + message);
		System.out.flush();
	}

}
