package io.gdbpool.bench.faults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One scratch PostgreSQL server on a port of its own, driven by
 * {@code scripts/replica.sh}: a real streaming replica of {@code upstreamPort} when
 * started, which {@link #promote()} turns into a scratch primary. Faults are the
 * script's: {@code stop} (fast shutdown, data directory removed), {@code kill}
 * ({@code kill -9} of every server process), {@code freeze} (SIGSTOP) and {@code thaw}. A
 * start after stop or kill is a fresh base backup of the upstream server.
 */
final class ScratchServer {

	private static final String SCRIPT = System.getProperty("faults.replicaScript", "scripts/replica.sh");

	/**
	 * replica.sh start waits up to 60 s for the server; a base backup takes a few
	 * seconds.
	 */
	private static final long SCRIPT_TIMEOUT_SECONDS = 120;

	final int port;

	private final int upstreamPort;

	private volatile boolean running;

	private volatile boolean frozen;

	ScratchServer(int port, int upstreamPort) {
		this.port = port;
		this.upstreamPort = upstreamPort;
	}

	String url() {
		return Sql.url(this.port);
	}

	boolean isRunning() {
		return this.running;
	}

	/**
	 * A fresh streaming replica of the upstream server (replica.sh start; idempotent for
	 * a standby).
	 */
	void start() {
		// start on a promoted or dead server would reuse nothing: replica.sh replaces it
		script("start");
		this.running = true;
		this.frozen = false;
	}

	/** Promotes the standby and waits until it takes writes: a scratch primary. */
	void promote() {
		try {
			String done = Sql.scalar(this.port, "SELECT pg_promote(true, 30)");
			if (!"t".equals(done)) {
				throw new IllegalStateException("pg_promote on " + this.port + " answered " + done);
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("pg_promote on " + this.port + " failed: " + ex.getMessage(), ex);
		}
		if (Double.isNaN(Millis.await(System.nanoTime(), 30_000, 20, () -> Sql.isPrimary(this.port)))) {
			throw new IllegalStateException("scratch server " + this.port + " still in recovery 30 s after pg_promote");
		}
	}

	void stop() {
		if (this.frozen) {
			thaw();
		}
		script("stop");
		this.running = false;
	}

	void kill() {
		script("kill");
		this.running = false;
	}

	void freeze() {
		script("freeze");
		this.frozen = true;
	}

	void thaw() {
		script("thaw");
		this.frozen = false;
	}

	/**
	 * Leaves nothing behind: thaws a frozen server first, then stops it and removes its
	 * directory.
	 */
	void stopQuietly() {
		try {
			if (this.frozen) {
				thaw();
			}
		}
		catch (RuntimeException ex) {
			Progress.line("  could not thaw scratch server " + this.port + ": " + ex.getMessage());
		}
		try {
			script("stop");
		}
		catch (RuntimeException ex) {
			Progress.line("  could not stop scratch server " + this.port + ": " + ex.getMessage());
		}
		this.running = false;
	}

	private void script(String action) {
		List<String> command = new ArrayList<>(List.of("bash", SCRIPT, action, Integer.toString(this.port)));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().put("GDBPOOL_PRIMARY_HOST", "127.0.0.1");
		builder.environment().put("GDBPOOL_PRIMARY_PORT", Integer.toString(this.upstreamPort));
		Path log = null;
		try {
			// output to a file, not a pipe: a full pipe would block the script while we
			// wait for it
			log = Files.createTempFile("gdbpool-faults-replica-", ".log");
			builder.redirectOutput(log.toFile());
			Process process = builder.start();
			process.getOutputStream().close();
			if (!process.waitFor(SCRIPT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException("replica.sh " + action + " " + this.port + " did not finish within "
						+ SCRIPT_TIMEOUT_SECONDS + " s");
			}
			String output = Files.readString(log, StandardCharsets.UTF_8).trim();
			if (process.exitValue() != 0) {
				throw new IllegalStateException("replica.sh " + action + " " + this.port + " failed (exit "
						+ process.exitValue() + "): " + output);
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("could not run " + SCRIPT + ": " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted running replica.sh " + action, ex);
		}
		finally {
			if (log != null) {
				try {
					Files.deleteIfExists(log);
				}
				catch (IOException ex) {
					// a temporary file left behind is harmless
				}
			}
		}
	}

	@Override
	public String toString() {
		return "scratch server 127.0.0.1:" + this.port;
	}

}
