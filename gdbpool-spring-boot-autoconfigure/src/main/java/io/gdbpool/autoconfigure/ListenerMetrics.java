package io.gdbpool.autoconfigure;

import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import io.gdbpool.notify.ChannelStatistics;
import io.gdbpool.notify.PgListenerContainer;

/**
 * Meters of the LISTEN connection, read from the listener's {@link ChannelStatistics}
 * snapshots. The channel is a tag only for channels known when meters are bound (after
 * start-up: {@code @PgListen} methods and {@code gdbpool.listener.channels}); channels
 * subscribed at run time count together under {@code channel=_other}, so dynamic channel
 * names cannot explode the number of meters.
 */
class ListenerMetrics implements MeterBinder {

	static final String OTHER = "_other";

	private final PgListenerContainer listener;

	private volatile Set<String> declared = Set.of();

	ListenerMetrics(PgListenerContainer listener) {
		this.listener = listener;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.declared = Set.copyOf(this.listener.channels());
		for (String channel : this.declared) {
			registerChannel(registry, channel, channel);
		}
		registerChannel(registry, OTHER, null);
		FunctionCounter.builder("gdbpool.listener.reconnects", this.listener, PgListenerContainer::getReconnects)
			.description("Times the LISTEN connection was lost and re-established")
			.register(registry);
		Gauge.builder("gdbpool.listener.connected", this.listener, (l) -> l.isConnected() ? 1 : 0)
			.description("1 while the LISTEN connection is up")
			.register(registry);
	}

	private void registerChannel(MeterRegistry registry, String tag, String channel) {
		counter(registry, "gdbpool.notify.received", "Notifications read from the LISTEN connection, per channel", tag,
				channel, ChannelStatistics::received);
		counter(registry, "gdbpool.notify.handler.failures", "Handler invocations that threw, per channel", tag,
				channel, ChannelStatistics::handlerFailures);
		counter(registry, "gdbpool.notify.dropped",
				"Notifications dropped because a channel's handlers fell behind, per channel", tag, channel,
				ChannelStatistics::dropped);
		FunctionTimer
			.builder("gdbpool.notify.handler", this.listener, (l) -> (long) sum(l, channel, ChannelStatistics::handled),
					(l) -> sum(l, channel, ChannelStatistics::handlerNanos), TimeUnit.NANOSECONDS)
			.description("Time handlers and event listeners took per notification, per channel")
			.tag("channel", tag)
			.register(registry);
	}

	private void counter(MeterRegistry registry, String name, String description, String tag, String channel,
			ToLongFunction<ChannelStatistics> count) {
		FunctionCounter.builder(name, this.listener, (l) -> sum(l, channel, count))
			.description(description)
			.tag("channel", tag)
			.register(registry);
	}

	// one channel's count, or (channel null) the sum over every channel not declared at
	// binding
	private double sum(PgListenerContainer listener, String channel, ToLongFunction<ChannelStatistics> count) {
		if (channel != null) {
			return count.applyAsLong(listener.statistics(channel));
		}
		long other = 0;
		for (ChannelStatistics statistics : listener.statistics()) {
			if (!this.declared.contains(statistics.channel())) {
				other += count.applyAsLong(statistics);
			}
		}
		return other;
	}

}
