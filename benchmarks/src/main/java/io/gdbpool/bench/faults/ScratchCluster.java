package io.gdbpool.bench.faults;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The scratch servers of a run: one scratch primary (a base backup of the shared server,
 * promoted, so nothing the scenarios do touches the shared database) and streaming
 * replicas of it. A fault that destroys the primary (stop, kill) is repaired with a fresh
 * one on the same port; replicas of the old one are then rebuilt the next time a scenario
 * asks for them, while servers that no fault destroyed are reused across scenarios (each
 * base backup costs a few seconds).
 */
final class ScratchCluster implements AutoCloseable {

	private final ScratchServer primary;

	private final int sourcePort;

	private final Map<Integer, ScratchServer> replicas = new LinkedHashMap<>();

	/**
	 * Which primary each replica streams from: replicas of a replaced primary are
	 * rebuilt.
	 */
	private final Map<Integer, Integer> replicaOf = new LinkedHashMap<>();

	/**
	 * Counts scratch primaries built: a new one is a new system (new timeline, new LSNs).
	 */
	private int generation;

	private boolean primaryTouched;

	ScratchCluster(int sourcePort, int primaryPort) {
		this.sourcePort = sourcePort;
		this.primary = new ScratchServer(primaryPort, sourcePort);
	}

	/** The scratch primary, built first if no primary runs. */
	ScratchServer primary() {
		if (!this.primary.isRunning()) {
			rebuildPrimary();
		}
		return this.primary;
	}

	/**
	 * A fresh scratch primary on the same port: base backup of the shared server,
	 * promotion, the harness's tables. Returns when it takes writes and the tables exist.
	 */
	void rebuildPrimary() {
		if (!this.primaryTouched) {
			// a run that crashed may have left a server on the port: start from nothing
			this.primary.stopQuietly();
			this.primaryTouched = true;
		}
		long start = System.nanoTime();
		this.primary.start();
		this.primary.promote();
		FaultSchema.create(this.primary.port);
		this.generation++;
		Progress.line(String.format("  scratch primary on %d ready in %.1f s (base backup of %d, promoted)",
				this.primary.port, Millis.since(start) / 1000, this.sourcePort));
	}

	/** A running streaming replica of the current scratch primary on {@code port}. */
	ScratchServer replica(int port) {
		primary();
		ScratchServer replica = this.replicas.computeIfAbsent(port, (p) -> new ScratchServer(p, this.primary.port));
		Integer of = this.replicaOf.get(port);
		if (of == null || of != this.generation || !replica.isRunning()) {
			// a standby of a replaced primary would still say "running": replace it
			// explicitly
			replica.stopQuietly();
			startReplica(replica);
		}
		return replica;
	}

	/**
	 * Starts a replica again after a fault stopped or killed it (a fresh base backup of
	 * the primary).
	 */
	void restartReplica(ScratchServer replica) {
		startReplica(replica);
	}

	private void startReplica(ScratchServer replica) {
		long start = System.nanoTime();
		replica.start();
		this.replicaOf.put(replica.port, this.generation);
		Progress.line(String.format("  scratch replica on %d ready in %.1f s (base backup of %d)", replica.port,
				Millis.since(start) / 1000, this.primary.port));
	}

	/** Whether the replica has replayed everything the primary wrote so far. */
	boolean caughtUp(ScratchServer replica) {
		try {
			String primaryLsn = Sql.scalar(this.primary.port, "SELECT pg_current_wal_lsn()::text");
			String behind = Sql.scalar(replica.port,
					"SELECT pg_wal_lsn_diff('" + primaryLsn + "'::pg_lsn, pg_last_wal_replay_lsn()) > 0");
			return "f".equals(behind);
		}
		catch (SQLException ex) {
			return false;
		}
	}

	@Override
	public void close() {
		for (ScratchServer replica : this.replicas.values()) {
			replica.stopQuietly();
		}
		if (this.primaryTouched) {
			this.primary.stopQuietly();
		}
		Progress.line("Stopped every scratch server (" + this.primary.port
				+ (this.replicas.isEmpty() ? "" : ", " + this.replicas.keySet()) + ")");
	}

}
