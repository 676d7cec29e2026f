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

	/** The prefix of every gDBPool property. */
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

	@NestedConfigurationProperty
	private final Observations observations = new Observations();

	/**
	 * @return the named pools
	 */
	public Map<String, Pool> getPools() {
		return this.pools;
	}

	/**
	 * @param pools the named pools
	 */
	public void setPools(Map<String, Pool> pools) {
		this.pools = pools;
	}

	/**
	 * @return the name of the write route's pool, or {@code null} to take the only write
	 * pool
	 */
	public String getDefaultWritePool() {
		return this.defaultWritePool;
	}

	/**
	 * @param defaultWritePool the name of the write route's pool
	 */
	public void setDefaultWritePool(String defaultWritePool) {
		this.defaultWritePool = defaultWritePool;
	}

	/**
	 * @return how reads are spread over read pools
	 */
	public Routing getRouting() {
		return this.routing;
	}

	/**
	 * @return the LISTEN connection's settings
	 */
	public Listener getListener() {
		return this.listener;
	}

	/**
	 * @return the partial transactions' settings
	 */
	public PartialTransactions getPartialTransactions() {
		return this.partialTransactions;
	}

	/**
	 * @return the observations' settings
	 */
	public Observations getObservations() {
		return this.observations;
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

		/**
		 * @return the JDBC url of the server
		 */
		public String getUrl() {
			return this.url;
		}

		/**
		 * @param url the JDBC url of the server
		 */
		public void setUrl(String url) {
			this.url = url;
		}

		/**
		 * @return the login user name
		 */
		public String getUsername() {
			return this.username;
		}

		/**
		 * @param username the login user name
		 */
		public void setUsername(String username) {
			this.username = username;
		}

		/**
		 * @return the login password
		 */
		public String getPassword() {
			return this.password;
		}

		/**
		 * @param password the login password
		 */
		public void setPassword(String password) {
			this.password = password;
		}

		/**
		 * @return whether it is a write or a read pool
		 */
		public PoolRole getRole() {
			return this.role;
		}

		/**
		 * @param role whether it is a write or a read pool
		 */
		public void setRole(PoolRole role) {
			this.role = role;
		}

		/**
		 * @return whether the url goes through PgBouncer in transaction mode;
		 * {@code null} when not said
		 */
		public Boolean getPgbouncer() {
			return this.pgbouncer;
		}

		/**
		 * @param pgbouncer whether the url goes through PgBouncer in transaction mode
		 */
		public void setPgbouncer(Boolean pgbouncer) {
			this.pgbouncer = pgbouncer;
		}

		/**
		 * @return the pool's HikariCP settings
		 */
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
		 * @param maxReplicaLag the replay lag beyond which a replica is skipped; zero for
		 * off
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
		 * @param maxReplicaLagBytes the WAL bytes behind beyond which a replica is
		 * skipped, or {@code null} for off
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
		 * @param fallbackToPrimary whether reads go to the write pool when no read pool
		 * is healthy
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

		/**
		 * @return the pool whose url and credentials the LISTEN connection uses, or
		 * {@code null} for the default write pool
		 */
		public String getPool() {
			return this.pool;
		}

		/**
		 * @param pool the pool whose url and credentials the LISTEN connection uses
		 */
		public void setPool(String pool) {
			this.pool = pool;
		}

		/**
		 * @return the JDBC url of the server
		 */
		public String getUrl() {
			return this.url;
		}

		/**
		 * @param url the JDBC url of the server
		 */
		public void setUrl(String url) {
			this.url = url;
		}

		/**
		 * @return channels to LISTEN on besides those of {@code @PgListen} methods
		 */
		public List<String> getChannels() {
			return this.channels;
		}

		/**
		 * @param channels channels to LISTEN on besides those of {@code @PgListen}
		 * methods
		 */
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

		/**
		 * @return how many partial transactions may be open at once, or {@code null} for
		 * the default
		 */
		public Integer getMaxOpen() {
			return this.maxOpen;
		}

		/**
		 * @param maxOpen how many partial transactions may be open at once
		 */
		public void setMaxOpen(Integer maxOpen) {
			this.maxOpen = maxOpen;
		}

		/**
		 * @return how long begin waits for a place when max-open are open
		 */
		public Duration getBeginWait() {
			return this.beginWait;
		}

		/**
		 * @param beginWait how long begin waits for a place when max-open are open
		 */
		public void setBeginWait(Duration beginWait) {
			this.beginWait = beginWait;
		}

		/**
		 * @return how long a suspended partial transaction may stay idle
		 */
		public Duration getIdleTimeout() {
			return this.idleTimeout;
		}

		/**
		 * @param idleTimeout how long a suspended partial transaction may stay idle
		 */
		public void setIdleTimeout(Duration idleTimeout) {
			this.idleTimeout = idleTimeout;
		}

		/**
		 * @return whether the server ends an abandoned partial transaction too
		 */
		public boolean isServerBackstop() {
			return this.serverBackstop;
		}

		/**
		 * @param serverBackstop whether the server ends an abandoned partial transaction
		 * too
		 */
		public void setServerBackstop(boolean serverBackstop) {
			this.serverBackstop = serverBackstop;
		}

	}

	/**
	 * Observations (Micrometer Observation API) of interactions, partial-transaction
	 * steps and notification handling.
	 */
	public static class Observations {

		/**
		 * Whether interactions, partial-transaction steps and notification handling are
		 * observed when an ObservationRegistry is present. Boot's
		 * management.observations.enable.gdbpool switches them off as well.
		 */
		private boolean enabled = true;

		/**
		 * @return whether gDBPool's observations are made
		 */
		public boolean isEnabled() {
			return this.enabled;
		}

		/**
		 * @param enabled whether gDBPool's observations are made
		 */
		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

}
