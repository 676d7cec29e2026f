package io.gdbpool.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.zaxxer.hikari.HikariConfig;

import io.gdbpool.routing.LoadBalance;
import io.gdbpool.routing.PoolRole;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of gDBPool, bound from {@code gdbpool.*}.
 */
@ConfigurationProperties(prefix = GDBPoolProperties.PREFIX)
public class GDBPoolProperties {

	public static final String PREFIX = "gdbpool";

	/**
	 * Named connection pools, each a HikariCP pool with a role. When empty, one write
	 * pool named "default" is built from spring.datasource.* (or a JdbcConnectionDetails
	 * bean).
	 */
	private Map<String, Pool> pools = new LinkedHashMap<>();

	/**
	 * Name of the write pool used for the write route. Optional when exactly one pool has
	 * role write.
	 */
	private String defaultWritePool;

	@NestedConfigurationProperty
	private final Routing routing = new Routing();

	@NestedConfigurationProperty
	private final Listener listener = new Listener();

	@NestedConfigurationProperty
	private final PartialTransactions partialTransactions = new PartialTransactions();

	public Map<String, Pool> getPools() {
		return this.pools;
	}

	public void setPools(Map<String, Pool> pools) {
		this.pools = pools;
	}

	public String getDefaultWritePool() {
		return this.defaultWritePool;
	}

	public void setDefaultWritePool(String defaultWritePool) {
		this.defaultWritePool = defaultWritePool;
	}

	public Routing getRouting() {
		return this.routing;
	}

	public Listener getListener() {
		return this.listener;
	}

	public PartialTransactions getPartialTransactions() {
		return this.partialTransactions;
	}

	/**
	 * One named pool.
	 */
	public static class Pool {

		/**
		 * HikariCP's connection-timeout of a read pool unless set: a read waits at most
		 * this for a replica's connection before it is tried elsewhere (the primary at
		 * the latest).
		 */
		public static final Duration READ_POOL_CONNECTION_TIMEOUT = Duration.ofSeconds(1);

		/**
		 * HikariCP's connection-timeout of a write pool unless set (HikariCP's own is 30
		 * s): how long a write waits for a connection before it fails, e.g. in the second
		 * between the primary dying and the monitor noticing; once noticed, writes fail
		 * at once.
		 */
		public static final Duration WRITE_POOL_CONNECTION_TIMEOUT = Duration.ofSeconds(5);

		/**
		 * JDBC url of the server, jdbc:postgresql://host:port/database.
		 */
		private String url;

		/**
		 * Login user name.
		 */
		private String username;

		/**
		 * Login password.
		 */
		private String password;

		/**
		 * Role of the pool: write (a primary) or read (a replica).
		 */
		private PoolRole role = PoolRole.WRITE;

		/**
		 * Whether the url goes through PgBouncer in transaction pooling mode. When true,
		 * the pool's connections get prepareThreshold=0 (no server-side prepared
		 * statements; this replaces any prepareThreshold in its data-source-properties);
		 * and when it is the listener's pool and no listener url is set, the LISTEN
		 * connection refuses to open (start-up fails when there are channels to listen
		 * to, else the first subscription does). Unset is the same as false: nothing is
		 * detected for the pool (only the LISTEN connection, when it opens, checks that
		 * notifications reach it, and fails if they do not).
		 */
		private Boolean pgbouncer;

		/**
		 * HikariCP settings for this pool (any HikariConfig property, relaxed binding).
		 */
		private final HikariConfig hikari = new HikariConfig();

		public String getUrl() {
			return this.url;
		}

		public void setUrl(String url) {
			this.url = url;
		}

		public String getUsername() {
			return this.username;
		}

		public void setUsername(String username) {
			this.username = username;
		}

		public String getPassword() {
			return this.password;
		}

		public void setPassword(String password) {
			this.password = password;
		}

		public PoolRole getRole() {
			return this.role;
		}

		public void setRole(PoolRole role) {
			this.role = role;
		}

		public Boolean getPgbouncer() {
			return this.pgbouncer;
		}

		public void setPgbouncer(Boolean pgbouncer) {
			this.pgbouncer = pgbouncer;
		}

		public HikariConfig getHikari() {
			return this.hikari;
		}

		@Override
		public String toString() {
			// never the password
			return "Pool[url=" + this.url + ", username=" + this.username + ", role=" + this.role + "]";
		}

	}

	/**
	 * How reads are spread over read pools.
	 */
	public static class Routing {

		/**
		 * How a read pool is chosen among the healthy ones.
		 */
		private LoadBalance loadBalance = LoadBalance.ROUND_ROBIN;

		/**
		 * Replicas whose replay is further behind the primary than this are skipped (and
		 * health says lagging). 10s by default: longer than ordinary replication hiccups
		 * (a checkpoint, a burst of writes), short enough that a stalled replica stops
		 * serving stale reads within seconds. 0 turns the time limit off.
		 */
		private Duration maxReplicaLag = Duration.ofSeconds(10);

		/**
		 * Replicas whose replay is further behind the primary than this many WAL bytes
		 * are skipped. Unset: off.
		 */
		private DataSize maxReplicaLagBytes;

		/**
		 * Read-your-writes guarantee: none, or lsn (reads after a write only go to
		 * replicas that replayed its commit).
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

		public LoadBalance getLoadBalance() {
			return this.loadBalance;
		}

		public void setLoadBalance(LoadBalance loadBalance) {
			this.loadBalance = loadBalance;
		}

		public Duration getMaxReplicaLag() {
			return this.maxReplicaLag;
		}

		public void setMaxReplicaLag(Duration maxReplicaLag) {
			this.maxReplicaLag = maxReplicaLag;
		}

		public DataSize getMaxReplicaLagBytes() {
			return this.maxReplicaLagBytes;
		}

		public void setMaxReplicaLagBytes(DataSize maxReplicaLagBytes) {
			this.maxReplicaLagBytes = maxReplicaLagBytes;
		}

		public ReadYourWrites getReadYourWrites() {
			return this.readYourWrites;
		}

		public void setReadYourWrites(ReadYourWrites readYourWrites) {
			this.readYourWrites = readYourWrites;
		}

		public boolean isFallbackToPrimary() {
			return this.fallbackToPrimary;
		}

		public void setFallbackToPrimary(boolean fallbackToPrimary) {
			this.fallbackToPrimary = fallbackToPrimary;
		}

		public Duration getCheckInterval() {
			return this.checkInterval;
		}

		public void setCheckInterval(Duration checkInterval) {
			this.checkInterval = checkInterval;
		}

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

	/**
	 * The LISTEN connection. Its timing and queueing settings, their defaults and
	 * descriptions are the listener's own {@link io.gdbpool.notify.PgListenerProperties}.
	 */
	public static class Listener extends io.gdbpool.notify.PgListenerProperties {

		/**
		 * Pool whose url and credentials the LISTEN connection uses. Defaults to the
		 * default write pool.
		 */
		private String pool;

		/**
		 * JDBC url overriding the pool's, e.g. to reach the server directly past
		 * PgBouncer.
		 */
		private String url;

		/**
		 * Channels to LISTEN on besides those of @PgListen methods.
		 */
		private List<String> channels = new ArrayList<>();

		public String getPool() {
			return this.pool;
		}

		public void setPool(String pool) {
			this.pool = pool;
		}

		public String getUrl() {
			return this.url;
		}

		public void setUrl(String url) {
			this.url = url;
		}

		public List<String> getChannels() {
			return this.channels;
		}

		public void setChannels(List<String> channels) {
			this.channels = channels;
		}

	}

	/**
	 * Partial transactions.
	 */
	public static class PartialTransactions {

		/**
		 * A suspended partial transaction idle longer than this is rolled back and its
		 * connection returned to the pool.
		 */
		private Duration idleTimeout = Duration.ofSeconds(30);

		/**
		 * Whether each partial transaction also sets PostgreSQL's
		 * idle_in_transaction_session_timeout a little above the idle timeout, so the
		 * server ends it even if this process dies. Costs one round trip per partial
		 * transaction.
		 */
		private boolean serverBackstop = true;

		/**
		 * How many partial transactions may be open at once; each holds a connection of
		 * its pool. Default: half the default write pool's maximum-pool-size (at least
		 * 1), so partial transactions never take every connection that ordinary work
		 * needs.
		 */
		private Integer maxOpen;

		/**
		 * How long begin waits for an open partial transaction to end when max-open are
		 * open, before it fails with PartialTransactionLimitException. 0 fails at once.
		 */
		private Duration beginWait = Duration.ZERO;

		public Integer getMaxOpen() {
			return this.maxOpen;
		}

		public void setMaxOpen(Integer maxOpen) {
			this.maxOpen = maxOpen;
		}

		public Duration getBeginWait() {
			return this.beginWait;
		}

		public void setBeginWait(Duration beginWait) {
			this.beginWait = beginWait;
		}

		public Duration getIdleTimeout() {
			return this.idleTimeout;
		}

		public void setIdleTimeout(Duration idleTimeout) {
			this.idleTimeout = idleTimeout;
		}

		public boolean isServerBackstop() {
			return this.serverBackstop;
		}

		public void setServerBackstop(boolean serverBackstop) {
			this.serverBackstop = serverBackstop;
		}

	}

}
