package io.gdbpool.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows of RESULTS.md: per scenario and case, ours and the reference (median and
 * min–max over the recorded rounds), the ratio, the target and whether it was met.
 */
final class Report {

	record Row(String scenario, String caseName, String ours, String reference, String ratio, String target,
			String result) {
	}

	private final List<Row> rows = new ArrayList<>();

	private final Map<String, List<String>> notes = new LinkedHashMap<>();

	private final List<String> failures = new ArrayList<>();

	void row(String scenario, String caseName, String ours, String reference, String ratio, String target,
			Boolean pass) {
		this.rows.add(new Row(scenario, caseName, ours, reference, ratio, target,
				(pass == null) ? "report" : (pass ? "**pass**" : "**MISS**")));
	}

	void note(String scenario, String text) {
		this.notes.computeIfAbsent(scenario, (k) -> new ArrayList<>()).add(text);
	}

	void failed(String scenario, Throwable ex) {
		this.failures.add(scenario + ": " + ex);
	}

	List<Row> rows() {
		return this.rows;
	}

	Map<String, List<String>> notes() {
		return this.notes;
	}

	List<String> failures() {
		return this.failures;
	}

	static String fmt(double value, String format) {
		return String.format(format, value);
	}

}
