package io.gdbpool.notify;

import java.util.Set;
import java.util.function.Consumer;

/**
 * The LISTEN connection, seen from the application: subscribe to channels at run time,
 * and see whether notifications can currently arrive.
 */
public interface PgNotificationListener {

	/**
	 * Calls a handler with every notification on a channel, in the order PostgreSQL
	 * delivered them. The channel is listened to when this is its first subscriber; when
	 * the listener is running and connected, that has happened by the time this method
	 * returns.
	 * @param channel the channel, used exactly as written
	 * @param handler called with each notification; an exception it throws is logged and
	 * counted
	 * @return the subscription, to cancel it
	 * @throws IllegalArgumentException if PostgreSQL would reject or truncate the channel
	 * name
	 */
	Subscription subscribe(String channel, Consumer<PgNotification> handler);

	/**
	 * @return whether the LISTEN connection is up and listening to every channel
	 */
	boolean isConnected();

	/**
	 * @return the channels listened to (or to be listened to once connected)
	 */
	Set<String> channels();

}
