package io.gdbpool;

import io.micrometer.observation.Observation;

/**
 * What an observation of a {@link GDBPoolTemplate} interaction or partial-transaction
 * step knows: which operation it is and on which view of the template it ran. The outcome
 * is the observation's error, if any ({@link #getError()}).
 */
public class GDBPoolInteractionContext extends Observation.Context {

	private final Operation operation;

	private final String route;

	private final String pool;

	private final boolean readOnly;

	/**
	 * @param operation the operation observed
	 * @param route the kind of view: {@code default}, {@code read}, {@code read-after} or
	 * {@code pool}
	 * @param pool the pool of an {@code onPool} view, {@code none} for other views
	 * @param readOnly whether the transaction is read-only
	 */
	public GDBPoolInteractionContext(Operation operation, String route, String pool, boolean readOnly) {
		this.operation = operation;
		this.route = route;
		this.pool = pool;
		this.readOnly = readOnly;
	}

	/**
	 * @return what was observed: an interaction, its asynchronous run, or a
	 * partial-transaction step or end
	 */
	public Operation getOperation() {
		return this.operation;
	}

	/**
	 * @return the kind of view: {@code default}, {@code read}, {@code read-after} (the
	 * LSN left out: it has no bound) or {@code pool}
	 */
	public String getRoute() {
		return this.route;
	}

	/**
	 * @return the pool of an {@code onPool} view, {@code none} for other views (their
	 * pool is chosen per connection)
	 */
	public String getPool() {
		return this.pool;
	}

	/**
	 * @return whether the interaction ran in a read-only transaction
	 */
	public boolean isReadOnly() {
		return this.readOnly;
	}

	/**
	 * The operations observed, each with the value of its {@code gdbpool.operation} key.
	 */
	public enum Operation {

		/** {@code execute(...)}. */
		EXECUTE("execute"),

		/** The worker's run of an {@code executeAsync(...)} interaction. */
		EXECUTE_ASYNC("execute-async"),

		/** {@code begin(firstStep)}: the partial transaction's first step. */
		PARTIAL_BEGIN("partial-begin"),

		/** {@code PartialTransaction.continueWith(step)}. */
		PARTIAL_CONTINUE("partial-continue"),

		/** {@code PartialTransaction.commitWith(step)}. */
		PARTIAL_COMMIT_WITH("partial-commit-with"),

		/** {@code PartialTransaction.commit()}. */
		PARTIAL_COMMIT("partial-commit"),

		/** {@code PartialTransaction.rollback()}. */
		PARTIAL_ROLLBACK("partial-rollback");

		private final String value;

		Operation(String value) {
			this.value = value;
		}

		/**
		 * @return the operation as its key value names it
		 */
		public String value() {
			return this.value;
		}

	}

}
