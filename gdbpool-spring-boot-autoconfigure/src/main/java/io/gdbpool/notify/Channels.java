package io.gdbpool.notify;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * The wanted channels, each with its {@link ChannelQueue}: those with subscribers, and
 * those the configuration names, which are kept without subscribers so their
 * notifications reach {@code @EventListener} methods. The reader makes the connection's
 * LISTENs match {@link #wanted()} and looks a queue up for every notification.
 * <p>
 * Changes take one lock, so a channel's first subscriber and its last cancel cannot
 * cross; reads take none. A channel's counters outlive its queue: statistics never go
 * backwards.
 */
final class Channels {

	private final PgListenerProperties properties;

	private final Executor executor;

	private final ListenerEvents events;

	private final NotificationObservations observations;

	private final ConcurrentHashMap<String, ChannelQueue> queues = new ConcurrentHashMap<>();

	private final ConcurrentHashMap<String, ChannelCounters> counters = new ConcurrentHashMap<>();

	/** Guarded by {@link #lock}. */
	private final Set<String> fixed = new HashSet<>();

	private final Object lock = new Object();

	/**
	 * @param properties where a new channel's {@code maxPending} comes from
	 * @param executor runs the drain tasks
	 * @param events publishes the notifications and drops
	 */
	Channels(PgListenerProperties properties, Executor executor, ListenerEvents events,
			NotificationObservations observations) {
		this.properties = properties;
		this.executor = executor;
		this.events = events;
		this.observations = observations;
	}

	/**
	 * Keeps channels wanted without subscribers.
	 * @param channels channel names
	 * @return whether any was not wanted before
	 * @throws IllegalArgumentException for a name PostgreSQL would reject or truncate
	 */
	boolean addFixed(Collection<String> channels) {
		boolean added = false;
		synchronized (this.lock) {
			for (String channel : channels) {
				ChannelNames.requireValid(channel);
				this.fixed.add(channel);
				added |= createIfAbsent(channel);
			}
		}
		return added;
	}

	/**
	 * @return whether the channel was not wanted before
	 */
	boolean subscribe(String channel, ChannelHandlers.Subscriber subscriber) {
		synchronized (this.lock) {
			boolean added = createIfAbsent(channel);
			Objects.requireNonNull(this.queues.get(channel)).handlers().add(subscriber);
			return added;
		}
	}

	/**
	 * @return whether the channel is no longer wanted: its last subscriber left and the
	 * configuration does not name it
	 */
	boolean unsubscribe(String channel, ChannelHandlers.Subscriber subscriber) {
		synchronized (this.lock) {
			ChannelQueue queue = this.queues.get(channel);
			if (queue != null && queue.handlers().remove(subscriber) && !this.fixed.contains(channel)) {
				this.queues.remove(channel);
				return true;
			}
			return false;
		}
	}

	/**
	 * Applies the properties' {@code maxPending} to every channel, from its next read on;
	 * new channels read it when they are made, under the same lock, so none keeps an old
	 * bound.
	 */
	void maxPendingChanged() {
		synchronized (this.lock) {
			int maxPending = this.properties.getMaxPending();
			this.queues.values().forEach((queue) -> queue.setMaxPending(maxPending));
		}
	}

	/**
	 * @return the queue of a wanted channel, {@code null} for another (the hot path: one
	 * look-up)
	 */
	@Nullable ChannelQueue queue(String channel) {
		return this.queues.get(channel);
	}

	/**
	 * @return the wanted channels now, a copy
	 */
	Set<String> wanted() {
		return new LinkedHashSet<>(this.queues.keySet());
	}

	boolean isEmpty() {
		return this.queues.isEmpty();
	}

	/**
	 * Waits until the handlers delivered everything queued.
	 * @return whether they did within the time
	 */
	boolean awaitDrained(long timeoutMillis) {
		long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
		while (this.queues.values().stream().anyMatch((queue) -> queue.pending() > 0)) {
			if (System.nanoTime() - deadline > 0) {
				return false;
			}
			try {
				Thread.sleep(5);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return true;
			}
		}
		return true;
	}

	/**
	 * Reports the drops no drain task is left to report, at shutdown.
	 */
	void reportDrops() {
		this.queues.values().forEach(ChannelQueue::reportDrops);
	}

	/**
	 * @return the channel's statistics, zeros for a channel never listened to
	 */
	ChannelStatistics statistics(String channel) {
		ChannelCounters channelCounters = this.counters.get(channel);
		return (channelCounters != null) ? channelCounters.snapshot(channel) : ChannelStatistics.none(channel);
	}

	/**
	 * @return the statistics of every channel that has counts, current or past
	 */
	List<ChannelStatistics> statistics() {
		List<ChannelStatistics> all = new ArrayList<>(this.counters.size());
		this.counters.forEach((channel, channelCounters) -> all.add(channelCounters.snapshot(channel)));
		return Collections.unmodifiableList(all);
	}

	// called holding the lock
	private boolean createIfAbsent(String channel) {
		if (this.queues.containsKey(channel)) {
			return false;
		}
		ChannelCounters channelCounters = this.counters.computeIfAbsent(channel, (key) -> new ChannelCounters());
		ChannelHandlers handlers = new ChannelHandlers(channel, channelCounters, this.events, this.observations);
		this.queues.put(channel, new ChannelQueue(channelCounters, new OverflowRule(this.properties.getMaxPending()),
				this.executor, handlers));
		return true;
	}

}
