package io.gdbpool.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
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

}
