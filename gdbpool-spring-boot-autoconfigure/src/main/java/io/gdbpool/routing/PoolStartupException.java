package io.gdbpool.routing;

/**
 * A pool could not connect to its server during start-up. Names the pool and its url
 * (never the password).
 */
public class PoolStartupException extends IllegalStateException {

	private final String poolName;

	private final String url;

	private final String reason;

	public PoolStartupException(String poolName, String url, Throwable cause) {
		super("Pool '" + poolName + "' could not connect to " + url + ": " + rootMessage(cause), cause);
		this.poolName = poolName;
		this.url = url;
		this.reason = rootMessage(cause);
	}

	public String getPoolName() {
		return this.poolName;
	}

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
