package io.gdbpool;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations of {@link GDBPoolTemplate}: one per {@code execute}, per
 * {@code executeAsync} interaction (on the worker, a child of the caller's observation)
 * and per partial-transaction step. Plain SQL ({@code queryForList}, {@code query},
 * {@code update}) is not observed.
 */
public enum GDBPoolObservation implements ObservationDocumentation {

	/**
	 * An interaction or a partial-transaction step; {@code gdbpool.operation} tells
	 * which.
	 */
	INTERACTION {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultGDBPoolInteractionObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return InteractionKeys.values();
		}

	};

	/** The name of {@link #INTERACTION} observations. */
	public static final String INTERACTION_NAME = "gdbpool.interaction";

	/**
	 * The low-cardinality keys of {@link #INTERACTION}.
	 */
	public enum InteractionKeys implements KeyName {

		/**
		 * {@code execute}, {@code execute-async}, {@code partial-begin},
		 * {@code partial-continue}, {@code partial-commit-with}, {@code partial-commit}
		 * or {@code partial-rollback}.
		 */
		OPERATION {
			@Override
			public String asString() {
				return "gdbpool.operation";
			}
		},

		/**
		 * The template's view: {@code default}, {@code read} ({@code readOnly()}),
		 * {@code read-after} ({@code readAfter(lsn)}, the LSN left out) or {@code pool}
		 * ({@code onPool(name)}).
		 */
		ROUTE {
			@Override
			public String asString() {
				return "gdbpool.route";
			}
		},

		/** The pool of an {@code onPool} view; {@code none} for the other views. */
		POOL {
			@Override
			public String asString() {
				return "gdbpool.pool";
			}
		},

		/** {@code true} for a read-only transaction. */
		READ_ONLY {
			@Override
			public String asString() {
				return "gdbpool.read-only";
			}
		},

		/** {@code success} or {@code error}. */
		OUTCOME {
			@Override
			public String asString() {
				return "outcome";
			}
		},

		/**
		 * The simple class name of the exception that reached the caller, {@code none}.
		 */
		EXCEPTION {
			@Override
			public String asString() {
				return "exception";
			}
		}

	}

}
