package io.gdbpool.autoconfigure;

import java.time.Duration;

import com.zaxxer.hikari.HikariConfig;

import io.gdbpool.routing.PoolRole;

/**
 * One named pool, bound from {@code gdbpool.pools.<name>.*}.
 */
public class PoolProperties {

	/**
	 * HikariCP's connection-timeout of a read pool unless set: a read waits at most this
	 * for a replica's connection before it is tried elsewhere (the primary at the
	 * latest).
	 */
	public static final Duration READ_POOL_CONNECTION_TIMEOUT = Duration.ofSeconds(1);

	/**
	 * HikariCP's connection-timeout of a write pool unless set (HikariCP's own is 30 s):
	 * how long a write waits for a connection before it fails, e.g. in the second between
	 * the primary dying and the monitor noticing; once noticed, writes fail at once.
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
	 * Whether the url goes through PgBouncer in transaction pooling mode. When true, the
	 * pool's connections get prepareThreshold=0 (no server-side prepared statements; this
	 * replaces any prepareThreshold in its data-source-properties); and when it is the
	 * listener's pool and no listener url is set, the LISTEN connection refuses to open
	 * (start-up fails when there are channels to listen to, else the first subscription
	 * does). Unset is the same as false: nothing is detected for the pool (only the
	 * LISTEN connection, when it opens, checks that notifications reach it, and fails if
	 * they do not).
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
	 * @return whether the url goes through PgBouncer in transaction mode; {@code null}
	 * when not said
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
