package io.gdbpool.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

import io.gdbpool.GDBPoolTemplate;
import io.gdbpool.routing.LoadBalance;
import io.gdbpool.routing.Pool;
import io.gdbpool.routing.PoolFactory;
import io.gdbpool.routing.PoolRegistry;
import io.gdbpool.routing.PoolRole;
import io.gdbpool.routing.ReplicaMonitor;
import io.gdbpool.routing.ReplicaSelector;
import io.gdbpool.routing.RoutingDataSource;
import io.gdbpool.transaction.PartialTransactions;
import io.gdbpool.transaction.RoutingTransactionManager;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * gDBPool's beans built by hand, wired as {@code GDBPoolAutoConfiguration} wires them:
 * pools from {@link PoolFactory}, the registry, the routing DataSource, its transaction
 * manager, partial transactions and the template. No Spring context: nothing but the
 * library on the measured path.
 */
final class Stack implements AutoCloseable {

	final PoolRegistry pools;

	final RoutingDataSource dataSource;

	final RoutingTransactionManager transactionManager;

	final PartialTransactions partialTransactions;

	final GDBPoolTemplate template;

	/** A JdbcTemplate on the routing DataSource, as an existing application has it. */
	final JdbcTemplate jdbc;

	private final ReplicaMonitor monitor;

	private Stack(Builder builder) {
		PoolFactory factory = new PoolFactory();
		List<Pool> opened = new ArrayList<>();
		for (Builder.Def def : builder.defs) {
			opened.add(factory.open(def.name, def.role, Db.settings(def.url, builder.user, def.size), false));
		}
		this.pools = new PoolRegistry(opened, builder.defs.get(0).name);
		if (builder.maxLag != null) {
			this.monitor = new ReplicaMonitor(this.pools, Duration.ofSeconds(1), builder.maxLag, -1);
			this.monitor.start();
		}
		else {
			this.monitor = null;
		}
		this.dataSource = new RoutingDataSource(this.pools, new ReplicaSelector(this.pools, LoadBalance.ROUND_ROBIN),
				true, builder.readYourWrites);
		this.transactionManager = new RoutingTransactionManager(this.dataSource);
		this.partialTransactions = new PartialTransactions(this.dataSource, Duration.ofSeconds(30));
		// no Spring context here: start the expiry task as the context would
		this.partialTransactions.start();
		this.template = new GDBPoolTemplate(this.transactionManager, this.partialTransactions, builder.asyncExecutor,
				null);
		this.jdbc = new JdbcTemplate(this.dataSource);
	}

	static Builder builder(String user) {
		return new Builder(user);
	}

	void awaitFull() throws InterruptedException {
		for (Pool pool : this.pools.pools()) {
			Db.awaitFull(pool.getDataSource());
		}
	}

	@Override
	public void close() {
		if (this.monitor != null) {
			this.monitor.close();
		}
		this.partialTransactions.close();
		this.pools.close();
	}

	static final class Builder {

		record Def(String name, PoolRole role, String url, int size) {
		}

		private final String user;

		private final List<Def> defs = new ArrayList<>();

		private Duration maxLag;

		private boolean readYourWrites;

		private Executor asyncExecutor = Runnable::run;

		Builder(String user) {
			this.user = user;
		}

		/** The first pool added is the default write pool. */
		Builder pool(String name, PoolRole role, String url, int size) {
			this.defs.add(new Def(name, role, url, size));
			return this;
		}

		Builder maxReplicaLag(Duration maxLag) {
			this.maxLag = maxLag;
			return this;
		}

		Builder readYourWrites(boolean on) {
			this.readYourWrites = on;
			return this;
		}

		Builder asyncExecutor(Executor executor) {
			this.asyncExecutor = executor;
			return this;
		}

		Stack build() {
			return new Stack(this);
		}

	}

}
