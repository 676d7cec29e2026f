package io.gdbpool.autoconfigure;

import com.zaxxer.hikari.HikariPoolMXBean;

import io.gdbpool.routing.Lsn;
import io.gdbpool.routing.Pool;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of one pool, from what the pool monitor last saw, without a query of its own, so
 * it answers at once whatever the servers do. A write pool is UP while its server answers
 * the monitor's checks as a primary. A read pool is UP while in rotation (lag goes in the
 * details: a lagging replica is skipped, not an outage), and while out of rotation too if
 * reads fall back to the primary; DOWN only when reads then have nowhere to go. The url
 * shown carries no credentials.
 */
class PoolHealthIndicator extends AbstractHealthIndicator {

	private final Pool pool;

	private final boolean fallbackToPrimary;

	PoolHealthIndicator(Pool pool, boolean fallbackToPrimary) {
		super("Pool health check failed");
		this.pool = pool;
		this.fallbackToPrimary = fallbackToPrimary;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) throws Exception {
		builder.withDetail("role", this.pool.getRole().name().toLowerCase()).withDetail("url", this.pool.getUrl());
		HikariPoolMXBean hikari = this.pool.getDataSource().getHikariPoolMXBean();
		if (hikari != null) {
			builder.withDetail("activeConnections", hikari.getActiveConnections())
				.withDetail("idleConnections", hikari.getIdleConnections())
				.withDetail("threadsAwaitingConnection", hikari.getThreadsAwaitingConnection());
		}
		if (this.pool.isWrite()) {
			writePoolHealth(builder);
		}
		else {
			readPoolHealth(builder);
		}
	}

	private void writePoolHealth(Health.Builder builder) {
		// what the monitor's last check found (each check has its own short timeouts): a
		// health call never waits for a dead server or a busy pool
		if (!this.pool.isAnswering()) {
			builder.down()
				.withDetail("error", String.valueOf(this.pool.getSilentBecause()))
				.withDetail("silentSince", String.valueOf(this.pool.getSilentSince()));
			return;
		}
		if (this.pool.isStandby()) {
			builder.down()
				.withDetail("standby", true)
				.withDetail("error", "the server is a standby: writes are refused");
			return;
		}
		builder.up().withDetail("writesRouted", this.pool.getWritesRouted());
	}

	private void readPoolHealth(Health.Builder builder) {
		builder.withDetail("inRotation", this.pool.isInRotation())
			.withDetail("lagging", this.pool.isLagging())
			.withDetail("standby", this.pool.isStandby())
			.withDetail("readsRouted", this.pool.getReadsRouted())
			.withDetail("ejections", this.pool.getEjections());
		if (this.pool.getLagMillis() >= 0) {
			builder.withDetail("lagMillis", this.pool.getLagMillis());
		}
		if (this.pool.getLagBytes() >= 0) {
			builder.withDetail("lagBytes", this.pool.getLagBytes());
		}
		if (this.pool.getReplayLsn() >= 0 && this.pool.getReplayLsn() != Long.MAX_VALUE) {
			builder.withDetail("replayLsn", Lsn.format(this.pool.getReplayLsn()));
		}
		if (this.pool.isInRotation()) {
			builder.up();
			return;
		}
		builder.withDetail("error", String.valueOf(this.pool.getLastError()));
		if (this.fallbackToPrimary) {
			builder.up().withDetail("state", "out of rotation; reads fall back to the write pool");
		}
		else {
			builder.down().withDetail("state", "out of rotation");
		}
	}

}
