package io.gdbpool.autoconfigure;

import io.gdbpool.notify.PgListenerContainer;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of the LISTEN connection: UP while connected (or while no channel needs it yet),
 * DOWN with the downtime while it reconnects, since notifications sent meanwhile are
 * lost.
 */
class ListenerHealthIndicator extends AbstractHealthIndicator {

	private final PgListenerContainer listener;

	ListenerHealthIndicator(PgListenerContainer listener) {
		this.listener = listener;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		builder.withDetail("channels", this.listener.channels().size())
			.withDetail("reconnects", this.listener.getReconnects());
		if (this.listener.isConnected()) {
			builder.up();
		}
		else if (this.listener.isIdle()) {
			builder.up().withDetail("state", "no channel yet: not connected");
		}
		else if (!this.listener.isRunning()) {
			builder.outOfService().withDetail("state", "stopped");
		}
		else {
			builder.down()
				.withDetail("state", "reconnecting")
				.withDetail("downtime", this.listener.getDowntime().toString());
		}
	}

}
