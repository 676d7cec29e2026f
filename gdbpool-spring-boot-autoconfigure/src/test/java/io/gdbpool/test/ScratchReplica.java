package io.gdbpool.test;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * A streaming replica a test may pause, stop and start again without disturbing other
 * tests: started with {@code scripts/replica.sh} on its own port (needs root, as in CI).
 */
public final class ScratchReplica implements AutoCloseable {

	private final int port;

	private final Path script;

	private ScratchReplica(int port, Path script) {
		this.port = port;
		this.script = script;
	}

	/**
	 * @param port a free port, not one of the shared replicas'
	 * @return the running replica
	 */
	public static ScratchReplica start(int port) {
		Path script = findScript();
		ScratchReplica replica = new ScratchReplica(port, script);
		replica.run("start");
		return replica;
	}

	public String url() {
		return "jdbc:postgresql://127.0.0.1:" + this.port + "/test";
	}

	public int port() {
		return this.port;
	}

	/** Starts it again after {@link #stop()} (a fresh base backup, same port). */
	public void restart() {
		run("start");
	}

	/** Stops the server (fast shutdown), as a crashed or unreachable replica. */
	public void stop() {
		run("stop");
	}

	/**
	 * kill -9 of the server and its processes, as a crashed machine; {@link #restart()}
	 * brings a fresh one.
	 */
	public void kill() {
		run("kill");
	}

	/**
	 * SIGSTOP of the server and its processes: connections stay open and nothing answers.
	 */
	public void freeze() {
		run("freeze");
	}

	/** SIGCONT after {@link #freeze()}. */
	public void thaw() {
		run("thaw");
	}

	/**
	 * Promotes it: from then on it is a primary of its own (a scratch primary a test may
	 * stop, kill or freeze without touching the shared database). {@link #restart()}
	 * makes it a fresh standby.
	 */
	public void promote() {
		execute("SELECT pg_promote(true, 30)");
	}

	public void pauseReplay() {
		execute("SELECT pg_wal_replay_pause()");
	}

	public void resumeReplay() {
		execute("SELECT pg_wal_replay_resume()");
	}

	private void execute(String sql) {
		try (var connection = TestDatabase.connect(url()); var statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (java.sql.SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() {
		stop();
	}

	private void run(String action) {
		try {
			Process process = new ProcessBuilder("bash", this.script.toString(), action, String.valueOf(this.port))
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
			if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
				throw new AssertionError("scripts/replica.sh " + action + " " + this.port + " failed");
			}
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static Path findScript() {
		String message = null;
		if (!"root".equals(System.getProperty("user.name"))) {
			message = "A scratch replica needs root (scripts/replica.sh runs the server as postgres)";
		}
		Path dir = Paths.get("").toAbsolutePath();
		while (message == null && dir != null && !Files.exists(dir.resolve("scripts/replica.sh"))) {
			dir = dir.getParent();
		}
		if (message == null && dir == null) {
			message = "scripts/replica.sh not found above " + new File("").getAbsolutePath();
		}
		if (message != null) {
			if ("true".equals(System.getenv("CI"))) {
				throw new AssertionError(message);
			}
			Assumptions.abort(message);
		}
		return dir.resolve("scripts/replica.sh");
	}

}
