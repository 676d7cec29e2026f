package io.gdbpool.autoconfigure;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import io.gdbpool.routing.Pool;
import io.gdbpool.routing.PoolRegistry;
import io.gdbpool.routing.RoutingDataSource;
import io.gdbpool.transaction.PartialTransactions;

/**
 * Binds gDBPool's meters, all with low-cardinality tags (pool names and fixed words),
 * read from counters the library keeps anyway, so the hot path does no metric work of its
 * own. HikariCP's own pool meters ({@code hikaricp.connections.*}, tagged
 * {@code pool=gdbpool-<name>}) come from Hikari's Micrometer tracker, installed on every
 * pool here.
 */
class GDBPoolMetrics implements MeterBinder {

	private final PoolRegistry pools;

	private final RoutingDataSource routing;

	private final PartialTransactions partialTransactions;

	GDBPoolMetrics(PoolRegistry pools, RoutingDataSource routing, PartialTransactions partialTransactions) {
		this.pools = pools;
		this.routing = routing;
		this.partialTransactions = partialTransactions;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (Pool pool : this.pools.pools()) {
			trackHikari(pool.getDataSource(), registry);
			String name = pool.getName();
			FunctionCounter.builder("gdbpool.routed", pool, Pool::getReadsRouted)
				.description("Connections handed out, per pool and route")
				.tags("pool", name, "route", "read")
				.register(registry);
			FunctionCounter.builder("gdbpool.routed", pool, Pool::getWritesRouted)
				.description("Connections handed out, per pool and route")
				.tags("pool", name, "route", "write")
				.register(registry);
			if (!pool.isWrite()) {
				FunctionCounter.builder("gdbpool.replica.ejections", pool, Pool::getEjections)
					.description("Times a read pool was taken out of rotation")
					.tag("pool", name)
					.register(registry);
				Gauge.builder("gdbpool.replica.lag", pool, Pool::getLagMillis)
					.description("Replay lag of the replica behind the primary, in milliseconds (-1: unknown)")
					.baseUnit("milliseconds")
					.tag("pool", name)
					.register(registry);
				Gauge.builder("gdbpool.replica.lag.bytes", pool, Pool::getLagBytes)
					.description("Replay lag of the replica behind the primary, in WAL bytes (-1: unknown)")
					.baseUnit("bytes")
					.tag("pool", name)
					.register(registry);
				Gauge.builder("gdbpool.replica.in.rotation", pool, (p) -> p.isInRotation() ? 1 : 0)
					.description("1 while the read pool is in rotation")
					.tag("pool", name)
					.register(registry);
			}
		}
		if (this.routing != null) {
			FunctionCounter.builder("gdbpool.fallbacks", this.routing, RoutingDataSource::getFallbacks)
				.description("Reads sent to the write pool because no read pool was eligible")
				.register(registry);
		}
		if (this.partialTransactions != null) {
			PartialTransactions partials = this.partialTransactions;
			Gauge.builder("gdbpool.partial.open", partials, PartialTransactions::getOpenCount)
				.description("Partial transactions open now")
				.register(registry);
			Gauge.builder("gdbpool.partial.oldest.age", partials, (p) -> p.getOldestAge().toMillis())
				.description("Age of the oldest open partial transaction")
				.baseUnit("milliseconds")
				.register(registry);
			FunctionCounter.builder("gdbpool.partial.completed", partials, PartialTransactions::getCommitted)
				.description("Partial transactions ended, by outcome")
				.tag("outcome", "committed")
				.register(registry);
			FunctionCounter.builder("gdbpool.partial.completed", partials, PartialTransactions::getRolledBack)
				.description("Partial transactions ended, by outcome")
				.tag("outcome", "rolled_back")
				.register(registry);
			FunctionCounter.builder("gdbpool.partial.completed", partials, PartialTransactions::getExpired)
				.description("Partial transactions ended, by outcome")
				.tag("outcome", "expired")
				.register(registry);
			FunctionCounter.builder("gdbpool.partial.completed", partials, PartialTransactions::getLost)
				.description("Partial transactions ended, by outcome")
				.tag("outcome", "lost")
				.register(registry);
			FunctionCounter.builder("gdbpool.partial.refused", partials, PartialTransactions::getRefused)
				.description(
						"Partial transaction begins refused because gdbpool.partial-transactions.max-open were open")
				.register(registry);
			Gauge.builder("gdbpool.partial.max.open", partials, PartialTransactions::getMaxOpen)
				.description("How many partial transactions may be open at once")
				.register(registry);
		}
	}

	private static void trackHikari(HikariDataSource dataSource, MeterRegistry registry) {
		// Hikari takes its tracker once; one the application installed itself stays
		if (dataSource.getMetricsTrackerFactory() == null && dataSource.getMetricRegistry() == null) {
			dataSource.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
		}
	}

}
