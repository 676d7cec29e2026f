package io.gdbpool.transaction;

import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.DelegatingTransactionDefinition;

/**
 * A definition followed in everything but two things: it is read-only, and it may only
 * begin on a replica that replayed a given commit LSN (else on the write pool).
 */
public final class ReadAfterDefinition extends DelegatingTransactionDefinition implements ReplayFloor {

	/** The commit LSN a replica must have replayed. */
	private final long minLsn;

	/**
	 * @param definition the definition to follow in everything but the read-only flag
	 * @param minLsn the commit LSN a replica must have replayed
	 */
	public ReadAfterDefinition(TransactionDefinition definition, long minLsn) {
		super(definition);
		this.minLsn = minLsn;
	}

	@Override
	public long getMinLsn() {
		return this.minLsn;
	}

	@Override
	public boolean isReadOnly() {
		return true;
	}

}
