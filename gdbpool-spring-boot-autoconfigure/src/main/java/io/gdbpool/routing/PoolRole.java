package io.gdbpool.routing;

/**
 * What a pool is for: writes (a primary) or reads (a replica).
 */
public enum PoolRole {

	/** A primary: the write route and, as a fallback, reads. */
	WRITE,

	/** A replica: connections are read-only at the server. */
	READ

}
