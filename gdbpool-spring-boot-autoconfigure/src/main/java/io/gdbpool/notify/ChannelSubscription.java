package io.gdbpool.notify;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One handler's subscription to one channel. Cancelling twice is cancelling once: the
 * second call must not remove another subscription of the same handler.
 */
final class ChannelSubscription implements Subscription {

	private final String channel;

	private final ChannelHandlers.Subscriber subscriber;

	private final Runnable unsubscribe;

	private final AtomicBoolean cancelled = new AtomicBoolean();

	/**
	 * @param unsubscribe removes the subscriber (and UNLISTENs when it was the channel's
	 * last)
	 */
	ChannelSubscription(String channel, ChannelHandlers.Subscriber subscriber, Runnable unsubscribe) {
		this.channel = channel;
		this.subscriber = subscriber;
		this.unsubscribe = unsubscribe;
	}

	@Override
	public void cancel() {
		if (this.cancelled.compareAndSet(false, true)) {
			this.unsubscribe.run();
		}
	}

	@Override
	public String toString() {
		return "Subscription[channel=" + this.channel + ", handler=" + this.subscriber.handler() + "]";
	}

}
