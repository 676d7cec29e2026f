package io.gdbpool.routing;

import org.jspecify.annotations.Nullable;

/**
 * PostgreSQL WAL positions ({@code pg_lsn}, written {@code X/Y} in hex) as comparable
 * longs.
 */
public final class Lsn {

	/** No position known. */
	public static final long NONE = -1L;

	private Lsn() {
	}

	/**
	 * Parses {@code "16/B374D848"}.
	 * @param text an LSN as PostgreSQL prints it
	 * @return its numeric value
	 * @throws IllegalArgumentException if it is not an LSN
	 */
	public static long parse(String text) {
		if (text == null) {
			throw new IllegalArgumentException("LSN must not be null");
		}
		int slash = text.indexOf('/');
		if (slash <= 0 || slash == text.length() - 1 || slash > 8 || text.length() - slash - 1 > 8) {
			throw new IllegalArgumentException(
					"Not a PostgreSQL LSN (expected X/Y in hex, e.g. 0/16B3748): '" + text + "'");
		}
		for (int i = 0; i < text.length(); i++) {
			// Long.parseLong would also take a sign: "-1/0" is not a position
			if (i != slash && Character.digit(text.charAt(i), 16) < 0) {
				throw new IllegalArgumentException(
						"Not a PostgreSQL LSN (expected X/Y in hex, e.g. 0/16B3748): '" + text + "'");
			}
		}
		try {
			long high = Long.parseLong(text, 0, slash, 16);
			long low = Long.parseLong(text, slash + 1, text.length(), 16);
			return (high << 32) | low;
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(
					"Not a PostgreSQL LSN (expected X/Y in hex, e.g. 0/16B3748): '" + text + "'", ex);
		}
	}

	/**
	 * Formats a position the way PostgreSQL prints it.
	 * @param lsn a position
	 * @return {@code X/Y}, or {@code null} for {@link #NONE}
	 */
	public static @Nullable String format(long lsn) {
		if (lsn < 0) {
			return null;
		}
		return Long.toHexString(lsn >>> 32).toUpperCase() + "/" + Long.toHexString(lsn & 0xFFFFFFFFL).toUpperCase();
	}

}
