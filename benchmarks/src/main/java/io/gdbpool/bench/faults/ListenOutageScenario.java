package io.gdbpool.bench.faults;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;

import io.gdbpool.notify.PgNotificationListener;
import io.gdbpool.notify.Subscription;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Scenario 5: the LISTEN connection's server goes away for a while (the scratch primary
 * stopped, then rebuilt and promoted on the same port). How soon after the server is back
 * does the listener listen again, and what happens to notifications sent in between.
 */
final class ListenOutageScenario {

	static final int ID = 5;

	static final String TITLE = "5. LISTEN after an outage";

	private static final String CHANNEL = "fault_listen";

	private static final int BURST = 50;

	private static final long BOUND_MILLIS = 30_000;

	private ListenOutageScenario() {
	}

	static void run(ScratchCluster cluster, FaultSettings s, FaultReport report) throws Exception {
		ScratchServer primary = cluster.primary();
		try (ConfigurableApplicationContext context = FaultApp
			.start(new FaultApp.Pools().write("main", primary.url()))) {
			PgNotificationListener listener = context.getBean(PgNotificationListener.class);
			ReconnectRecorder reconnects = context.getBean(ReconnectRecorder.class);
			Map<String, Long> arrived = new ConcurrentHashMap<>();
			Subscription subscription = listener.subscribe(CHANNEL,
					(n) -> arrived.putIfAbsent(n.payload(), System.nanoTime()));
			try {
				Sql.execute(primary.port, "SELECT pg_notify('" + CHANNEL + "', 'before')");
				if (Double.isNaN(Millis.await(System.nanoTime(), 10_000, 5, () -> arrived.containsKey("before")))) {
					throw new IllegalStateException("a notification sent before the outage did not arrive within 10 s");
				}
				arrived.clear();
				measure(cluster, listener, reconnects, arrived, s, report);
			}
			finally {
				subscription.cancel();
			}
		}
		report
			.note(ID, "Setup: one write pool `main` on the scratch primary, default listener settings; the channel is "
					+ "subscribed at run time with `PgNotificationListener.subscribe` (no `@PgListen`), and a first "
					+ "notification is seen arriving.");
		report.note(ID, "Method: the scratch primary is stopped (`replica.sh stop`, time 0) and rebuilt "
				+ s.listenOutageMillis()
				+ " ms later on the same port (fresh base backup, started as a standby, `pg_promote`). The harness polls "
				+ "the port every 10 ms with a TCP connect and `SELECT 1`: the first answer is \"the server accepts "
				+ "connections\". It answers as a standby first, which refuses LISTEN and NOTIFY, until the harness's "
				+ "`pg_promote` completes (\"promoted\"). A thread polls `isConnected()` every 2 ms.");
		report.note(ID, "Right when the server accepts, a harness thread sends " + BURST + " notifications (`SELECT "
				+ "pg_notify`, one per transaction, each retried until the server takes it, i.e. from promotion on) and "
				+ "records each commit time; a notification \"committed before the listener was back\" committed "
				+ "before `isConnected()` turned true. PostgreSQL does not keep notifications for a session that is not "
				+ "listening, so those are lost by design; any lost among the later ones would be a bug.");
		report.note(ID,
				"A MISS on the reconnect times means a listener stays deaf longer than a second after its server "
						+ "is back, losing whatever is notified meanwhile.");
	}

	private static void measure(ScratchCluster cluster, PgNotificationListener listener, ReconnectRecorder reconnects,
			Map<String, Long> arrived, FaultSettings s, FaultReport report) throws Exception {
		String fault = "5. LISTEN server away " + s.listenOutageMillis() / 1000 + " s (stop, rebuild, promote)";
		ScratchServer primary = cluster.primary();
		AtomicLong acceptedAt = new AtomicLong();
		AtomicLong promotedAt = new AtomicLong();
		NotificationBurst burst = new NotificationBurst(primary.port, CHANNEL, BURST,
				BOUND_MILLIS + s.listenOutageMillis());
		ExecutorService watchers = Threads.daemons("listen-watch", 2);
		long t0;
		long lostAt;
		long connectedAt;
		String timeline;
		try (StateTimeline connection = new StateTimeline("listener", listener::isConnected, 2)) {
			// its first poll before the fault, so the timeline shows only what the fault
			// changed
			Millis.await(System.nanoTime(), 5_000, 1, () -> connection.lastChangeAt() != 0);
			t0 = System.nanoTime();
			primary.stop();
			long stopped = System.nanoTime();
			watchers.execute(() -> {
				// the old server is gone: the first answer now is the new one
				double accepted = Millis.await(stopped, BOUND_MILLIS + s.listenOutageMillis(), 10,
						() -> Sql.answers(primary.port));
				if (Double.isNaN(accepted)) {
					return;
				}
				acceptedAt.set(System.nanoTime());
				watchers.execute(burst);
				Millis.await(System.nanoTime(), BOUND_MILLIS, 5, () -> Sql.isPrimary(primary.port));
				promotedAt.set(System.nanoTime());
			});
			Millis.sleep(Math.max(0, s.listenOutageMillis() - (long) Millis.since(t0)));
			cluster.rebuildPrimary();
			Millis.await(System.nanoTime(), BOUND_MILLIS, 5, () -> connection.firstChangeTo(true, t0) != 0
					&& reconnects.firstSince(t0) != null && burst.lastCommit() != 0);
			// stragglers: handlers run on their own threads
			Millis.sleep(1_000);
			lostAt = connection.firstChangeTo(false, t0);
			connectedAt = (lostAt == 0) ? 0 : connection.firstChangeTo(true, lostAt);
			timeline = connection.describeSince(t0, "connected", "disconnected");
		}
		finally {
			Threads.stop(watchers, BOUND_MILLIS, "listener watchers");
		}
		ReconnectRecorder.Received event = reconnects.firstSince(t0);
		double lost = (lostAt == 0) ? Double.NaN : Millis.between(t0, lostAt);
		double accepted = (acceptedAt.get() == 0) ? Double.NaN : Millis.between(t0, acceptedAt.get());
		double promoted = (promotedAt.get() == 0 || acceptedAt.get() == 0) ? Double.NaN
				: Millis.between(acceptedAt.get(), promotedAt.get());
		double connected = (connectedAt == 0 || acceptedAt.get() == 0) ? Double.NaN
				: Millis.between(acceptedAt.get(), connectedAt);
		double eventAfter = (event == null || acceptedAt.get() == 0) ? Double.NaN
				: Millis.between(acceptedAt.get(), event.atNanos());
		double connectedAfterPromotion = (connectedAt == 0 || promotedAt.get() == 0) ? Double.NaN
				: Millis.between(promotedAt.get(), connectedAt);
		int committed = 0;
		int beforeBack = 0;
		int arrivedBefore = 0;
		int arrivedAfter = 0;
		for (int i = 0; i < burst.count(); i++) {
			long at = burst.committedAt(i);
			if (at == 0) {
				continue;
			}
			committed++;
			boolean before = connectedAt == 0 || at - connectedAt < 0;
			boolean got = arrived.containsKey(Integer.toString(i));
			if (before) {
				beforeBack++;
				arrivedBefore += got ? 1 : 0;
			}
			else {
				arrivedAfter += got ? 1 : 0;
			}
		}
		int afterBack = committed - beforeBack;
		Progress
			.line(String.format("  lost noticed %s after the stop; server accepted %.0f ms after the stop, promoted %s "
					+ "later; isConnected %s and event %s after accepting; burst: %d committed, %d before the listener was back "
					+ "(%d arrived), %d after (%d arrived)", Millis.format(lost, BOUND_MILLIS), accepted,
					Millis.format(promoted, BOUND_MILLIS), Millis.format(connected, BOUND_MILLIS),
					Millis.format(eventAfter, BOUND_MILLIS), committed, beforeBack, arrivedBefore, afterBack,
					arrivedAfter));
		report.row(ID, fault, "server accepts (TCP + `SELECT 1`) → `isConnected()`",
				Millis.format(connected, BOUND_MILLIS), "≤ 1 s", FaultReport.atMost(connected, 1_000));
		report.row(ID, fault, "server accepts → `PgListenerReconnectedEvent`", Millis.format(eventAfter, BOUND_MILLIS),
				"≤ 1 s", FaultReport.atMost(eventAfter, 1_000));
		report.report(ID, fault, "server accepts → promoted (harness's `pg_promote`); promoted → `isConnected()`",
				Millis.format(promoted, BOUND_MILLIS) + "; " + Millis.format(connectedAfterPromotion, BOUND_MILLIS));
		report.report(ID, fault, BURST + " notifications sent from the moment the server accepts",
				String.format("%d committed: %d before the listener was back (%d arrived), %d after (%d arrived)",
						committed, beforeBack, arrivedBefore, afterBack, arrivedAfter));
		report.report(ID, fault, "reconnected event's `downtime()`; stop → `isConnected()` measured",
				((event == null) ? "no event" : event.downtime().toMillis() + " ms") + "; "
						+ ((connectedAt == 0) ? "never" : Millis.format(Millis.between(t0, connectedAt), 0)));
		report.report(ID, fault, "stop → `isConnected()` false (loss noticed)", Millis.format(lost, BOUND_MILLIS));
		report.note(ID, "Listener state after the stop: " + timeline + ".");
		if (committed < BURST) {
			report.note(ID, "Only " + committed + " of " + BURST + " notifications committed; last error: "
					+ burst.lastError());
		}
	}

}
