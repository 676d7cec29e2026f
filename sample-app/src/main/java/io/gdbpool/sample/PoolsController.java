package io.gdbpool.sample;

import java.util.List;
import java.util.Set;

import io.gdbpool.notify.PgNotificationListener;
import io.gdbpool.routing.PoolRegistry;
import io.gdbpool.transaction.PartialTransactions;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Which pool served what: the pools with their role, health and routing counters, and the
 * pool whose connection read the last seat map.
 */
@RestController
public class PoolsController {

	private final PoolRegistry pools;

	private final Seats seats;

	private final PartialTransactions partialTransactions;

	private final PgNotificationListener listener;

	private final SeatEvents events;

	public PoolsController(PoolRegistry pools, Seats seats, PartialTransactions partialTransactions,
			PgNotificationListener listener, SeatEvents events) {
		this.pools = pools;
		this.seats = seats;
		this.partialTransactions = partialTransactions;
		this.listener = listener;
		this.events = events;
	}

	@GetMapping("/pools")
	public PoolsView pools() {
		List<PoolView> views = this.pools.pools()
			.stream()
			.map((pool) -> new PoolView(pool.getName(), pool.getRole().name().toLowerCase(), pool.getUrl(),
					pool == this.pools.defaultWritePool(), pool.isInRotation(), pool.isStandby(), pool.getReadsRouted(),
					pool.getWritesRouted(), pool.getActiveConnections()))
			.toList();
		return new PoolsView(views, this.seats.lastSeatMap(),
				new HoldsView(this.partialTransactions.getOpenCount(), this.partialTransactions.getCommitted(),
						this.partialTransactions.getRolledBack(), this.partialTransactions.getExpired(),
						this.partialTransactions.getIdleTimeout().toString()),
				new ListenerView(this.listener.isConnected(), this.listener.channels(), this.events.openStreams()));
	}

	public record PoolsView(List<PoolView> pools, Seats.LastSeatMap lastSeatMap, HoldsView partialTransactions,
			ListenerView listener) {
	}

	public record PoolView(String name, String role, String url, boolean defaultWritePool, boolean inRotation,
			boolean standby, long readsRouted, long writesRouted, int activeConnections) {
	}

	public record HoldsView(int open, long committed, long rolledBack, long expired, String idleTimeout) {
	}

	public record ListenerView(boolean connected, Set<String> channels, int openStreams) {
	}

}
