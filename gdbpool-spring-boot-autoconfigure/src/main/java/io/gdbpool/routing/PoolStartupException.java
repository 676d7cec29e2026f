package io.gdbpool.routing;

/**
 * A pool could not connect to its server during start-up. Names the pool and its url
 * (never the password).
 */
public class PoolStartupException extends IllegalStateException {

	/** The pool that could not connect. */
	private final String poolName;

	/** Its url, without password. */
	private final String url;

	/** What the server or the network said. */
	private final String reason;

	/**
	 * @param poolName the pool that could not connect
	 * @param url its url, without password
	 * @param cause the connection failure
	 */
	public PoolStartupException(String poolName, String url, Throwable cause) {
		super("Pool '" + poolName + "' could not connect to " + url + ": " + rootMessage(cause), cause);
		this.poolName = poolName;
		this.url = url;
		this.reason = rootMessage(cause);
	}

	/**
	 * @return the pool that could not connect
	 */
	public String getPoolName() {
		return this.poolName;
	}

	/**
	 * @return its url, without password
	 */
	public String getUrl() {
		return this.url;
	}

	/**
	 * @return what the server or the network said, from the innermost cause
	 */
	public String getReason() {
		return this.reason;
	}

	private static String rootMessage(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return String.valueOf(root.getMessage());
	}

}
