package io.gdbpool.notify;

import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

/**
 * One channel's notifications on their way from the reader thread to the channel's
 * {@link ChannelHandlers}: a queue drained by at most one task at a time, so handlers see
 * the channel's notifications in delivery order while other channels are drained
 * independently.
 * <p>
 * pgjdbc hands over everything that arrived without a pause as one array (tens of
 * thousands of notifications under a burst). The reader collects a read's notifications
 * for this channel into one chunk and queues the chunk: one lock-free offer per channel
 * and read, not per notification, and a drain task is handed to the executor only when
 * the queue goes from empty to non-empty. The drain task in turn pays one atomic update
 * per run of notifications, so it keeps pace with the reader.
 * <p>
 * When the handlers are behind, a read's notifications are dropped and counted, never
 * waited for; the {@link OverflowRule} says when.
 */
final class ChannelQueue implements Runnable {

	/**
	 * Notifications one drain task delivers before giving its thread to other channels.
	 */
	private static final int DRAIN_BATCH = 1024;

	private static final PgNotification[] NO_NOTIFICATIONS = new PgNotification[0];

	private final ChannelCounters counters;

	private final OverflowRule overflow;

	private final Executor executor;

	private final ChannelHandlers handlers;

	private final ConcurrentLinkedQueue<Chunk> queue = new ConcurrentLinkedQueue<>();

	/**
	 * Queued and not yet delivered; the drain task owns the queue while this is above
	 * zero.
	 */
	private final AtomicInteger pending = new AtomicInteger();

	/** Dropped and not yet reported in a PgNotificationsDroppedEvent. */
	private final AtomicLong unreportedDrops = new AtomicLong();

	// --- reader thread only ---

	/** The read being collected; -1 before the first. */
	private long read = -1;

	/** Whether the current read is dropped. */
	private boolean dropping;

	private PgNotification[] collected = NO_NOTIFICATIONS;

	private int collectedCount;

	private int readCount;

	// --- drain task only ---

	private @Nullable Chunk draining;

	private int drainPosition;

	/**
	 * @param executor runs the drain task; read when a drain is due, so it may change
	 * between starts
	 */
	ChannelQueue(ChannelCounters counters, OverflowRule overflow, Executor executor, ChannelHandlers handlers) {
		this.counters = counters;
		this.overflow = overflow;
		this.executor = executor;
		this.handlers = handlers;
	}

	ChannelHandlers handlers() {
		return this.handlers;
	}

	/**
	 * @param maxPending the bound for this channel from its next read on
	 */
	void setMaxPending(int maxPending) {
		this.overflow.setMaxPending(maxPending);
	}

	/**
	 * Collects a notification of the current read; called by the reader thread only.
	 * @param notification a notification on this channel
	 * @param read the number of the driver read it came with
	 * @return whether it is this channel's first of the read, so {@link #flush()} is due
	 */
	boolean collect(PgNotification notification, long read) {
		boolean first = read != this.read;
		if (first) {
			this.read = read;
			this.dropping = this.overflow.dropsRead(this.pending.get());
		}
		this.readCount++;
		if (!this.dropping) {
			if (this.collectedCount == this.collected.length) {
				this.collected = Arrays.copyOf(this.collected, Math.max(16, this.collectedCount * 2));
			}
			this.collected[this.collectedCount++] = notification;
		}
		return first;
	}

	/**
	 * Queues what the current read collected, or counts it as dropped; called by the
	 * reader thread only, at the end of a read.
	 */
	void flush() {
		int count = this.collectedCount;
		this.counters.received.add(this.readCount);
		int dropped = this.readCount - count;
		if (dropped > 0) {
			this.counters.dropped.add(dropped);
			this.unreportedDrops.addAndGet(dropped);
		}
		this.readCount = 0;
		if (count == 0) {
			return;
		}
		// the chunk keeps the array: the next read collects into a new one
		this.queue.offer(new Chunk(this.collected, count));
		this.collected = NO_NOTIFICATIONS;
		this.collectedCount = 0;
		int before = this.pending.getAndAdd(count);
		if (before == 0) {
			schedule();
		}
		this.overflow.queued(before, count);
	}

	/**
	 * @return notifications queued and not yet delivered
	 */
	int pending() {
		return this.pending.get();
	}

	/**
	 * Delivers queued notifications; runs on the handler executor, one task per channel
	 * at a time.
	 */
	@Override
	public void run() {
		int budget = DRAIN_BATCH;
		while (true) {
			if (this.draining == null) {
				// pending is above zero, and a chunk is queued before it is counted
				this.draining = this.queue.poll();
				this.drainPosition = 0;
			}
			Chunk chunk = Objects.requireNonNull(this.draining);
			int from = this.drainPosition;
			int to = Math.min(chunk.count(), from + budget);
			PgNotification[] notifications = chunk.notifications();
			for (int i = from; i < to; i++) {
				this.handlers.deliver(notifications[i]);
			}
			if (to == chunk.count()) {
				this.draining = null;
			}
			else {
				this.drainPosition = to;
			}
			int delivered = to - from;
			if (this.pending.addAndGet(-delivered) == 0) {
				reportDrops();
				return;
			}
			budget -= delivered;
			if (budget == 0) {
				reportDrops();
				if (reschedule()) {
					return;
				}
				budget = DRAIN_BATCH;
			}
		}
	}

	/**
	 * Reports drops not reported yet; the drain task does after each run, and the
	 * container at shutdown for drops no drain task is left to report.
	 */
	void reportDrops() {
		long dropped = this.unreportedDrops.getAndSet(0);
		if (dropped > 0) {
			this.handlers.dropped(dropped, this.overflow.maxPending());
		}
	}

	private void schedule() {
		try {
			this.executor.execute(this);
		}
		catch (RejectedExecutionException ex) {
			// only while shutting down: deliver on this thread rather than lose what was
			// read
			run();
		}
	}

	private boolean reschedule() {
		try {
			this.executor.execute(this);
			return true;
		}
		catch (RejectedExecutionException ex) {
			return false;
		}
	}

	/**
	 * One read's notifications for this channel.
	 */
	private record Chunk(PgNotification[] notifications, int count) {

	}

}
