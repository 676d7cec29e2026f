package io.gdbpool.bench.faults;

import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts outcomes by kind ("opened", "refused: PartialTransactionLimitException", ...)
 * and classifies exceptions by what a caller would catch, so the report can say "no other
 * kind".
 */
final class Outcomes {

	private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

	private final Map<String, String> examples = new ConcurrentHashMap<>();

	void add(String kind) {
		this.counts.computeIfAbsent(kind, (k) -> new LongAdder()).increment();
	}

	void add(String kind, Throwable example) {
		add(kind);
		this.examples.putIfAbsent(kind, String.valueOf(example));
	}

	void addAll(Outcomes other) {
		other.counts.forEach((kind, n) -> this.counts.computeIfAbsent(kind, (k) -> new LongAdder()).add(n.sum()));
		other.examples.forEach(this.examples::putIfAbsent);
	}

	long count(String kind) {
		LongAdder n = this.counts.get(kind);
		return (n != null) ? n.sum() : 0;
	}

	long total() {
		return this.counts.values().stream().mapToLong(LongAdder::sum).sum();
	}

	/** "opened 12, refused 7" in a stable order. */
	String describe() {
		StringBuilder text = new StringBuilder();
		new TreeMap<>(this.counts)
			.forEach((kind, n) -> text.append(text.length() == 0 ? "" : ", ").append(kind).append(' ').append(n.sum()));
		return (text.length() == 0) ? "none" : text.toString();
	}

	/** One example message per kind, for the notes. */
	Map<String, String> examples() {
		return new TreeMap<>(this.examples);
	}

	/** The SQLState somewhere in the cause chain, or null. */
	static String sqlState(Throwable ex) {
		for (Throwable t = ex; t != null; t = t.getCause()) {
			if (t instanceof SQLException sql && sql.getSQLState() != null) {
				return sql.getSQLState();
			}
			if (t.getCause() == t) {
				break;
			}
		}
		return null;
	}

	/**
	 * "DataAccessResourceFailureException: FATAL: terminating connection…": the exception
	 * a caller caught with the message of its innermost cause (Spring's own message
	 * repeats the SQL), shortened for a table.
	 */
	static String brief(Throwable ex) {
		Throwable cause = ex;
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		String message = String.valueOf(cause.getMessage()).replace('\n', ' ').replace('|', '/').replace('`', '\'');
		if (message.length() > 160) {
			message = message.substring(0, 160) + "…";
		}
		return ex.getClass().getSimpleName() + ": " + message;
	}

}
