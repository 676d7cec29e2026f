package io.gdbpool.notify;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.postgresql.PGNotification;

/**
 * Hands each driver read to the channels' queues: the hot path, one map look-up per
 * notification and one lock-free offer per channel and read. A read is numbered, so each
 * queue judges it once, whole ({@link OverflowRule}).
 * <p>
 * The reader thread alone uses it.
 */
final class ReadDispatcher {

	private final Channels channels;

	/** Driver reads so far. */
	private long reads;

	/** The queues the current read added to; kept to spare an allocation per read. */
	private final List<ChannelQueue> touched = new ArrayList<>();

	ReadDispatcher(Channels channels) {
		this.channels = channels;
	}

	/**
	 * @param batch what one driver read returned
	 * @param livenessChannel the connection's private channel, not handed on
	 * @return whether the liveness echo was among them
	 */
	boolean dispatch(PGNotification[] batch, String livenessChannel) {
		Instant receivedAt = Instant.now();
		long read = ++this.reads;
		boolean echo = false;
		List<ChannelQueue> touched = this.touched;
		for (PGNotification notification : batch) {
			String channel = notification.getName();
			ChannelQueue queue = this.channels.queue(channel);
			if (queue != null) {
				if (queue.collect(
						new PgNotification(channel, notification.getParameter(), notification.getPID(), receivedAt),
						read)) {
					touched.add(queue);
				}
			}
			else if (channel.equals(livenessChannel)) {
				echo = true;
			}
		}
		for (int i = 0; i < touched.size(); i++) {
			touched.get(i).flush();
		}
		touched.clear();
		return echo;
	}

}
