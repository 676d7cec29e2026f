package io.gdbpool.routing;

/**
 * The commit LSN of the current thread's last write transaction, for read-your-writes. A static
 * thread-local, like Spring's {@code TransactionSynchronizationManager}: it belongs to the thread,
 * not to one pool registry.
 */
public final class LastWriteLsn {

	private static final ThreadLocal<long[]> CURRENT = ThreadLocal.withInitial(() -> new long[] { Lsn.NONE });

	private LastWriteLsn() {
	}

	/**
	 * @return this thread's last commit LSN, or {@link Lsn#NONE}
	 */
	public static long get() {
		return CURRENT.get()[0];
	}

	/**
	 * Records a commit; positions only move forward.
	 * @param lsn the commit LSN
	 */
	public static void advance(long lsn) {
		long[] cell = CURRENT.get();
		if (lsn > cell[0]) {
			cell[0] = lsn;
		}
	}

	/**
	 * Sets this thread's position, e.g. to the one of the thread that handed it work.
	 * @param lsn a commit LSN or {@link Lsn#NONE}
	 */
	public static void set(long lsn) {
		CURRENT.get()[0] = lsn;
	}

	/** Forgets this thread's position. */
	public static void clear() {
		CURRENT.get()[0] = Lsn.NONE;
	}

}
