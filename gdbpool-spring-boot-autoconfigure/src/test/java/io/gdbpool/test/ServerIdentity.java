package io.gdbpool.test;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Which server, which session: asked of whatever connection a JdbcTemplate gets, so a
 * test can prove where a statement ran.
 *
 * @param port {@code inet_server_port()}
 * @param standby {@code pg_is_in_recovery()}
 * @param backendPid {@code pg_backend_pid()}
 * @param applicationName the session's application_name (our pools set it to
 * gdbpool-NAME)
 */
public record ServerIdentity(int port, boolean standby, int backendPid, String applicationName) {

	public static ServerIdentity of(JdbcTemplate jdbc) {
		return jdbc.queryForObject(
				"SELECT inet_server_port(), pg_is_in_recovery(), pg_backend_pid(), current_setting('application_name')",
				(rs, i) -> new ServerIdentity(rs.getInt(1), rs.getBoolean(2), rs.getInt(3), rs.getString(4)));
	}

	/**
	 * @param url a {@code jdbc:postgresql://host:port/db} url
	 * @return its port, 5432 when it names none
	 */
	public static int portOf(String url) {
		java.util.regex.Matcher m = java.util.regex.Pattern.compile("//[^:/]+:(\\d+)/").matcher(url);
		return m.find() ? Integer.parseInt(m.group(1)) : 5432;
	}

	public String pool() {
		return this.applicationName.startsWith("gdbpool-") ? this.applicationName.substring("gdbpool-".length())
				: this.applicationName;
	}

}
