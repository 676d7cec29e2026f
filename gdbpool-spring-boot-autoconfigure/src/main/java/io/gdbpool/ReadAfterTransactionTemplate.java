package io.gdbpool;

import io.gdbpool.transaction.ReplayFloor;
import io.gdbpool.transaction.RouteAwareTransactionManager;

import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Spring's {@link TransactionTemplate} for a {@code readAfter} view: read-only, and
 * beginning only on a replica that replayed the view's LSN. The template is itself the
 * definition the manager sees, so it carries the {@link ReplayFloor}.
 */
final class ReadAfterTransactionTemplate extends TransactionTemplate implements ReplayFloor {

	private final long minLsn;

	ReadAfterTransactionTemplate(RouteAwareTransactionManager transactionManager, TransactionDefinition definition,
			long minLsn) {
		super(transactionManager, definition);
		setReadOnly(true);
		this.minLsn = minLsn;
	}

	@Override
	public long getMinLsn() {
		return this.minLsn;
	}

}
