package io.gdbpool.notify;

import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.ApplicationEventPublisher;

/**
 * One channel's notifications on their way from the reader thread to the channel's handlers: a
 * bounded queue drained by at most one task at a time, so handlers see the channel's
 * notifications in delivery order while other channels are drained independently.
 * <p>
 * pgjdbc hands over everything that arrived without a pause as one array (tens of thousands of
 * notifications under a burst). The reader collects a read's notifications for this channel into
 * one chunk and queues the chunk: one lock-free offer per channel and read, not per notification,
 * and a drain task is handed to the executor only when the queue goes from empty to non-empty. The
 * drain task in turn pays one atomic update per run of notifications, so it keeps pace with the
 * reader.
 * <p>
 * When the handlers are behind, notifications are dropped and counted, never waited for. "Behind"
 * is judged once per read: a read is already in memory, so it is never split. A read that takes the
 * queue past {@code maxPending} is queued whole, and its part beyond {@code maxPending} (its
 * overshoot) is not held against the handlers while it is pending: handed over in one piece, it says
 * nothing about their pace. A channel whose pending notifications, less the undelivered overshoot,
 * are still {@code maxPending} or more when a read begins drops that read's notifications; otherwise
 * it queues them all. So handlers that deliver nothing still lose the next read after
 * {@code maxPending}, handlers working through one large read keep the reads that follow it as long
 * as they keep pace with them, and the queue holds fewer than {@code maxPending} plus two reads.
 */
final class ChannelQueue implements Runnable {

	private static final Log logger = LogFactory.getLog(ChannelQueue.class);

	/** Notifications one drain task delivers before giving its thread to other channels. */
	private static final int DRAIN_BATCH = 1024;

	private static final PgNotification[] NO_NOTIFICATIONS = new PgNotification[0];

	private static final Subscriber[] NO_SUBSCRIBERS = new Subscriber[0];

	private final String channel;

	private final ChannelCounters counters;

	private final int maxPending;

	private final Executor executor;

	private final ApplicationEventPublisher publisher;

	/** Whether anyone listens for {@link PgNotificationEvent}s: building and multicasting one per
	 * notification is the dearest part of delivery, so it is skipped when nobody would receive it. */
	private final BooleanSupplier notificationEvents;

	private final Object eventSource;

	private final ConcurrentLinkedQueue<Chunk> queue = new ConcurrentLinkedQueue<>();

	/** Queued and not yet delivered; the drain task owns the queue while this is above zero. */
	private final AtomicInteger pending = new AtomicInteger();

	/** Dropped and not yet reported in a PgNotificationsDroppedEvent. */
	private final AtomicLong unreportedDrops = new AtomicLong();

	/** Copied on write: subscribing is rare, delivering is not. */
	private volatile Subscriber[] subscribers = NO_SUBSCRIBERS;

	ChannelQueue(String channel, ChannelCounters counters, int maxPending, Executor executor,
			ApplicationEventPublisher publisher, BooleanSupplier notificationEvents, Object eventSource) {
		this.channel = channel;
		this.counters = counters;
		this.maxPending = maxPending;
		this.executor = executor;
		this.publisher = publisher;
		this.notificationEvents = notificationEvents;
		this.eventSource = eventSource;
	}

	String channel() {
		return this.channel;
	}

	// --- reader thread only ---

	/** The read being collected; -1 before the first. */
	private long read = -1;

	/** Whether the handlers were behind when the current read began. */
	private boolean behind;

	private PgNotification[] collected = NO_NOTIFICATIONS;

	private int collectedCount;

	private int readCount;

	/** Notifications queued so far; the sequence number of the next one. */
	private long queuedSeq;

	/** Sequence numbers [overshootStart, overshootEnd) are the overshoot of an oversize read. */
	private long overshootStart;

	private long overshootEnd;

	/** The undelivered overshoot when the current read began. */
	private long credit;

	// --- drain task only ---

	private Chunk draining;

	private int drainPosition;

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
			int pending = this.pending.get();
			// delivery is in queue order: everything below this sequence number was delivered
			long deliveredSeq = this.queuedSeq - pending;
			this.credit = Math.max(0, this.overshootEnd - Math.max(this.overshootStart, deliveredSeq));
			this.behind = pending - this.credit >= this.maxPending;
		}
		this.readCount++;
		if (!this.behind) {
			if (this.collectedCount == this.collected.length) {
				this.collected = Arrays.copyOf(this.collected, Math.max(16, this.collectedCount * 2));
			}
			this.collected[this.collectedCount++] = notification;
		}
		return first;
	}

	/**
	 * Queues what the current read collected, or counts it as dropped; called by the reader thread
	 * only, at the end of a read.
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
		this.queuedSeq += count;
		// what counted against the handlers before this read; they may have delivered some of the
		// credit since, which only understates the overshoot
		long held = before - this.credit;
		long overshoot = Math.min(count, Math.max(0, held + count - this.maxPending));
		if (overshoot > this.credit) {
			// one overshoot at a time, the larger: an earlier one's rest counts as plain pending again
			this.overshootStart = this.queuedSeq - overshoot;
			this.overshootEnd = this.queuedSeq;
		}
	}

	/**
	 * @return notifications queued and not yet delivered
	 */
	int pending() {
		return this.pending.get();
	}

	synchronized void add(Subscriber subscriber) {
		Subscriber[] current = this.subscribers;
		Subscriber[] added = Arrays.copyOf(current, current.length + 1);
		added[current.length] = subscriber;
		this.subscribers = added;
	}

	/**
	 * @param subscriber a subscriber
	 * @return whether no subscriber is left
	 */
	synchronized boolean remove(Subscriber subscriber) {
		Subscriber[] current = this.subscribers;
		for (int i = 0; i < current.length; i++) {
			if (current[i] == subscriber) {
				Subscriber[] removed = new Subscriber[current.length - 1];
				System.arraycopy(current, 0, removed, 0, i);
				System.arraycopy(current, i + 1, removed, i, current.length - i - 1);
				this.subscribers = removed;
				break;
			}
		}
		return this.subscribers.length == 0;
	}

	/**
	 * Delivers queued notifications; runs on the handler executor, one task per channel at a time.
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
			Chunk chunk = this.draining;
			int from = this.drainPosition;
			int to = Math.min(chunk.count(), from + budget);
			PgNotification[] notifications = chunk.notifications();
			for (int i = from; i < to; i++) {
				deliver(notifications[i]);
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
	 * Reports drops that no drain task is left to report, at shutdown.
	 */
	void reportDrops() {
		long dropped = this.unreportedDrops.getAndSet(0);
		if (dropped > 0) {
			logger.warn("Handlers of notification channel '" + this.channel + "' fell behind by more than "
					+ this.maxPending + " notifications; dropped " + dropped);
			publish(new PgNotificationsDroppedEvent(this.eventSource, this.channel, dropped));
		}
	}

	private void schedule() {
		try {
			this.executor.execute(this);
		}
		catch (RejectedExecutionException ex) {
			// only while shutting down: deliver on this thread rather than lose what was read
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

	private void deliver(PgNotification notification) {
		long start = System.nanoTime();
		for (Subscriber subscriber : this.subscribers) {
			try {
				subscriber.handler().accept(notification);
			}
			catch (Throwable ex) {
				failed(notification, subscriber.handler(), ex);
			}
		}
		if (this.publisher != null && this.notificationEvents.getAsBoolean()) {
			try {
				this.publisher.publishEvent(new PgNotificationEvent(this.eventSource, notification));
			}
			catch (Throwable ex) {
				failed(notification, "a PgNotificationEvent listener", ex);
			}
		}
		this.counters.handled.increment();
		this.counters.handlerNanos.add(System.nanoTime() - start);
	}

	private void failed(PgNotification notification, Object handler, Throwable ex) {
		this.counters.handlerFailures.increment();
		logger.error("Handler " + handler + " of notification channel '" + this.channel
				+ "' failed on a notification from pid " + notification.pid() + "; later notifications are still delivered",
				ex);
	}

	private void publish(Object event) {
		if (this.publisher != null) {
			try {
				this.publisher.publishEvent(event);
			}
			catch (Throwable ex) {
				logger.error("Listener of " + event + " failed", ex);
			}
		}
	}

	/**
	 * One read's notifications for this channel.
	 */
	private record Chunk(PgNotification[] notifications, int count) {

	}

	/**
	 * A handler subscribed to this channel; its identity tells subscriptions of the same handler
	 * apart.
	 */
	record Subscriber(Consumer<PgNotification> handler) {

		@Override
		public boolean equals(Object other) {
			return this == other;
		}

		@Override
		public int hashCode() {
			return System.identityHashCode(this);
		}

	}

}
