package io.gdbpool.notify;

/**
 * When a channel's handlers are too far behind, so that a read's notifications are
 * dropped rather than queued: the reader must never wait for handlers, or one slow
 * channel would stall them all.
 * <p>
 * "Behind" is judged once per driver read: a read is already in memory, so it is never
 * split. A read that takes the queue past {@code maxPending} is queued whole, and its
 * part beyond {@code maxPending} (its overshoot) is not held against the handlers while
 * it is pending: handed over in one piece, it says nothing about their pace. A channel
 * whose pending notifications, less the undelivered overshoot, are still
 * {@code maxPending} or more when a read begins drops that read; otherwise it queues it
 * all. So handlers that deliver nothing still lose the next read after
 * {@code maxPending}, handlers working through one large read keep the reads that follow
 * it as long as they keep pace with them, and the queue holds fewer than
 * {@code maxPending} plus two reads.
 * <p>
 * Knows nothing of threads or notifications: the reader thread alone calls
 * {@link #dropsRead} and {@link #queued}, with the queue's pending count (queued and not
 * yet delivered; delivery is in queue order). {@link #setMaxPending} may come from any
 * thread and counts from the next read.
 */
final class OverflowRule {

	private volatile int maxPending;

	/** {@code maxPending} as it was when the current read began. */
	private int bound;

	/** Notifications queued so far; the sequence number of the next one. */
	private long queuedSeq;

	/**
	 * Sequence numbers [overshootStart, overshootEnd) are the overshoot of an oversize
	 * read.
	 */
	private long overshootStart;

	private long overshootEnd;

	/** The undelivered overshoot when the current read began. */
	private long credit;

	OverflowRule(int maxPending) {
		this.maxPending = maxPending;
	}

	int maxPending() {
		return this.maxPending;
	}

	void setMaxPending(int maxPending) {
		this.maxPending = maxPending;
	}

	/**
	 * Judges a read as it begins.
	 * @param pending notifications queued and not yet delivered
	 * @return whether the handlers are behind, so the whole read is dropped
	 */
	boolean dropsRead(int pending) {
		this.bound = this.maxPending;
		// delivery is in queue order: everything below this sequence number was delivered
		long deliveredSeq = this.queuedSeq - pending;
		this.credit = Math.max(0, this.overshootEnd - Math.max(this.overshootStart, deliveredSeq));
		return pending - this.credit >= this.bound;
	}

	/**
	 * Records a read that {@link #dropsRead} let through, once it is queued.
	 * @param pendingBefore notifications pending just before it was queued
	 * @param count notifications it queued, at least one
	 */
	void queued(int pendingBefore, int count) {
		this.queuedSeq += count;
		// what counted against the handlers before this read; they may have delivered
		// some of the credit since, which only understates the overshoot
		long held = pendingBefore - this.credit;
		long overshoot = Math.min(count, Math.max(0, held + count - this.bound));
		if (overshoot > this.credit) {
			// one overshoot at a time, the larger: an earlier one's rest counts as plain
			// pending again
			this.overshootStart = this.queuedSeq - overshoot;
			this.overshootEnd = this.queuedSeq;
		}
	}

}
