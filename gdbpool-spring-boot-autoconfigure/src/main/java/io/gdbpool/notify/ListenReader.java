package io.gdbpool.notify;

import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.gdbpool.support.SafeUrl;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGNotification;

/**
 * The reader thread and the {@link ListenConnection} it alone touches (pgjdbc connections
 * are not thread-safe). It polls the connection and hands each notification to its
 * channel's {@link ChannelQueue} ({@link ReadDispatcher}); between two short polls it
 * brings the LISTENs in line with the wanted channels when a {@link ListenSync} asks; it
 * pings the connection ({@link Liveness}), so a dead or half-open one is noticed within
 * the liveness interval; and it replaces a lost connection as soon as the server accepts
 * connections again (a {@link Reconnection}), LISTENs every channel again and publishes a
 * {@link PgListenerReconnectedEvent}.
 */
final class ListenReader {

	// under the container's name, where these messages have always been logged
	private static final Log logger = LogFactory.getLog(PgListenerContainer.class);

	/**
	 * How long the reader waits for notifications before it looks at subscription
	 * changes.
	 */
	private static final int POLL_MILLIS = 50;

	/** A connection lost sooner than this after it was made is not replaced at once. */
	private static final long SHORT_LIVED_NANOS = TimeUnit.SECONDS.toNanos(1);

	private final String url;

	private final String safeUrl;

	private final Properties connectionProperties;

	private final PgListenerProperties properties;

	private final Channels channels;

	private final ListenSync sync;

	private final ListenerEvents events;

	private final Executor executor;

	private final ReadDispatcher dispatcher;

	private final LongAdder reconnects = new LongAdder();

	private volatile boolean connected;

	private volatile int backendPid;

	/** When the connection was lost, {@code 0} while connected. */
	private volatile long lostAtNanos;

	private volatile @Nullable Thread thread;

	private volatile @Nullable StopSignal stopSignal;

	/** Why the connection must not be opened at all, if it must not. */
	private volatile @Nullable String refusal;

	/**
	 * @param connectionProperties the pool's driver properties, credentials included
	 * @param executor runs the reconnected event's listeners
	 */
	ListenReader(String url, Properties connectionProperties, PgListenerProperties properties, Channels channels,
			ListenSync sync, ListenerEvents events, Executor executor) {
		this.url = url;
		this.safeUrl = SafeUrl.of(url);
		this.connectionProperties = connectionProperties;
		this.properties = properties;
		this.channels = channels;
		this.sync = sync;
		this.events = events;
		this.executor = executor;
		this.dispatcher = new ReadDispatcher(channels);
	}

	/**
	 * Makes {@link #start()} fail, e.g. because the url is known to go through a
	 * transaction pooler where LISTEN cannot work.
	 * @param reason why, for the start-up failure
	 */
	void refuse(String reason) {
		this.refusal = reason;
	}

	/**
	 * Opens the connection, LISTENs to every wanted channel and starts the reader thread
	 * on it.
	 * @throws PgListenerStartupException if the server cannot serve LISTEN, or it was
	 * refused
	 */
	void start() {
		String refused = this.refusal;
		if (refused != null) {
			throw new PgListenerStartupException(PgListenerStartupException.Problem.NOT_LISTENING, this.safeUrl,
					refused, null);
		}
		Set<String> listened = this.channels.wanted();
		ListenConnection connection = null;
		try {
			connection = ListenConnection.open(this.url, driverProperties());
			connection.listen(listened);
		}
		catch (SQLException ex) {
			if (connection != null) {
				connection.close();
			}
			throw new PgListenerStartupException(PgListenerStartupException.Problem.CONNECTION, this.safeUrl,
					"The LISTEN connection to " + this.safeUrl + " could not be opened: " + ex.getMessage(), ex);
		}
		catch (RuntimeException ex) {
			if (connection != null) {
				connection.close();
			}
			throw ex;
		}
		ListenConnection opened = connection;
		ServerReachability reachability = ServerReachability.of(this.url, this.connectionProperties,
				Reconnection.CHECK_TIMEOUT_MILLIS);
		StopSignal stop = new StopSignal();
		this.stopSignal = stop;
		this.backendPid = opened.backendPid();
		this.connected = true;
		Thread reader = new Thread(() -> read(opened, listened, stop, reachability), "gdbpool-listener");
		reader.setDaemon(true);
		this.thread = reader;
		reader.start();
		logger.debug("Listening to " + listened.size() + " channels on " + this.safeUrl);
	}

	/**
	 * Ends the reader thread and waits for it: it UNLISTENs, hands on what the driver had
	 * already read, and closes the connection.
	 */
	void stop(long timeoutMillis) {
		StopSignal stop = this.stopSignal;
		if (stop != null) {
			stop.fire();
		}
		Thread reader = this.thread;
		try {
			if (reader != null) {
				reader.join(timeoutMillis);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.thread = null;
		this.connected = false;
	}

	boolean isConnected() {
		return this.connected;
	}

	boolean isReaderThread() {
		return Thread.currentThread() == this.thread;
	}

	int backendPid() {
		return this.backendPid;
	}

	long reconnects() {
		return this.reconnects.sum();
	}

	Duration downtime() {
		long lostAt = this.lostAtNanos;
		return (lostAt != 0 && !this.connected) ? Duration.ofNanos(System.nanoTime() - lostAt) : Duration.ZERO;
	}

	// --- the reader thread ---

	private void read(ListenConnection first, Set<String> firstListened, StopSignal stop,
			ServerReachability reachability) {
		ListenConnection connection = first;
		Set<String> listened = firstListened;
		long connectedAt = System.nanoTime();
		while (!stop.fired()) {
			try {
				readUntilStoppedOrLost(connection, listened, stop);
			}
			catch (Exception ex) {
				connection.close();
				if (stop.fired()) {
					return;
				}
				Set<String> relistened = new LinkedHashSet<>();
				ListenConnection replaced = reconnect(ex, connectedAt, stop, reachability, relistened);
				if (replaced == null) {
					return;
				}
				connection = replaced;
				listened = relistened;
				connectedAt = System.nanoTime();
			}
		}
		shutDown(connection);
	}

	private void readUntilStoppedOrLost(ListenConnection connection, Set<String> listened, StopSignal stop)
			throws SQLException {
		Duration interval = this.properties.getLivenessInterval();
		Liveness liveness = new Liveness(interval, System.nanoTime());
		String livenessChannel = connection.livenessChannel();
		while (!stop.fired()) {
			if (this.sync.requested()) {
				this.sync.run(() -> listenToWanted(connection, listened));
			}
			PGNotification[] batch = connection.poll(POLL_MILLIS);
			if (batch != null && this.dispatcher.dispatch(batch, livenessChannel)) {
				liveness.echoed();
			}
			long now = System.nanoTime();
			if (liveness.overdue(now)) {
				throw new SQLException("No liveness echo within " + interval);
			}
			if (liveness.pingDue(now)) {
				connection.ping();
				liveness.pinged(now);
			}
		}
	}

	/**
	 * Makes the connection's LISTENs match the wanted channels.
	 * @param listened what the connection listens to, kept up to date
	 */
	private void listenToWanted(ListenConnection connection, Set<String> listened) throws SQLException {
		Set<String> wanted = this.channels.wanted();
		List<String> toUnlisten = listened.stream().filter((channel) -> !wanted.contains(channel)).toList();
		List<String> toListen = wanted.stream().filter((channel) -> !listened.contains(channel)).toList();
		connection.unlisten(toUnlisten);
		toUnlisten.forEach(listened::remove);
		connection.listen(toListen);
		listened.addAll(toListen);
	}

	/**
	 * Replaces a lost connection, however long it takes.
	 * @param listened filled with the channels listened to on the new connection
	 * @return the new connection, or {@code null} once stopped
	 */
	private @Nullable ListenConnection reconnect(Exception cause, long connectedAt, StopSignal stop,
			ServerReachability reachability, Set<String> listened) {
		long lostAt = System.nanoTime();
		this.lostAtNanos = lostAt;
		this.connected = false;
		this.backendPid = 0;
		logger.warn("LISTEN connection to " + this.safeUrl + " lost (" + cause.getMessage()
				+ "); reconnecting. Notifications sent until it is back are lost", cause);
		Reconnection reconnection = new Reconnection(this.safeUrl, reachability,
				this.properties.getReconnectMaxBackoff(), stop, lostAt, cause.getMessage());
		ListenConnection connection = reconnection.connect(() -> openListeningToAll(listened),
				lostAt - connectedAt < SHORT_LIVED_NANOS);
		if (connection == null) {
			return null;
		}
		this.backendPid = connection.backendPid();
		this.connected = true;
		this.reconnects.increment();
		this.lostAtNanos = 0;
		PgListenerReconnectedEvent reconnected = reconnection.reconnected(this.events.source(), listened);
		logger.info("LISTEN connection to " + this.safeUrl + " is back after " + reconnected.downtime() + " ("
				+ reconnected.attempts() + " attempts); listening to " + listened.size() + " channels again");
		this.events.reconnected(reconnected, this.executor);
		return connection;
	}

	/**
	 * One full reconnection attempt: connects and LISTENs to every wanted channel, which
	 * also answers whoever asked for a LISTEN meanwhile.
	 * @param listened filled with the channels listened to on the new connection
	 */
	private ListenConnection openListeningToAll(Set<String> listened) throws SQLException {
		ListenConnection connection = ListenConnection.open(this.url, driverProperties());
		try {
			this.sync.run(() -> {
				Set<String> wanted = this.channels.wanted();
				connection.listen(wanted);
				listened.addAll(wanted);
			});
		}
		catch (SQLException | RuntimeException ex) {
			connection.close();
			throw ex;
		}
		return connection;
	}

	/**
	 * On stop: stop listening, hand on what the driver already read, close.
	 */
	private void shutDown(ListenConnection connection) {
		try {
			connection.unlistenAll();
			PGNotification[] rest = connection.poll(-1);
			if (rest != null) {
				this.dispatcher.dispatch(rest, connection.livenessChannel());
			}
		}
		catch (SQLException | RuntimeException ex) {
			logger.debug("UNLISTEN on shutdown failed", ex);
		}
		finally {
			connection.close();
		}
	}

	// read on each connection: the liveness interval may have changed since the last one
	private Properties driverProperties() {
		return ListenConnection.driverProperties(this.connectionProperties, this.properties.getLivenessInterval());
	}

}
