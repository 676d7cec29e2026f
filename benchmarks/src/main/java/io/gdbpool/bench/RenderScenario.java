package io.gdbpool.bench;

import java.util.Collection;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Scenario 7: runs {@link RenderBenchmark}'s two methods through JMH, one iteration each,
 * alternately. In-process (forks 0) so that the rounds interleave; the JIT state carries
 * over between rounds.
 */
final class RenderScenario {

	static final String NAME = "7. Dry run render";

	static void run(Settings s, Report report) throws Exception {
		long millis = s.quick() ? 300 : 1_000;
		Interleaved runs = new Interleaved().add("template", () -> jmh("render", millis))
			.add("reference", () -> jmh("format", millis))
			.run("S7 (ns/op)", s.warmups(), s.pairs());
		Stats o = runs.stats("template");
		Stats ref = runs.stats("reference");
		report.row(NAME, "10-parameter INSERT: render vs String.format", o.describe("%,.0f") + " ns/op",
				ref.describe("%,.0f") + " ns/op", String.format("%.1f× the time", o.median() / ref.median()),
				"report only", null);
		report.note(NAME, "JMH 1.37, average time, in the harness JVM (forks 0), one 0.5 s warm-up and one " + millis
				+ " ms measurement iteration per round. `render` borrows a pooled connection and lets pgjdbc bind and print the "
				+ "parameters (no round trip); `String.format` does no quoting or escaping. Rendered: `"
				+ new GDBPoolTemplateSample().rendered() + "`");
	}

	private static double jmh(String method, long millis) throws Exception {
		Options options = new OptionsBuilder().include(RenderBenchmark.class.getName() + "\\." + method + "$")
			.forks(0)
			.warmupIterations(1)
			.warmupTime(TimeValue.milliseconds(500))
			.measurementIterations(1)
			.measurementTime(TimeValue.milliseconds(millis))
			.threads(1)
			.timeUnit(TimeUnit.NANOSECONDS)
			.shouldFailOnError(true)
			.verbosity(VerboseMode.SILENT)
			.build();
		Collection<RunResult> results = new Runner(options).run();
		return results.iterator().next().getPrimaryResult().getScore();
	}

	/** One rendering, to show in the report what is measured. */
	private static final class GDBPoolTemplateSample {

		String rendered() {
			RenderBenchmark benchmark = new RenderBenchmark();
			try {
				benchmark.setUp();
				return benchmark.render();
			}
			catch (Exception ex) {
				return "(failed: " + ex + ")";
			}
			finally {
				try {
					benchmark.tearDown();
				}
				catch (RuntimeException ex) {
					// closing only
				}
			}
		}

	}

}
