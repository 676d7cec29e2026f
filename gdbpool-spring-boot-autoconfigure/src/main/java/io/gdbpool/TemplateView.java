package io.gdbpool;

import io.gdbpool.routing.Lsn;
import io.gdbpool.routing.Pool;
import io.gdbpool.routing.Route;

/**
 * Which routes a template view takes: queries, updates and the kind of transaction its
 * interactions run. Views compose by deriving one of these from another.
 *
 * @param queryRoute where queries (and a read-only view's {@code jdbc()}) go
 * @param updateRoute where updates, notifications and a read-write view's {@code jdbc()}
 * go
 * @param readOnly whether interactions and partial transactions are read-only
 * transactions
 * @param minLsn for a {@code readAfter} view, the commit LSN reads wait for, else
 * {@link Lsn#NONE}
 * @param description how {@code toString()} names the view
 * @param observedRoute the kind of view, as observations name it: {@code default},
 * {@code read}, {@code read-after} or {@code pool}
 * @param observedPool the pool of a {@code pool} view, as observations name it;
 * {@code none} for the other views
 */
record TemplateView(Route queryRoute, Route updateRoute, boolean readOnly, long minLsn, String description,
		String observedRoute, String observedPool) {

	private static final String NO_POOL = "none";

	/**
	 * The template itself: reads on the read route, everything else on the write route.
	 */
	static final TemplateView DEFAULT = new TemplateView(Route.READ, Route.WRITE, false, Lsn.NONE, "default route",
			"default", NO_POOL);

	/** {@code readOnly()} of the template: the read route for all. */
	static final TemplateView READ = new TemplateView(Route.READ, Route.READ, true, Lsn.NONE, "read route", "read",
			NO_POOL);

	static TemplateView readAfter(long minLsn) {
		return new TemplateView(Route.readAfter(minLsn), Route.WRITE, true, minLsn,
				"read route after " + Lsn.format(minLsn), "read-after", NO_POOL);
	}

	static TemplateView pool(Pool pool, boolean readOnly) {
		Route route = Route.to(pool);
		boolean readOnlyTransactions = readOnly || !pool.isWrite();
		String description = "pool '" + pool.getName() + "'" + ((readOnly && pool.isWrite()) ? ", read-only" : "");
		return new TemplateView(route, route, readOnlyTransactions, Lsn.NONE, description, "pool", pool.getName());
	}

	boolean isOnePool() {
		return this.queryRoute.kind() == Route.Kind.POOL;
	}

	boolean isReadAfter() {
		return this.minLsn != Lsn.NONE;
	}

}
