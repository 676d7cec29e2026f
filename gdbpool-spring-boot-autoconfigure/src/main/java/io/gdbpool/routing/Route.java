package io.gdbpool.routing;

import org.jspecify.annotations.Nullable;

/**
 * Where a connection should come from: the write route, the read route (optionally only
 * replicas that replayed a given LSN), or one named pool. Immutable; the common routes
 * are constants so choosing one allocates nothing.
 */
public final class Route {

	/** The kind of route. */
	public enum Kind {

		/** The default write pool. */
		WRITE,

		/** A healthy read pool, else (with fallback) the write pool. */
		READ,

		/** One named pool, whatever its role. */
		POOL

	}

	/** The write route. */
	public static final Route WRITE = new Route(Kind.WRITE, null, Lsn.NONE);

	/** The read route. */
	public static final Route READ = new Route(Kind.READ, null, Lsn.NONE);

	private final Kind kind;

	private final @Nullable Pool pool;

	private final long minLsn;

	private Route(Kind kind, @Nullable Pool pool, long minLsn) {
		this.kind = kind;
		this.pool = pool;
		this.minLsn = minLsn;
	}

	/**
	 * @param pool a pool
	 * @return the route to exactly that pool
	 */
	public static Route to(Pool pool) {
		return new Route(Kind.POOL, pool, Lsn.NONE);
	}

	/**
	 * @param lsn a commit LSN
	 * @return the read route limited to replicas that replayed {@code lsn}
	 */
	public static Route readAfter(long lsn) {
		return new Route(Kind.READ, null, lsn);
	}

	/**
	 * @return whether it is the read or the write route
	 */
	public Kind kind() {
		return this.kind;
	}

	/**
	 * @return the one pool it is pinned to, or {@code null} when the route chooses
	 */
	public @Nullable Pool pool() {
		return this.pool;
	}

	/**
	 * @return the commit LSN a replica must have replayed to serve it; negative when any
	 * may
	 */
	public long minLsn() {
		return this.minLsn;
	}

	/**
	 * @return true for the read route
	 */
	public boolean isRead() {
		return this.kind == Kind.READ;
	}

	@Override
	public String toString() {
		return switch (this.kind) {
			case WRITE -> "write route";
			case READ -> (this.minLsn < 0) ? "read route" : "read route after " + Lsn.format(this.minLsn);
			case POOL -> "pool '" + this.pool.getName() + "'";
		};
	}

}
