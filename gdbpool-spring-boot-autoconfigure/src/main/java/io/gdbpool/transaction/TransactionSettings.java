package io.gdbpool.transaction;

import org.springframework.transaction.support.AbstractPlatformTransactionManager;

/**
 * Copies the settings every Spring transaction manager has, so a manager fixed to one
 * route behaves like the one it was derived from (Boot's {@code spring.transaction.*} and
 * the application's customizers included).
 */
final class TransactionSettings {

	private TransactionSettings() {
	}

	static void copy(AbstractPlatformTransactionManager from, AbstractPlatformTransactionManager to) {
		to.setTransactionSynchronization(from.getTransactionSynchronization());
		to.setDefaultTimeout(from.getDefaultTimeout());
		to.setNestedTransactionAllowed(from.isNestedTransactionAllowed());
		to.setValidateExistingTransaction(from.isValidateExistingTransaction());
		to.setGlobalRollbackOnParticipationFailure(from.isGlobalRollbackOnParticipationFailure());
		to.setFailEarlyOnGlobalRollbackOnly(from.isFailEarlyOnGlobalRollbackOnly());
		to.setRollbackOnCommitFailure(from.isRollbackOnCommitFailure());
		to.setTransactionExecutionListeners(from.getTransactionExecutionListeners());
	}

}
