package io.gdbpool.autoconfigure;

import io.gdbpool.transaction.PartialTransactions;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The open partial transactions: how many of the budget, how old the oldest is, how many
 * begins were refused for want of budget and how many were lost with their connection.
 * Always UP: abandoned ones expire by themselves; the figures are for people watching.
 */
class PartialTransactionsHealthIndicator extends AbstractHealthIndicator {

	private final PartialTransactions partialTransactions;

	PartialTransactionsHealthIndicator(PartialTransactions partialTransactions) {
		this.partialTransactions = partialTransactions;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		builder.up()
			.withDetail("open", this.partialTransactions.getOpenCount())
			.withDetail("maxOpen", this.partialTransactions.getMaxOpen())
			.withDetail("refused", this.partialTransactions.getRefused())
			.withDetail("lost", this.partialTransactions.getLost())
			.withDetail("oldestAge", this.partialTransactions.getOldestAge().toString())
			.withDetail("idleTimeout", this.partialTransactions.getIdleTimeout().toString());
	}

}
