package io.gdbpool.routing;

import java.io.Closeable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The named pools, their roles and health. The default write pool serves the write route;
 * the read pools serve the read route.
 */
public class PoolRegistry implements Closeable {

	private final Map<String, Pool> pools;

	private final Pool defaultWritePool;

	// an array: the read route iterates it on every read, without an iterator
	private final Pool[] readPools;

	/**
	 * @param pools the pools, in configuration order
	 * @param defaultWritePool name of the pool that serves the write route
	 */
	public PoolRegistry(Collection<Pool> pools, String defaultWritePool) {
		Map<String, Pool> byName = new LinkedHashMap<>();
		List<Pool> reads = new ArrayList<>();
		for (Pool pool : pools) {
			if (byName.putIfAbsent(pool.getName(), pool) != null) {
				throw new IllegalArgumentException("Two pools are named '" + pool.getName() + "'");
			}
			if (!pool.isWrite()) {
				reads.add(pool);
			}
		}
		this.pools = Collections.unmodifiableMap(byName);
		Pool write = byName.get(defaultWritePool);
		if (write == null) {
			throw new IllegalArgumentException(
					"Default write pool '" + defaultWritePool + "' is not one of the pools " + byName.keySet());
		}
		if (!write.isWrite()) {
			throw new IllegalArgumentException("Default write pool '" + defaultWritePool + "' has role read");
		}
		this.defaultWritePool = write;
		this.readPools = reads.toArray(new Pool[0]);
	}

	/**
	 * The pool of that name.
	 * @param name a pool name
	 * @return the pool
	 * @throws IllegalArgumentException naming the known pools when there is none of that
	 * name
	 */
	public Pool get(String name) {
		Pool pool = this.pools.get(name);
		if (pool == null) {
			throw new IllegalArgumentException("No pool named '" + name + "'; the pools are " + this.pools.keySet());
		}
		return pool;
	}

	/**
	 * @return the names of every pool
	 */
	public Set<String> names() {
		return this.pools.keySet();
	}

	/**
	 * @return every pool, write and read
	 */
	public Collection<Pool> pools() {
		return this.pools.values();
	}

	/**
	 * @return the pool the write route uses
	 */
	public Pool defaultWritePool() {
		return this.defaultWritePool;
	}

	/**
	 * @return the read pools, in configuration order
	 */
	public List<Pool> readPools() {
		return List.of(this.readPools);
	}

	Pool[] readPoolArray() {
		return this.readPools;
	}

	@Override
	public void close() {
		for (Pool pool : this.pools.values()) {
			pool.close();
		}
	}

	@Override
	public String toString() {
		return "PoolRegistry" + this.pools.values();
	}

}
