package io.gdbpool.bench;

import java.time.LocalTime;
import java.time.temporal.ChronoUnit;

final class Log {

	private Log() {
	}

	static void progress(String message) {
		System.out.println(LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + " " + message);
		System.out.flush();
	}

}
