package io.gdbpool.autoconfigure;

import java.time.Duration;

import io.gdbpool.routing.LoadBalance;

import org.springframework.util.unit.DataSize;

/**
 * How reads are spread over read pools, bound from {@code gdbpool.routing.*}.
 */
public class RoutingProperties {

	/**
	 * How a read pool is chosen among the healthy ones.
	 */
	private LoadBalance loadBalance = LoadBalance.ROUND_ROBIN;

	/**
	 * Replicas whose replay is further behind the primary than this are skipped (and
	 * health says lagging). 10s by default: longer than ordinary replication hiccups (a
	 * checkpoint, a burst of writes), short enough that a stalled replica stops serving
	 * stale reads within seconds. 0 turns the time limit off.
	 */
	private Duration maxReplicaLag = Duration.ofSeconds(10);

	/**
	 * Replicas whose replay is further behind the primary than this many WAL bytes are
	 * skipped. Unset: off.
	 */
	private DataSize maxReplicaLagBytes;

	/**
	 * Read-your-writes guarantee: none, or lsn (reads after a write only go to replicas
	 * that replayed its commit).
	 */
	private ReadYourWrites readYourWrites = ReadYourWrites.NONE;

	/**
	 * Whether reads go to the write pool when no read pool is healthy.
	 */
	private boolean fallbackToPrimary = true;

	/**
	 * How often replicas are checked for health and lag.
	 */
	private Duration checkInterval = Duration.ofSeconds(1);

	/**
	 * @return how a read pool is chosen among the healthy ones
	 */
	public LoadBalance getLoadBalance() {
		return this.loadBalance;
	}

	/**
	 * @param loadBalance how a read pool is chosen among the healthy ones
	 */
	public void setLoadBalance(LoadBalance loadBalance) {
		this.loadBalance = loadBalance;
	}

	/**
	 * @return the replay lag beyond which a replica is skipped; zero when off
	 */
	public Duration getMaxReplicaLag() {
		return this.maxReplicaLag;
	}

	/**
	 * @param maxReplicaLag the replay lag beyond which a replica is skipped; zero for off
	 */
	public void setMaxReplicaLag(Duration maxReplicaLag) {
		this.maxReplicaLag = maxReplicaLag;
	}

	/**
	 * @return the WAL bytes behind beyond which a replica is skipped, or {@code null}
	 * when off
	 */
	public DataSize getMaxReplicaLagBytes() {
		return this.maxReplicaLagBytes;
	}

	/**
	 * @param maxReplicaLagBytes the WAL bytes behind beyond which a replica is skipped,
	 * or {@code null} for off
	 */
	public void setMaxReplicaLagBytes(DataSize maxReplicaLagBytes) {
		this.maxReplicaLagBytes = maxReplicaLagBytes;
	}

	/**
	 * @return the read-your-writes guarantee
	 */
	public ReadYourWrites getReadYourWrites() {
		return this.readYourWrites;
	}

	/**
	 * @param readYourWrites the read-your-writes guarantee
	 */
	public void setReadYourWrites(ReadYourWrites readYourWrites) {
		this.readYourWrites = readYourWrites;
	}

	/**
	 * @return whether reads go to the write pool when no read pool is healthy
	 */
	public boolean isFallbackToPrimary() {
		return this.fallbackToPrimary;
	}

	/**
	 * @param fallbackToPrimary whether reads go to the write pool when no read pool is
	 * healthy
	 */
	public void setFallbackToPrimary(boolean fallbackToPrimary) {
		this.fallbackToPrimary = fallbackToPrimary;
	}

	/**
	 * @return how often replicas are checked for health and lag
	 */
	public Duration getCheckInterval() {
		return this.checkInterval;
	}

	/**
	 * @param checkInterval how often replicas are checked for health and lag
	 */
	public void setCheckInterval(Duration checkInterval) {
		this.checkInterval = checkInterval;
	}

	/**
	 * Read-your-writes modes.
	 */
	public enum ReadYourWrites {

		/** Reads may go to any healthy replica. */
		NONE,

		/**
		 * Reads after a write only go to replicas that replayed the write's commit LSN.
		 */
		LSN

	}

}
