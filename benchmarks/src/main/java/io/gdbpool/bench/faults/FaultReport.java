package io.gdbpool.bench.faults;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rows of FAULTS.md: per fault, what was measured, the figure, the target from the
 * issue and whether it was met; notes per scenario; scenarios that could not run.
 */
final class FaultReport {

	record Row(int scenario, int order, String fault, String measured, String figure, String target, String result) {
	}

	private final List<Row> rows = new ArrayList<>();

	private final Map<Integer, String> titles = new TreeMap<>();

	private final Map<Integer, List<String>> notes = new LinkedHashMap<>();

	private final List<String> failures = new ArrayList<>();

	void title(int scenario, String title) {
		this.titles.put(scenario, title);
	}

	/**
	 * A row with a target: {@code pass} null means it could not be judged (e.g. the wait
	 * timed out).
	 */
	void row(int scenario, String fault, String measured, String figure, String target, Boolean pass) {
		String result = (pass == null) ? "**MISS** (no figure)" : (pass ? "**pass**" : "**MISS**");
		this.rows.add(new Row(scenario, this.rows.size(), fault, measured, figure, target, result));
	}

	/** A row without a target: reported only. */
	void report(int scenario, String fault, String measured, String figure) {
		this.rows.add(new Row(scenario, this.rows.size(), fault, measured, figure, "report", "report"));
	}

	void note(int scenario, String text) {
		this.notes.computeIfAbsent(scenario, (k) -> new ArrayList<>()).add(text);
	}

	void failed(int scenario, Throwable ex) {
		this.failures.add(this.titles.getOrDefault(scenario, "Scenario " + scenario) + ": " + ex);
	}

	boolean hasFailures() {
		return !this.failures.isEmpty();
	}

	long misses() {
		return this.rows.stream().filter((r) -> r.result().startsWith("**MISS")).count();
	}

	/**
	 * Whether a figure within a bound passes; a missing figure (a wait that timed out)
	 * does not.
	 */
	static boolean atMost(double figure, double bound) {
		return !Double.isNaN(figure) && figure <= bound;
	}

	String markdownTable() {
		StringBuilder md = new StringBuilder();
		md.append("| Fault | Measured | Figure | Target | Result |\n");
		md.append("|---|---|---|---|---|\n");
		this.rows.stream()
			.sorted(Comparator.comparingInt(Row::scenario).thenComparingInt(Row::order))
			.forEach((row) -> md.append("| ")
				.append(row.fault())
				.append(" | ")
				.append(row.measured())
				.append(" | ")
				.append(row.figure())
				.append(" | ")
				.append(row.target())
				.append(" | ")
				.append(row.result())
				.append(" |\n"));
		return md.toString();
	}

	String markdownNotes() {
		StringBuilder md = new StringBuilder();
		if (!this.failures.isEmpty()) {
			md.append("## Scenarios that could not run\n\n");
			this.failures.forEach((f) -> md.append("- ").append(f).append('\n'));
			md.append('\n');
		}
		md.append("## Notes\n\n");
		for (Map.Entry<Integer, String> title : this.titles.entrySet()) {
			List<String> texts = this.notes.get(title.getKey());
			if (texts == null) {
				continue;
			}
			md.append("### ").append(title.getValue()).append("\n\n");
			texts.forEach((text) -> md.append("- ").append(text).append('\n'));
			md.append('\n');
		}
		return md.toString();
	}

}
