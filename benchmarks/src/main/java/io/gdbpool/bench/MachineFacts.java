package io.gdbpool.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the reports' headers say about the machine (RESULTS.md and FAULTS.md): a figure
 * from a loaded 2-core machine reads differently from one of an idle one.
 */
public final class MachineFacts {

	private static final Pattern MODEL = Pattern.compile("(?m)^model name\\s*:\\s*(.+)$");

	private MachineFacts() {
	}

	public static String describe() {
		return Runtime.getRuntime().availableProcessors() + " cores (" + cpu() + "), " + memory() + ", "
				+ System.getProperty("os.name") + " " + System.getProperty("os.version");
	}

	static String cpu() {
		try {
			Matcher m = MODEL.matcher(Files.readString(Path.of("/proc/cpuinfo")));
			return m.find() ? m.group(1).trim() : "unknown CPU";
		}
		catch (IOException ex) {
			return "unknown CPU";
		}
	}

	static String memory() {
		if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
			return Math.round(os.getTotalMemorySize() / (1024.0 * 1024 * 1024)) + " GiB RAM";
		}
		return "RAM unknown";
	}

	/** "1.20 / 0.80 / 0.50": the 1, 5 and 15 minute load averages. */
	public static String loadAverage() {
		try {
			String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
			return String.join(" / ", fields[0], fields[1], fields[2]);
		}
		catch (IOException | RuntimeException ex) {
			return "unknown";
		}
	}

	/**
	 * Appends the lines every report starts with: when it ran and for how long, the
	 * machine, its load before and after, the JVM.
	 * @param md the report so far
	 * @param started when the run started
	 * @param took how long it ran
	 * @param loadBefore {@link #loadAverage()} before the run
	 * @param loadAfter {@link #loadAverage()} after it
	 */
	public static void appendRun(StringBuilder md, Instant started, Duration took, String loadBefore,
			String loadAfter) {
		md.append("- Date: ")
			.append(DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(started.atOffset(ZoneOffset.UTC).withNano(0)))
			.append(" UTC; run took ")
			.append(took.toSeconds())
			.append(" s\n");
		md.append("- Machine: ").append(describe()).append('\n');
		md.append("- Load average (1/5/15 min) before: ")
			.append(loadBefore)
			.append("; after: ")
			.append(loadAfter)
			.append('\n');
		md.append("- JVM: ")
			.append(System.getProperty("java.vm.vendor"))
			.append(' ')
			.append(System.getProperty("java.vm.name"))
			.append(' ')
			.append(System.getProperty("java.runtime.version"))
			.append(", args ")
			.append(ManagementFactory.getRuntimeMXBean().getInputArguments())
			.append('\n');
	}

}
