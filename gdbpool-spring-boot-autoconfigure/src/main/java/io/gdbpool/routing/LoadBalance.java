package io.gdbpool.routing;

/**
 * How a read pool is chosen among the eligible ones.
 */
public enum LoadBalance {

	/** Each eligible read pool in turn. */
	ROUND_ROBIN,

	/** The eligible read pool with the fewest connections in use. */
	LEAST_ACTIVE,

	/** An eligible read pool at random. */
	RANDOM

}
