package io.gdbpool.notify;

/**
 * The LISTEN connection could not be set up during start-up: the server is unreachable,
 * is a hot standby, or sits behind a pooler that does not keep LISTEN (PgBouncer in
 * transaction mode).
 */
public class PgListenerStartupException extends IllegalStateException {

	/**
	 * What went wrong.
	 */
	public enum Problem {

		/** No connection could be opened. */
		CONNECTION,

		/** The server is a hot standby; standbys reject LISTEN. */
		STANDBY,

		/**
		 * LISTEN succeeded but the session does not hold the channels: a transaction
		 * pooler.
		 */
		NOT_LISTENING

	}

	/** What went wrong. */
	private final Problem problem;

	/** The url of the LISTEN connection, without password. */
	private final String url;

	/**
	 * @param problem what went wrong
	 * @param url the url of the LISTEN connection, without password
	 * @param message the explanation
	 * @param cause the underlying failure, or {@code null}
	 */
	public PgListenerStartupException(Problem problem, String url, String message, Throwable cause) {
		super(message, cause);
		this.problem = problem;
		this.url = url;
	}

	/**
	 * @return what went wrong
	 */
	public Problem getProblem() {
		return this.problem;
	}

	/**
	 * @return the url of the LISTEN connection, without password
	 */
	public String getUrl() {
		return this.url;
	}

}
