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
	private Map<String, PoolProperties> pools = new LinkedHashMap<>();

	/**
	 * Name of the write pool used for the write route. Optional when exactly one pool has
	 * role write.
	 */
	private String defaultWritePool;

	@NestedConfigurationProperty
	private final RoutingProperties routing = new RoutingProperties();

	@NestedConfigurationProperty
	private final Listener listener = new Listener();

	@NestedConfigurationProperty
	private final PartialTransactions partialTransactions = new PartialTransactions();

	@NestedConfigurationProperty
	private final Observations observations = new Observations();

	/**
	 * @return the named pools
	 */
	public Map<String, PoolProperties> getPools() {
		return this.pools;
	}

	/**
	 * @param pools the named pools
	 */
	public void setPools(Map<String, PoolProperties> pools) {
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
	public RoutingProperties getRouting() {
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
