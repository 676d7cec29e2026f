package io.gdbpool.support;

import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * A JDBC url with anything secret taken out, fit for logs, exceptions and health details.
 */
public final class SafeUrl {

	// user:password@ in the authority, and password=... among the query parameters
	private static final Pattern USER_INFO = Pattern.compile("(//)[^/@?]*@");

	private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)([?&;](?:password|sslpassword|sslkey)=)[^&;]*");

	private SafeUrl() {
	}

	/**
	 * @param url a JDBC url, or {@code null}
	 * @return the url without user info and password parameters, or {@code null} for
	 * {@code null}
	 */
	public static @Nullable String of(@Nullable String url) {
		if (url == null) {
			return null;
		}
		String safe = USER_INFO.matcher(url).replaceFirst("$1");
		return PASSWORD_PARAM.matcher(safe).replaceAll("$1******");
	}

}
