package io.gdbpool.notify;

import java.nio.charset.StandardCharsets;

/**
 * What PostgreSQL accepts as a notification channel and payload, checked before anything
 * is sent. Channel names are identifiers: PostgreSQL would silently truncate one over 63
 * bytes on LISTEN, so such a name is refused here instead.
 */
public final class ChannelNames {

	/** Longest identifier PostgreSQL keeps, in bytes (NAMEDATALEN - 1). */
	public static final int MAX_CHANNEL_BYTES = 63;

	/** Longest payload pg_notify accepts, in bytes. */
	public static final int MAX_PAYLOAD_BYTES = 7999;

	private ChannelNames() {
	}

	/**
	 * @param channel a channel name
	 * @return the name, unchanged
	 * @throws IllegalArgumentException if PostgreSQL would reject or truncate it
	 */
	public static String requireValid(String channel) {
		String problem = problemWith(channel);
		if (problem != null) {
			throw new IllegalArgumentException(problem);
		}
		return channel;
	}

	/**
	 * @param channel a channel name
	 * @return why PostgreSQL would reject or truncate it, or {@code null} when it is fine
	 */
	public static String problemWith(String channel) {
		if (channel == null || channel.isEmpty()) {
			return "A notification channel name must not be empty";
		}
		int bytes = channel.getBytes(StandardCharsets.UTF_8).length;
		if (bytes > MAX_CHANNEL_BYTES) {
			return "Notification channel '" + channel + "' is " + bytes + " bytes in UTF-8; PostgreSQL keeps at most "
					+ MAX_CHANNEL_BYTES + " and would truncate it";
		}
		if (channel.indexOf('\0') >= 0) {
			return "A notification channel name must not contain a NUL character";
		}
		return null;
	}

	/**
	 * @param payload a payload
	 * @return the payload, unchanged
	 * @throws IllegalArgumentException if pg_notify would refuse it (8000 bytes or more
	 * in UTF-8)
	 */
	public static String requireValidPayload(String payload) {
		if (payload == null) {
			return null;
		}
		// a char is at most 3 UTF-8 bytes: short payloads need no encoding to be checked
		if (payload.length() * 3 > MAX_PAYLOAD_BYTES) {
			int bytes = payload.getBytes(StandardCharsets.UTF_8).length;
			if (bytes > MAX_PAYLOAD_BYTES) {
				throw new IllegalArgumentException("Notification payload is " + bytes
						+ " bytes in UTF-8; PostgreSQL accepts at most " + MAX_PAYLOAD_BYTES);
			}
		}
		if (payload.indexOf('\0') >= 0) {
			throw new IllegalArgumentException("A notification payload must not contain a NUL character");
		}
		return payload;
	}

	/**
	 * @param channel a valid channel name
	 * @return it as a quoted SQL identifier, case and every character kept, nothing
	 * injectable
	 */
	public static String quote(String channel) {
		requireValid(channel);
		return '"' + channel.replace("\"", "\"\"") + '"';
	}

}
