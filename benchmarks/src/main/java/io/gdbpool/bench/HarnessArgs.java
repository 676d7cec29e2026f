package io.gdbpool.bench;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The command line both harnesses take:
 * {@code [--quick] [--out FILE] [--only 1,2,...] [--note TEXT]}.
 *
 * @param quick short trials that prove the harness runs
 * @param out the report to write
 * @param only the scenarios to run; empty for all
 * @param note a line for the report's header, or {@code null}
 */
public record HarnessArgs(boolean quick, Path out, Set<String> only, String note) {

	/**
	 * @param args the command line
	 * @param defaultOut the report written without {@code --out}
	 * @param program the harness's name, for the usage message
	 * @return the parsed arguments
	 * @throws IllegalArgumentException naming an unknown argument
	 */
	public static HarnessArgs parse(String[] args, Path defaultOut, String program) {
		boolean quick = false;
		Path out = defaultOut;
		Set<String> only = new LinkedHashSet<>();
		String note = null;
		for (int i = 0; i < args.length; i++) {
			switch (args[i]) {
				case "--quick" -> quick = true;
				case "--out" -> out = Path.of(args[++i]);
				case "--only" -> only.addAll(List.of(args[++i].split(",")));
				case "--note" -> note = args[++i];
				default -> throw new IllegalArgumentException("Unknown argument " + args[i] + "; usage: " + program
						+ " [--quick] [--out FILE] [--only 1,2,...] [--note TEXT]");
			}
		}
		return new HarnessArgs(quick, out, only, note);
	}

}
