package io.gdbpool.bench.faults;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import io.gdbpool.bench.HarnessArgs;
import io.gdbpool.bench.MachineFacts;

/**
 * Injects real faults into scratch PostgreSQL servers under a Spring Boot application
 * with the starter, and writes the fault report (FAULTS.md): per fault, what was
 * measured, the figure, the target and whether it was met. <pre>
 * java -cp … io.gdbpool.bench.faults.FaultMain [--quick] [--out FILE] [--only 1,3] [--note TEXT]
 * </pre> A missed target is reported, never failed: the exit status is non-zero only when
 * a scenario could not run. Every scratch server started is stopped at the end, also
 * after a failure.
 */
public final class FaultMain {

	private interface Scenario {

		void run(ScratchCluster cluster, FaultSettings settings, FaultReport report) throws Exception;

	}

	private record Entry(int id, String title, Scenario scenario) {
	}

	private static final List<Entry> SCENARIOS = List.of(
			new Entry(PartialBudgetScenario.ID, PartialBudgetScenario.TITLE, PartialBudgetScenario::run),
			new Entry(LostPartialScenario.ID, LostPartialScenario.TITLE, LostPartialScenario::run),
			new Entry(ReplicaOutageScenario.ID, ReplicaOutageScenario.TITLE, ReplicaOutageScenario::run),
			new Entry(PrimaryOutageScenario.ID, PrimaryOutageScenario.TITLE, PrimaryOutageScenario::run),
			new Entry(ListenOutageScenario.ID, ListenOutageScenario.TITLE, ListenOutageScenario::run),
			new Entry(StalledReplicaScenario.ID, StalledReplicaScenario.TITLE, StalledReplicaScenario::run));

	private FaultMain() {
	}

	public static void main(String[] args) throws Exception {
		HarnessArgs parsed = HarnessArgs.parse(args, Path.of("benchmarks/FAULTS.md"), "FaultMain");
		boolean quick = parsed.quick();
		Path out = parsed.out();
		Set<String> only = parsed.only();
		String note = parsed.note();
		// the harness prints its own progress; Boot's logging system stays out of the way
		System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
		FaultSettings settings = FaultSettings.of(quick);
		FaultReport report = new FaultReport();
		Instant started = Instant.now();
		String loadBefore = MachineFacts.loadAverage();
		Progress.line("gDBPool fault report, " + (quick ? "quick" : "full") + " mode, JVM " + Runtime.version());
		ScratchCluster cluster = new ScratchCluster(settings.sourcePort(), settings.primaryPort());
		// Ctrl-C or a kill must not leave scratch servers behind (or frozen)
		Thread cleanup = new Thread(cluster::close, "faults-cleanup");
		Runtime.getRuntime().addShutdownHook(cleanup);
		try {
			for (Entry entry : SCENARIOS) {
				report.title(entry.id(), entry.title());
				if (!only.isEmpty() && !only.contains(Integer.toString(entry.id()))) {
					continue;
				}
				Progress.line("Scenario " + entry.title());
				long scenarioStart = System.nanoTime();
				try {
					entry.scenario().run(cluster, settings, report);
				}
				catch (Exception | Error ex) {
					Progress.line("Scenario " + entry.title() + " FAILED: " + ex);
					ex.printStackTrace();
					report.failed(entry.id(), ex);
				}
				Progress.line(String.format("  scenario took %.1f s", Millis.since(scenarioStart) / 1000));
			}
		}
		finally {
			cluster.close();
			Runtime.getRuntime().removeShutdownHook(cleanup);
		}
		Duration took = Duration.between(started, Instant.now());
		String markdown = header(settings, started, took, loadBefore, MachineFacts.loadAverage(), note)
				+ report.markdownTable() + "\n" + report.markdownNotes();
		if (out.getParent() != null) {
			Files.createDirectories(out.getParent());
		}
		Files.writeString(out, markdown, StandardCharsets.UTF_8);
		System.out.println();
		System.out.println(markdown);
		Progress
			.line("Wrote " + out.toAbsolutePath() + " in " + took.toSeconds() + " s (" + report.misses() + " MISS)");
		System.exit(report.hasFailures() ? 1 : 0);
	}

	private static String header(FaultSettings s, Instant started, Duration took, String loadBefore, String loadAfter,
			String note) {
		StringBuilder md = new StringBuilder();
		md.append("# gDBPool fault report\n\n");
		if (s.quick()) {
			md.append("> **Quick mode**: shorter outages and load windows. It proves the harness runs; its figures are "
					+ "indicative only.\n\n");
		}
		if (note != null && !note.isBlank()) {
			md.append("> ").append(note).append("\n\n");
		}
		MachineFacts.appendRun(md, started, took, loadBefore, loadAfter);
		md.append("- PostgreSQL: ")
			.append(serverVersion(s.sourcePort()))
			.append("; scratch servers are base backups of 127.0.0.1:")
			.append(s.sourcePort())
			.append(" (`scripts/replica.sh`): a promoted scratch primary on ")
			.append(s.primaryPort())
			.append(" and a streaming replica of it on ")
			.append(s.replicaPort())
			.append('\n');
		String commit = System.getProperty("bench.commit");
		if (commit != null) {
			md.append("- Commit: ").append(commit).append('\n');
		}
		md.append(
				"- Method: each scenario starts a Spring Boot application (`SpringApplicationBuilder`, no web, gDBPool's "
						+ "auto-configurations) with default settings except its pools, against the scratch servers, injects the "
						+ "fault while load runs and measures with `System.nanoTime()`. Targets are the issue's; a MISS is reported, "
						+ "never failed. Each figure is one measurement, not a median: on a shared 2-core machine a figure near its "
						+ "bound can fall on either side from run to run.\n\n");
		return md.toString();
	}

	private static String serverVersion(int port) {
		try {
			return Sql.scalar(port, "SHOW server_version");
		}
		catch (Exception ex) {
			return "unknown (" + ex.getMessage() + ")";
		}
	}

}
