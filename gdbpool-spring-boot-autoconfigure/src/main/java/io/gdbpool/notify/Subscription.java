package io.gdbpool.notify;

/**
 * A handler's subscription to a channel.
 */
public interface Subscription {

	/**
	 * Stops calling the handler. When it was the channel's last subscriber, the channel
	 * is no longer listened to (UNLISTEN). Cancelling twice does nothing.
	 */
	void cancel();

}
