package io.gdbpool.notify;

/**
 * What happened on one channel since start-up, as of one moment: the counts never go
 * backwards, also after the channel's last subscriber left. Each count is read on its
 * own, so a snapshot taken while notifications flow may be a few apart (e.g.
 * {@code handled} a little behind {@code received}).
 *
 * @param channel the channel
 * @param received notifications read on it, dropped ones included
 * @param handled notifications handed to its handlers (and published as events)
 * @param handlerFailures handler invocations on it that threw
 * @param dropped notifications dropped because its handlers fell behind
 * @param handlerNanos time its handlers and event listeners took, in nanoseconds
 */
public record ChannelStatistics(String channel, long received, long handled, long handlerFailures, long dropped,
		long handlerNanos) {

	/**
	 * @param channel a channel
	 * @return the statistics of a channel nothing happened on
	 */
	static ChannelStatistics none(String channel) {
		return new ChannelStatistics(channel, 0, 0, 0, 0, 0);
	}

}
