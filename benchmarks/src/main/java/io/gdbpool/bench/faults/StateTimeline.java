package io.gdbpool.bench.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.function.BooleanSupplier;

/**
 * Polls a yes/no state (a pool in rotation, a listener connected, a server answering)
 * every few milliseconds on a thread of its own and keeps each change with its time, so a
 * scenario can ask "when did it first turn false after the fault" and the notes can show
 * the whole sequence, including a change nobody expected (back in rotation while the
 * server was still dead).
 */
final class StateTimeline implements AutoCloseable {

	record Change(long at, boolean value) {
	}

	private final List<Change> changes = new CopyOnWriteArrayList<>();

	private final ExecutorService thread;

	private volatile boolean running = true;

	StateTimeline(String name, BooleanSupplier state, long pollMillis) {
		this.thread = Threads.daemons("watch-" + name, 1);
		this.thread.execute(() -> {
			Boolean last = null;
			while (this.running) {
				boolean now;
				try {
					now = state.getAsBoolean();
				}
				catch (RuntimeException ex) {
					now = false;
				}
				if (last == null || now != last) {
					this.changes.add(new Change(System.nanoTime(), now));
					last = now;
				}
				Millis.sleep(pollMillis);
			}
		});
	}

	/**
	 * When the state first turned to {@code value} at or after {@code from}, or 0 if it
	 * did not (yet).
	 */
	long firstChangeTo(boolean value, long from) {
		for (Change change : this.changes) {
			if (change.at() - from >= 0 && change.value() == value) {
				return change.at();
			}
		}
		return 0;
	}

	/** When the state last changed (or was first seen), 0 before the first poll. */
	long lastChangeAt() {
		int n = this.changes.size();
		return (n == 0) ? 0 : this.changes.get(n - 1).at();
	}

	/** How many times the state turned to {@code value} at or after {@code from}. */
	int changesTo(boolean value, long from) {
		int count = 0;
		for (Change change : this.changes) {
			if (change.at() - from >= 0 && change.value() == value) {
				count++;
			}
		}
		return count;
	}

	/**
	 * The state at {@code moment} as last observed before it (false before the first
	 * poll).
	 */
	boolean valueAt(long moment) {
		boolean value = false;
		for (Change change : this.changes) {
			if (change.at() - moment > 0) {
				break;
			}
			value = change.value();
		}
		return value;
	}

	/** The changes after {@code from}, as "false at +44 ms, true at +2,900 ms". */
	String describeSince(long from, String yes, String no) {
		List<String> parts = new ArrayList<>();
		for (Change change : this.changes) {
			if (change.at() - from >= 0) {
				parts.add((change.value() ? yes : no) + " at +" + Millis.format(Millis.between(from, change.at()), 0));
			}
		}
		return parts.isEmpty() ? "no change" : String.join(", ", parts);
	}

	@Override
	public void close() {
		this.running = false;
		Threads.stop(this.thread, 10_000, "state watcher");
	}

}
