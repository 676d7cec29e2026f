package io.gdbpool.routing;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.core.InfrastructureProxy;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Which pool each connection of the routing DataSource comes from, with pools whose
 * connections are fakes that say where they came from: no server, no network. The routing
 * rules are tried one by one here; the integration tests show the same rules against real
 * replicas.
 */
class RoutingDataSourceTests {

	private final List<Pool> created = new ArrayList<>();

	private final FakeServer primary = new FakeServer("primary");

	private final FakeServer archive = new FakeServer("archive");

	private final FakeServer replicaA = new FakeServer("replica-a");

	private final FakeServer replicaB = new FakeServer("replica-b");

	@AfterEach
	void cleanUp() {
		this.created.forEach(Pool::close);
		LastWriteLsn.clear();
	}

	// ---- the write route

	@Test
	void writesGoToTheDefaultWritePool() throws SQLException {
		PoolRegistry pools = registry("primary", write(this.primary), write(this.archive), read(this.replicaA),
				read(this.replicaB));
		RoutingDataSource routing = routing(pools, LoadBalance.ROUND_ROBIN, true, false);
		// outside a transaction, an unannounced connection is for writing
		assertThat(from(routing.getConnection())).isEqualTo("primary");
		assertThat(from(routing.getConnection(Route.WRITE))).isEqualTo("primary");
		assertThat(from(routing.forRoute(Route.WRITE).getConnection())).isEqualTo("primary");
		// a transaction manager announces the write route around taking its connection
		assertThat(announced(routing, Route.WRITE)).isEqualTo("primary");
		assertThat(pools.get("primary").getWritesRouted()).isEqualTo(4);
		assertThat(pools.get("primary").getReadsRouted()).isZero();
		assertThat(this.archive.borrowed() + this.replicaA.borrowed() + this.replicaB.borrowed()).isZero();
	}

	@Test
	void aWritePoolTheMonitorFoundSilentOrOnAStandbyRefusesAtOnceWithoutBorrowing() throws SQLException {
		PoolRegistry pools = registry("primary", write(this.primary), read(this.replicaA));
		RoutingDataSource routing = routing(pools, LoadBalance.ROUND_ROBIN, true, false);
		Pool writePool = pools.get("primary");
		writePool.recordSilent("the server did not answer within 1000 ms");
		assertThatExceptionOfType(SQLTransientConnectionException.class)
			.isThrownBy(() -> routing.getConnection(Route.WRITE))
			.withMessageContaining("Write pool 'primary'")
			.withMessageContaining("is not answering")
			.withMessageContaining("the server did not answer within 1000 ms")
			.satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo("08001"));
		writePool.recordAnswered();
		writePool.recordStandby(true);
		assertThatExceptionOfType(SQLNonTransientConnectionException.class)
			.isThrownBy(() -> routing.getConnection(Route.WRITE))
			.withMessageContaining("is connected to a standby")
			.withMessageContaining("gdbpool.pools.primary.url");
		assertThat(this.primary.borrowed()).isZero();
		writePool.recordStandby(false);
		assertThat(from(routing.getConnection(Route.WRITE))).isEqualTo("primary");
	}

	// ---- the read route

	@Test
	void readsGoToTheReadPoolsInTurnWithRoundRobin() throws SQLException {
		PoolRegistry pools = registry("primary", write(this.primary), read(this.replicaA), read(this.replicaB));
		RoutingDataSource routing = routing(pools, LoadBalance.ROUND_ROBIN, true, false);
		List<String> servedBy = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			servedBy.add(from(routing.getConnection(Route.READ)));
		}
		assertThat(servedBy).containsExactly("replica-a", "replica-b", "replica-a", "replica-b");
		// the read view, an announced read route, and a read-only transaction all take
		// the read route
		assertThat(from(routing.forRoute(Route.READ).getConnection())).isEqualTo("replica-a");
		assertThat(announced(routing, Route.READ)).isEqualTo("replica-b");
		TransactionSynchronizationManager.setCurrentTransactionReadOnly(true);
		try {
			assertThat(from(routing.getConnection())).isEqualTo("replica-a");
		}
		finally {
			TransactionSynchronizationManager.setCurrentTransactionReadOnly(false);
		}
		assertThat(pools.get("replica-a").getReadsRouted()).isEqualTo(4);
		assertThat(pools.get("replica-b").getReadsRouted()).isEqualTo(3);
		assertThat(this.primary.borrowed()).isZero();
		assertThat(routing.getFallbacks()).isZero();
	}

	@Test
	void leastActiveTakesTheReadPoolWithFewestConnectionsInUse() throws SQLException {
		PoolRegistry pools = registry("primary", write(this.primary), read(this.replicaA), read(this.replicaB));
		RoutingDataSource routing = routing(pools, LoadBalance.LEAST_ACTIVE, true, false);
		this.replicaA.active(3);
		this.replicaB.active(0);
		for (int i = 0; i < 3; i++) {
			assertThat(from(routing.getConnection(Route.READ))).isEqualTo("replica-b");
		}
		this.replicaB.active(5);
		assertThat(from(routing.getConnection(Route.READ))).isEqualTo("replica-a");
	}

	@Test
	void aReadPoolOutOfRotationOrLaggingIsSkipped() throws SQLException {
		PoolRegistry pools = registry("primary", write(this.primary), read(this.replicaA), read(this.replicaB));
		RoutingDataSource routing = routing(pools, LoadBalance.ROUND_ROBIN, true, false);
		pools.get("replica-a").eject(new SQLException("stopped"));
		for (int i = 0; i < 4; i++) {
			assertThat(from(routing.getConnection(Route.READ))).isEqualTo("replica-b");
		}
		assertThat(this.replicaA.borrowed()).isZero();
		pools.get("replica-a").restore();
		pools.get("replica-b").recordReplay(100, 5_000_000, 60_000, true);
		for (int i = 0; i < 4; i++) {
			assertThat(from(routing.getConnection(Route.READ))).isEqualTo("replica-a");
		}
		assertThat(routing.getFallbacks()).isZero();
	}

	@Test
	void readsFallBackToTheWritePoolWhenNoReadPoolIsHealthy() throws SQLException {
		PoolRegistry pools = registry("primary", write(this.primary), read(this.replicaA), read(this.replicaB));
		RoutingDataSource routing = routing(pools, LoadBalance.ROUND_ROBIN, true, false);
		pools.get("replica-a").eject(new SQLException("stopped"));
		pools.get("replica-b").recordReplay(100, 5_000_000, 60_000, true);
		assertThat(from(routing.getConnection(Route.READ))).isEqualTo("primary");
		assertThat(from(routing.getConnection(Route.READ))).isEqualTo("primary");
		assertThat(routing.getFallbacks()).isEqualTo(2);
		// counted as reads of the write pool, not writes
		assertThat(pools.get("primary").getReadsRouted()).isEqualTo(2);
		assertThat(pools.get("primary").getWritesRouted()).isZero();
		assertThat(this.replicaA.borrowed() + this.replicaB.borrowed()).isZero();
		// a read pool back in rotation takes the reads again
		pools.get("replica-a").restore();
		assertThat(from(routing.getConnection(Route.READ))).isEqualTo("replica-a");
		assertThat(routing.getFallbacks()).isEqualTo(2);
	}

	@Test
	void withNoReadPoolAtAllReadsGoToTheWritePool() throws SQLException {
		RoutingDataSource routing = routing(registry("primary", write(this.primary)), LoadBalance.ROUND_ROBIN, true,
				false);
		assertThat(from(routing.getConnection(Route.READ))).isEqualTo("primary");
		assertThat(routing.getFallbacks()).isEqualTo(1);
	}

	@Test
	void withoutFallbackAReadWithNoHealthyReadPoolFailsSayingWhyForEachPool() {
		PoolRegistry pools = registry("primary", write(this.primary), read(this.replicaA), read(this.replicaB));
		RoutingDataSource routing = routing(pools, LoadBalance.ROUND_ROBIN, false, false);
		pools.get("replica-a").eject(new SQLException("Connection refused"));
		pools.get("replica-b").recordReplay(100, 5_000_000, 60_000, true);
		assertThatExceptionOfType(NoReadPoolAvailableException.class)
			.isThrownBy(() -> routing.getConnection(Route.READ))
			.withMessageContaining("replica-a=out of rotation (Connection refused)")
			.withMessageContaining("replica-b=lagging (60000 ms, 5000000 bytes)")
			.withMessageContaining("gdbpool.routing.fallback-to-primary is false")
			.withMessageContaining("'primary'");
		assertThat(routing.getFallbacks()).isZero();
		assertThat(this.primary.borrowed() + this.replicaA.borrowed() + this.replicaB.borrowed()).isZero();
		RoutingDataSource noReadPools = routing(registry("archive", write(this.archive)), LoadBalance.ROUND_ROBIN,
				false, false);
		assertThatExceptionOfType(NoReadPoolAvailableException.class)
			.isThrownBy(() -> noReadPools.getConnection(Route.READ))
			.withMessageContaining("No read pool is configured");
	}

	@Test
	void aReadPoolThatFailsToConnectIsTakenOutOfRotationAndTheReadGoesToTheNext() throws SQLException {
		PoolRegistry pools = registry("primary", write(this.primary), read(this.replicaA), read(this.replicaB));
		RoutingDataSource routing = routing(pools, LoadBalance.ROUND_ROBIN, true, false);
		// HikariCP's timeout when it cannot reach the server carries the connect failure
		// as its cause
		this.replicaA.failWith(new SQLTransientConnectionException("gdbpool-replica-a - Connection is not available",
				"08001", new SQLException("Connection refused", "08001")));
		assertThat(from(routing.getConnection(Route.READ))).isEqualTo("replica-b");
		assertThat(pools.get("replica-a").isInRotation()).isFalse();
		assertThat(pools.get("replica-a").getEjections()).isEqualTo(1);
		assertThat(pools.get("replica-a").getLastError()).contains("Connection is not available");
		assertThat(routing.getFallbacks()).isZero();
	}

	@Test
	void aReadPoolWhoseConnectionsAreAllInUseIsPassedOverButStaysInRotation() throws SQLException {
		PoolRegistry pools = registry("primary", write(this.primary), read(this.replicaA), read(this.replicaB));
		RoutingDataSource routing = routing(pools, LoadBalance.ROUND_ROBIN, true, false);
		// HikariCP's timeout when every connection is busy has no cause
		this.replicaA.failWith(new SQLTransientConnectionException("gdbpool-replica-a - Connection is not available"));
		assertThat(from(routing.getConnection(Route.READ))).isEqualTo("replica-b");
		assertThat(pools.get("replica-a").isInRotation()).isTrue();
		assertThat(pools.get("replica-a").getEjections()).isZero();
		// the only read pool busy: the read goes to the write pool, the read pool stays
		PoolRegistry alone = registry("archive", write(this.archive), read(new FakeServer("busy")
			.failWith(new SQLTransientConnectionException("gdbpool-busy - Connection is not available"))));
		RoutingDataSource onlyBusy = routing(alone, LoadBalance.ROUND_ROBIN, true, false);
		assertThat(from(onlyBusy.getConnection(Route.READ))).isEqualTo("archive");
		assertThat(alone.get("busy").isInRotation()).isTrue();
		assertThat(onlyBusy.getFallbacks()).isEqualTo(1);
	}

	@Test
	void aReadThatLostItsSessionEjectsTheReadPoolItCameFrom() throws SQLException {
		PoolRegistry pools = registry("primary", write(this.primary), read(this.replicaA), read(this.replicaB));
		RoutingDataSource routing = routing(pools, LoadBalance.ROUND_ROBIN, true, false);
		assertThat(from(routing.getConnection(Route.READ))).isEqualTo("replica-a");
		SQLException sessionLost = new SQLException("An I/O error occurred while sending to the backend.", "08006");
		assertThat(routing.ejectAfterReadFailure(new RuntimeException(sessionLost))).isTrue();
		assertThat(pools.get("replica-a").isInRotation()).isFalse();
		// retried: the next read goes elsewhere
		assertThat(from(routing.getConnection(Route.READ))).isEqualTo("replica-b");
		// a failure that is not a lost session (a bad query) leaves the pool in rotation
		assertThat(routing.ejectAfterReadFailure(new SQLException("syntax error", "42601"))).isFalse();
		assertThat(pools.get("replica-b").isInRotation()).isTrue();
		// a read served by the write pool ejects nothing
		pools.get("replica-b").eject(new SQLException("stopped"));
		assertThat(from(routing.getConnection(Route.READ))).isEqualTo("primary");
		assertThat(routing.ejectAfterReadFailure(sessionLost)).isFalse();
	}

	// ---- one named pool

	@Test
	void anExplicitRouteGoesToExactlyThatPoolWhateverItsRole() throws SQLException {
		PoolRegistry pools = registry("primary", write(this.primary), write(this.archive), read(this.replicaA),
				read(this.replicaB));
		RoutingDataSource routing = routing(pools, LoadBalance.ROUND_ROBIN, true, false);
		assertThat(from(routing.getConnection(Route.to(pools.get("archive"))))).isEqualTo("archive");
		assertThat(from(routing.forRoute(Route.to(pools.get("archive"))).getConnection())).isEqualTo("archive");
		assertThat(pools.get("archive").getWritesRouted()).isEqualTo(2);
		for (int i = 0; i < 3; i++) {
			assertThat(from(routing.getConnection(Route.to(pools.get("replica-b"))))).isEqualTo("replica-b");
		}
		assertThat(pools.get("replica-b").getReadsRouted()).isEqualTo(3);
		// the caller named the pool: rotation, lag and fallback do not apply
		pools.get("replica-b").eject(new SQLException("stopped"));
		assertThat(from(routing.getConnection(Route.to(pools.get("replica-b"))))).isEqualTo("replica-b");
		assertThat(routing.getFallbacks()).isZero();
		// a named write pool the monitor found silent refuses at once, like the default
		// one
		pools.get("archive").recordSilent("the server did not answer within 1000 ms");
		assertThatExceptionOfType(SQLTransientConnectionException.class)
			.isThrownBy(() -> routing.getConnection(Route.to(pools.get("archive"))))
			.withMessageContaining("Write pool 'archive'");
		assertThat(this.primary.borrowed() + this.replicaA.borrowed()).isZero();
	}

	@Test
	void viewsOfTheRoutingDataSourceUnwrapToIt() throws SQLException {
		RoutingDataSource routing = routing(registry("primary", write(this.primary)), LoadBalance.ROUND_ROBIN, true,
				false);
		assertThat(routing.forRoute(Route.READ)).isSameAs(routing.forRoute(Route.READ));
		assertThat(routing.forRoute(Route.WRITE)).isSameAs(routing.forRoute(Route.WRITE));
		assertThat(((InfrastructureProxy) routing.forRoute(Route.READ)).getWrappedObject()).isSameAs(routing);
		assertThatExceptionOfType(SQLFeatureNotSupportedException.class)
			.isThrownBy(() -> routing.getConnection("u", "p"));
	}

	@Test
	void anAnnouncedRouteHoldsOnlyWhileTheAnnouncerRunsAndNestedOnesUnwind() throws SQLException {
		PoolRegistry pools = registry("primary", write(this.primary), read(this.replicaA));
		RoutingDataSource routing = routing(pools, LoadBalance.ROUND_ROBIN, true, false);
		List<String> servedBy = new ArrayList<>();
		RoutingDataSource.withRoute(Route.READ, () -> {
			servedBy.add(connect(routing));
			RoutingDataSource.withRoute(Route.WRITE, () -> servedBy.add(connect(routing)));
			servedBy.add(connect(routing));
			// null: decided by the transaction state again (no transaction: the write
			// route)
			RoutingDataSource.withRoute(null, () -> servedBy.add(connect(routing)));
		});
		assertThat(servedBy).containsExactly("replica-a", "primary", "replica-a", "primary");
		assertThat(from(routing.getConnection())).isEqualTo("primary");
		// also when the announcer fails
		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> RoutingDataSource.withRoute(Route.READ, () -> {
				throw new IllegalStateException("doBegin failed");
			}));
		assertThat(from(routing.getConnection())).isEqualTo("primary");
	}

	// ---- read-your-writes

	@Test
	void withReadYourWritesAReadOnlyGoesToAReadPoolKnownToHaveReplayedTheThreadsLastCommit() throws SQLException {
		PoolRegistry pools = registry("primary", write(this.primary), read(this.replicaA), read(this.replicaB));
		RoutingDataSource routing = routing(pools, LoadBalance.ROUND_ROBIN, true, true);
		pools.get("replica-a").recordReplay(1_000, 0, 0, false);
		pools.get("replica-b").recordReplay(2_000, 0, 0, false);
		LastWriteLsn.set(1_500);
		for (int i = 0; i < 4; i++) {
			assertThat(from(routing.getConnection(Route.READ))).isEqualTo("replica-b");
		}
		// known positions suffice: no replica was asked
		assertThat(this.replicaB.queries()).isEmpty();
		// a thread that wrote nothing reads from any replica
		LastWriteLsn.clear();
		assertThat(List.of(from(routing.getConnection(Route.READ)), from(routing.getConnection(Route.READ))))
			.containsExactlyInAnyOrder("replica-a", "replica-b");
		// a position handed along on the route itself counts as well
		assertThat(from(routing.getConnection(Route.readAfter(1_500)))).isEqualTo("replica-b");
		assertThat(routing.getFallbacks()).isZero();
	}

	@Test
	void whenNoReplicaIsKnownToHaveReplayedTheCommitOneIsAskedAndTheWritePoolServesIfItHasNot() throws SQLException {
		PoolRegistry pools = registry("primary", write(this.primary), read(this.replicaA));
		RoutingDataSource routing = routing(pools, LoadBalance.ROUND_ROBIN, true, true);
		Pool replica = pools.get("replica-a");
		replica.recordReplay(1_000, 0, 0, false);
		LastWriteLsn.set(0x3000);
		// the monitor's position is old; the replica itself says it has replayed past the
		// commit
		this.replicaA.replayLsn("0/3100");
		Connection caughtUp = routing.getConnection(Route.READ);
		assertThat(from(caughtUp)).isEqualTo("replica-a");
		assertThat(caughtUp.isClosed()).isFalse();
		assertThat(this.replicaA.queries()).containsExactly("SELECT pg_last_wal_replay_lsn()::text");
		assertThat(replica.getReplayLsn()).isEqualTo(0x3100);
		// now known: the next read does not ask again
		assertThat(from(routing.getConnection(Route.READ))).isEqualTo("replica-a");
		assertThat(this.replicaA.queries()).hasSize(1);
		// behind the next commit: the connection it lent for asking is given back, the
		// write pool serves
		LastWriteLsn.set(0x5000);
		this.replicaA.replayLsn("0/4000");
		assertThat(from(routing.getConnection(Route.READ))).isEqualTo("primary");
		assertThat(this.replicaA.queries()).hasSize(2);
		assertThat(this.replicaA.lastConnection().isClosed()).isTrue();
		assertThat(replica.getReplayLsn()).isEqualTo(0x4000);
		assertThat(routing.getFallbacks()).isEqualTo(1);
		// promoted meanwhile (no replay position): it has everything it received
		this.replicaA.replayLsn(null);
		assertThat(from(routing.getConnection(Route.READ))).isEqualTo("replica-a");
	}

	@Test
	void withoutReadYourWritesTheThreadsLastCommitIsIgnoredButAnExplicitPositionIsNot() throws SQLException {
		PoolRegistry pools = registry("primary", write(this.primary), read(this.replicaA));
		RoutingDataSource routing = routing(pools, LoadBalance.ROUND_ROBIN, true, false);
		pools.get("replica-a").recordReplay(1_000, 0, 0, false);
		LastWriteLsn.set(5_000);
		assertThat(from(routing.getConnection(Route.READ))).isEqualTo("replica-a");
		assertThat(this.replicaA.queries()).isEmpty();
		this.replicaA.replayLsn("0/1000");
		assertThat(from(routing.getConnection(Route.readAfter(5_000)))).isEqualTo("primary");
		assertThat(routing.getFallbacks()).isEqualTo(1);
	}

	// ---- fakes

	private Pool write(FakeServer server) {
		return pool(server, PoolRole.WRITE);
	}

	private Pool read(FakeServer server) {
		return pool(server, PoolRole.READ);
	}

	private Pool pool(FakeServer server, PoolRole role) {
		Pool pool = new Pool(server.name, role, server, true);
		this.created.add(pool);
		return pool;
	}

	private static PoolRegistry registry(String defaultWritePool, Pool... pools) {
		return new PoolRegistry(List.of(pools), defaultWritePool);
	}

	private static RoutingDataSource routing(PoolRegistry pools, LoadBalance loadBalance, boolean fallbackToPrimary,
			boolean readYourWrites) {
		return new RoutingDataSource(pools, new ReplicaSelector(pools, loadBalance), fallbackToPrimary, readYourWrites);
	}

	/**
	 * Where a connection taken with {@code route} announced comes from, as in a
	 * transaction's begin.
	 */
	private static String announced(RoutingDataSource routing, Route route) {
		String[] servedBy = new String[1];
		RoutingDataSource.withRoute(route, () -> servedBy[0] = connect(routing));
		return servedBy[0];
	}

	private static String connect(RoutingDataSource routing) {
		try {
			return from(routing.getConnection());
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The name of the fake server a connection came from. */
	private static String from(Connection connection) {
		return ((FakeConnection) connection).server();
	}

	/** What every fake connection also is: a way to tell where it came from. */
	interface FakeConnection {

		String server();

	}

	/**
	 * A HikariCP pool that never starts: its connections are proxies that remember the
	 * server, answer the replay position query, and count what they were asked.
	 */
	static final class FakeServer extends HikariDataSource {

		final String name;

		private final AtomicInteger borrowed = new AtomicInteger();

		private final List<String> queries = new CopyOnWriteArrayList<>();

		private volatile SQLException failure;

		private volatile String replayLsn;

		private volatile int active;

		private volatile Connection lastConnection;

		FakeServer(String name) {
			this.name = name;
			setJdbcUrl("jdbc:postgresql://" + name + ".invalid:5432/test");
		}

		FakeServer failWith(SQLException failure) {
			this.failure = failure;
			return this;
		}

		void replayLsn(String lsn) {
			this.replayLsn = lsn;
		}

		void active(int connections) {
			this.active = connections;
		}

		int borrowed() {
			return this.borrowed.get();
		}

		List<String> queries() {
			return this.queries;
		}

		Connection lastConnection() {
			return this.lastConnection;
		}

		@Override
		public Connection getConnection() throws SQLException {
			SQLException failure = this.failure;
			if (failure != null) {
				throw failure;
			}
			this.borrowed.incrementAndGet();
			Connection connection = (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
					new Class<?>[] { Connection.class, FakeConnection.class }, new ConnectionHandler(this));
			this.lastConnection = connection;
			return connection;
		}

		@Override
		public HikariPoolMXBean getHikariPoolMXBean() {
			return (HikariPoolMXBean) Proxy.newProxyInstance(getClass().getClassLoader(),
					new Class<?>[] { HikariPoolMXBean.class }, (proxy, method, args) -> switch (method.getName()) {
						case "getActiveConnections" -> this.active;
						case "toString" -> "FakeServer[" + this.name + "] pool";
						default -> throw new UnsupportedOperationException(method.getName());
					});
		}

		@Override
		public String toString() {
			return "FakeServer[" + this.name + "]";
		}

	}

	private static final class ConnectionHandler implements InvocationHandler {

		private final FakeServer server;

		private volatile boolean closed;

		ConnectionHandler(FakeServer server) {
			this.server = server;
		}

		@Override
		public Object invoke(Object proxy, Method method, Object[] args) throws SQLException {
			return switch (method.getName()) {
				case "server" -> this.server.name;
				case "close", "abort" -> {
					this.closed = true;
					yield null;
				}
				case "isClosed" -> this.closed;
				case "createStatement" -> statement();
				case "equals" -> proxy == args[0];
				case "hashCode" -> System.identityHashCode(proxy);
				case "toString" -> "FakeConnection[" + this.server.name + "]";
				default -> throw new UnsupportedOperationException("Fake connection: " + method.getName());
			};
		}

		private Statement statement() throws SQLException {
			if (this.closed) {
				throw new SQLException("Connection is closed", "08003");
			}
			return (Statement) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { Statement.class },
					(proxy, method, args) -> switch (method.getName()) {
						case "executeQuery" -> answer((String) args[0]);
						case "close" -> null;
						case "toString" -> "FakeStatement[" + this.server.name + "]";
						default -> throw new UnsupportedOperationException("Fake statement: " + method.getName());
					});
		}

		private ResultSet answer(String sql) {
			this.server.queries.add(sql);
			if (!sql.contains("pg_last_wal_replay_lsn()")) {
				throw new UnsupportedOperationException("Fake server answers only the replay position, not " + sql);
			}
			String value = this.server.replayLsn;
			boolean[] read = { false };
			return (ResultSet) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { ResultSet.class },
					(proxy, method, args) -> switch (method.getName()) {
						case "next" -> {
							boolean first = !read[0];
							read[0] = true;
							yield first;
						}
						case "getString" -> value;
						case "close" -> null;
						case "toString" -> "FakeResultSet[" + value + "]";
						default -> throw new UnsupportedOperationException("Fake result: " + method.getName());
					});
		}

	}

}
