package io.gdbpool.notify;

import java.util.concurrent.atomic.LongAdder;

/**
 * What happened on one channel since start-up; kept when the channel's last subscriber
 * leaves, so counts never go backwards. Written on the hot path (adders, no lock), read
 * as a {@link ChannelStatistics} snapshot.
 */
final class ChannelCounters {

	final LongAdder received = new LongAdder();

	final LongAdder handlerFailures = new LongAdder();

	final LongAdder dropped = new LongAdder();

	/** Notifications handed to the handlers (and published as events). */
	final LongAdder handled = new LongAdder();

	/** Time spent in handlers and event listeners, in nanoseconds. */
	final LongAdder handlerNanos = new LongAdder();

	ChannelStatistics snapshot(String channel) {
		return new ChannelStatistics(channel, this.received.sum(), this.handled.sum(), this.handlerFailures.sum(),
				this.dropped.sum(), this.handlerNanos.sum());
	}

}
