package io.gdbpool.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.zaxxer.hikari.HikariDataSource;

/**
 * Runs every scenario against the local PostgreSQL and its two replicas and writes
 * RESULTS.md. <pre>
 * java -cp … io.gdbpool.bench.BenchMain [--quick] [--out FILE] [--only 1,3] [--note TEXT]
 * </pre> Exits non-zero only when a scenario could not run; a missed target is reported,
 * not failed.
 */
public final class BenchMain {

	private BenchMain() {
	}

	public static void main(String[] args) throws Exception {
		HarnessArgs parsed = HarnessArgs.parse(args, Path.of("benchmarks/RESULTS.md"), "BenchMain");
		boolean quick = parsed.quick();
		Path out = parsed.out();
		Set<String> only = parsed.only();
		String note = parsed.note();
		// quiet: the harness prints its own progress; Boot's logging system stays out of
		// the way
		System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
		// Hibernate (scenario 8) logs through jboss-logging, which without Logback would
		// pick java.util.logging and print its start-up INFO lines: slf4j-simple at warn,
		// like the rest
		System.setProperty("org.jboss.logging.provider", "slf4j");
		Settings settings = Settings.of(quick);
		Report report = new Report();
		Instant started = Instant.now();
		String loadBefore = MachineFacts.loadAverage();
		Log.progress("gDBPool benchmarks, " + (quick ? "quick" : "full") + " mode, JVM " + Runtime.version());
		String[][] scenarios = { { "1", SelectOneScenario.NAME }, { "2", ReadRouteScenario.NAME },
				{ "3", NotifyScenario.THROUGHPUT }, { "5", PartialScenario.NAME }, { "6", AsyncScenario.NAME },
				{ "7", RenderScenario.NAME }, { "8", JpaScenario.NAME } };
		for (String[] scenario : scenarios) {
			String id = scenario[0];
			boolean wanted = only.isEmpty() || only.contains(id) || (id.equals("3") && only.contains("4"));
			boolean throughput = only.isEmpty() || only.contains("3");
			boolean latency = only.isEmpty() || only.contains("4");
			if (!wanted) {
				continue;
			}
			Log.progress("Scenario " + (id.equals("3") ? "3/4. @PgListen throughput and latency" : scenario[1]));
			try {
				switch (id) {
					case "1" -> SelectOneScenario.run(settings, report);
					case "2" -> ReadRouteScenario.run(settings, report);
					case "3" -> NotifyScenario.run(settings, report, throughput, latency);
					case "5" -> PartialScenario.run(settings, report);
					case "6" -> AsyncScenario.run(settings, report);
					case "7" -> RenderScenario.run(settings, report);
					case "8" -> JpaScenario.run(settings, report);
					default -> throw new IllegalStateException(id);
				}
			}
			catch (Exception | Error ex) {
				Log.progress("Scenario " + scenario[1] + " FAILED: " + ex);
				ex.printStackTrace();
				report.failed(scenario[1], ex);
			}
		}
		Duration took = Duration.between(started, Instant.now());
		String markdown = markdown(settings, report, started, took, loadBefore, MachineFacts.loadAverage(), note);
		if (out.getParent() != null) {
			Files.createDirectories(out.getParent());
		}
		Files.writeString(out, markdown, StandardCharsets.UTF_8);
		System.out.println();
		System.out.println(markdown);
		Log.progress("Wrote " + out.toAbsolutePath() + " in " + took.toSeconds() + " s");
		System.exit(report.failures().isEmpty() ? 0 : 1);
	}

	private static String markdown(Settings s, Report report, Instant started, Duration took, String loadBefore,
			String loadAfter, String note) {
		StringBuilder md = new StringBuilder();
		md.append("# gDBPool benchmark results\n\n");
		if (s.quick()) {
			md.append("> **Quick mode**: short trials, ")
				.append(s.pairs())
				.append('/')
				.append(s.shortPairs())
				.append(" pairs. It proves the harness runs; its figures and pass/miss mean nothing.\n\n");
		}
		if (note != null && !note.isBlank()) {
			md.append("> ").append(note).append("\n\n");
		}
		MachineFacts.appendRun(md, started, took, loadBefore, loadAfter);
		md.append("- PostgreSQL: ").append(serverFacts(s)).append('\n');
		String commit = System.getProperty("bench.commit");
		if (commit != null) {
			md.append("- Commit: ").append(commit).append('\n');
		}
		md.append(
				"- Method: each comparison runs ours and the reference alternately, the order rotating each round (A B, B A, A B …), ")
			.append(s.warmups())
			.append(" unrecorded warm-up round(s), then ")
			.append(s.pairs())
			.append(" recorded rounds (")
			.append(s.shortPairs())
			.append(" for the short throughput trials of scenarios 1, 2, 3, 6 and 8); figures are the median over rounds with "
					+ "(min–max). A ratio is the median of the per-round ratios ours/reference (each round's two trials ran "
					+ "back to back, so they saw the same load from the rest of the machine); \"rounds\" gives their range. "
					+ "Scenario 5 interleaves ours and the reference operation by operation within each round.\n\n");
		md.append("| Scenario | Case | Ours | Reference | Ratio | Target | Result |\n");
		md.append("|---|---|---|---|---|---|---|\n");
		for (Report.Row row : report.rows()) {
			md.append("| ")
				.append(row.scenario())
				.append(" | ")
				.append(row.caseName())
				.append(" | ")
				.append(row.ours())
				.append(" | ")
				.append(row.reference())
				.append(" | ")
				.append(row.ratio())
				.append(" | ")
				.append(row.target())
				.append(" | ")
				.append(row.result())
				.append(" |\n");
		}
		md.append('\n');
		if (!report.failures().isEmpty()) {
			md.append("## Scenarios that could not run\n\n");
			report.failures().forEach((f) -> md.append("- ").append(f).append('\n'));
			md.append('\n');
		}
		md.append("## Notes\n\n");
		for (Map.Entry<String, List<String>> entry : report.notes().entrySet()) {
			for (String text : entry.getValue()) {
				md.append("- **").append(entry.getKey()).append("**: ").append(text).append('\n');
			}
		}
		return md.toString();
	}

	private static String serverFacts(Settings s) {
		List<String> facts = new ArrayList<>();
		for (String url : new String[] { s.primaryUrl(), s.replicaAUrl(), s.replicaBUrl() }) {
			try (HikariDataSource ds = Db.plainPool("facts", url, s.user(), 1)) {
				facts.add(url.replaceFirst("^jdbc:postgresql://", "") + " " + Db.scalar(ds, "SHOW server_version")
						+ ("t".equals(Db.scalar(ds, "SELECT pg_is_in_recovery()")) ? " (standby)" : " (primary)"));
			}
			catch (Exception ex) {
				facts.add(url + " unreachable (" + ex.getMessage() + ")");
			}
		}
		return String.join("; ", facts);
	}

}
