package io.gdbpool.notify;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.postgresql.PGNotification;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationEventPublisherAware;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.util.Assert;

/**
 * Owns the LISTEN connection and the threads around it: one reader thread reads notifications
 * and hands each to its channel's {@link ChannelQueue}; handlers run on an executor, each channel
 * in delivery order and independently of the others.
 * <p>
 * The reader thread alone touches the connection (pgjdbc connections are not thread-safe):
 * subscribing and cancelling only change the wanted set of channels and ask the reader to
 * LISTEN/UNLISTEN between two short polls. The reader also pings the connection through a private
 * channel, so a dead or half-open connection is noticed within the liveness interval, and then
 * reconnects as soon as the server accepts connections again (a {@link Reconnection}), LISTENs
 * every channel again and publishes a {@link PgListenerReconnectedEvent}.
 * <p>
 * Starts during context refresh ({@link SmartLifecycle}); a server that cannot serve LISTEN fails
 * the start with a {@link PgListenerStartupException}.
 */
public class PgListenerContainer implements PgNotificationListener, SmartLifecycle, ApplicationEventPublisherAware {

	private static final Log logger = LogFactory.getLog(PgListenerContainer.class);

	/** How long the reader waits for notifications before it looks at subscription changes. */
	private static final int POLL_MILLIS = 50;

	/** How long stop() waits for handlers to finish what was already read. */
	private static final long SHUTDOWN_MILLIS = 10_000;

	/** How long subscribe() and cancel() wait for the reader to LISTEN or UNLISTEN. */
	private static final long SYNC_MILLIS = 30_000;

	/** A connection lost sooner than this after it was made is not replaced at once. */
	private static final long SHORT_LIVED_NANOS = TimeUnit.SECONDS.toNanos(1);

	/** Bounds of the driver's connect and login timeouts, in seconds. */
	private static final long MIN_CONNECT_SECONDS = 2;

	private static final long MAX_CONNECT_SECONDS = 5;

	private final String url;

	private final Properties connectionProperties;

	private Executor handlerExecutor;

	private ExecutorService ownExecutor;

	private ApplicationEventPublisher publisher;

	private Duration livenessInterval = Duration.ofSeconds(5);

	private Duration reconnectMaxBackoff = Duration.ofSeconds(30);

	private int maxPending = 10_000;

	/** Channels listened to for the configuration, kept without subscribers. */
	private final Set<String> fixedChannels = ConcurrentHashMap.newKeySet();

	/** The wanted channels: the reader makes the connection's LISTENs match these keys. */
	private final ConcurrentHashMap<String, ChannelQueue> queues = new ConcurrentHashMap<>();

	private final ConcurrentHashMap<String, ChannelCounters> counters = new ConcurrentHashMap<>();

	private final Object subscriptionLock = new Object();

	private final Object lifecycleLock = new Object();

	private final AtomicBoolean syncRequested = new AtomicBoolean();

	private final ConcurrentLinkedQueue<CompletableFuture<Void>> syncWaiters = new ConcurrentLinkedQueue<>();

	private final LongAdder reconnects = new LongAdder();

	private volatile boolean running;

	private volatile boolean connected;

	private volatile String refusal;

	private volatile boolean notificationEvents = true;

	/** When the connection was lost, {@code 0} while connected. */
	private volatile long lostAtNanos;

	/** Started without channels: the connection opens with the first one. */
	private volatile boolean deferred;

	private volatile int backendPid;

	/** Reader thread only: driver reads so far, for {@link ChannelQueue}'s overflow rule. */
	private long reads;

	/** Reader thread only: the queues the current read added to. */
	private final List<ChannelQueue> touched = new ArrayList<>();

	private volatile Thread reader;

	/** Whether the server accepts TCP connections; made with the reader. */
	private ServerReachability reachability;

	private volatile CountDownLatch stopSignal = new CountDownLatch(0);

	/**
	 * @param url JDBC url of the primary
	 * @param connectionProperties driver properties, credentials included; the listener adds its
	 * application name, TCP keep-alive and timeouts
	 */
	public PgListenerContainer(String url, Properties connectionProperties) {
		Assert.hasText(url, "url must not be empty");
		this.url = url;
		this.connectionProperties = new Properties();
		this.connectionProperties.putAll(connectionProperties);
	}

	/**
	 * @param executor runs the handlers; when unset, the container uses a bounded pool of its own
	 * and shuts it down on stop
	 */
	public void setHandlerExecutor(Executor executor) {
		this.handlerExecutor = executor;
	}

	@Override
	public void setApplicationEventPublisher(ApplicationEventPublisher publisher) {
		this.publisher = publisher;
	}

	/**
	 * @param livenessInterval a silent dead connection is noticed within this interval
	 */
	public void setLivenessInterval(Duration livenessInterval) {
		Assert.isTrue(livenessInterval.toMillis() >= 300, "livenessInterval must be at least 300ms");
		this.livenessInterval = livenessInterval;
	}

	/**
	 * @param reconnectMaxBackoff upper bound of the pause between reconnection attempts that the
	 * server refused (credentials, database, privileges). A server that is down or still starting
	 * is checked every 250 ms and tried at most half a second apart (or this long, if shorter), so
	 * the listener is back within about a second of it accepting connections again
	 */
	public void setReconnectMaxBackoff(Duration reconnectMaxBackoff) {
		Assert.isTrue(reconnectMaxBackoff.toMillis() > 0, "reconnectMaxBackoff must be positive");
		this.reconnectMaxBackoff = reconnectMaxBackoff;
	}

	/**
	 * @param maxPending notifications queued per channel at most; the excess is dropped and reported
	 */
	public void setMaxPending(int maxPending) {
		Assert.isTrue(maxPending > 0, "maxPending must be positive");
		this.maxPending = maxPending;
	}

	/**
	 * Listens to channels that have no subscriber, so their notifications reach
	 * {@code @EventListener} methods as {@link PgNotificationEvent}s.
	 * @param channels channel names
	 */
	public void addChannels(Collection<String> channels) {
		boolean added = false;
		synchronized (this.subscriptionLock) {
			for (String channel : channels) {
				ChannelNames.requireValid(channel);
				this.fixedChannels.add(channel);
				added |= createQueueIfAbsent(channel);
			}
		}
		if (added) {
			startIfDeferred();
			awaitSync();
		}
	}

	@Override
	public Subscription subscribe(String channel, Consumer<PgNotification> handler) {
		ChannelNames.requireValid(channel);
		Assert.notNull(handler, "handler must not be null");
		ChannelQueue.Subscriber subscriber = new ChannelQueue.Subscriber(handler);
		boolean added;
		synchronized (this.subscriptionLock) {
			added = createQueueIfAbsent(channel);
			this.queues.get(channel).add(subscriber);
		}
		if (added) {
			startIfDeferred();
			awaitSync();
		}
		return new ChannelSubscription(channel, subscriber);
	}

	@Override
	public boolean isConnected() {
		return this.connected;
	}

	@Override
	public Set<String> channels() {
		return Collections.unmodifiableSet(new LinkedHashSet<>(this.queues.keySet()));
	}

	/**
	 * @param channel a channel
	 * @return notifications read on it since start-up, dropped ones included
	 */
	public long getReceived(String channel) {
		ChannelCounters c = this.counters.get(channel);
		return (c != null) ? c.received.sum() : 0;
	}

	/**
	 * @param channel a channel
	 * @return handler invocations on it that threw
	 */
	public long getHandlerFailures(String channel) {
		ChannelCounters c = this.counters.get(channel);
		return (c != null) ? c.handlerFailures.sum() : 0;
	}

	/**
	 * @param channel a channel
	 * @return notifications on it dropped because its handlers fell behind
	 */
	public long getDropped(String channel) {
		ChannelCounters c = this.counters.get(channel);
		return (c != null) ? c.dropped.sum() : 0;
	}

	/**
	 * @param channel a channel
	 * @return notifications handed to its handlers so far
	 */
	public long getHandled(String channel) {
		ChannelCounters c = this.counters.get(channel);
		return (c != null) ? c.handled.sum() : 0;
	}

	/**
	 * @param channel a channel
	 * @return time its handlers (and event listeners) took so far, in nanoseconds
	 */
	public long getHandlerNanos(String channel) {
		ChannelCounters c = this.counters.get(channel);
		return (c != null) ? c.handlerNanos.sum() : 0;
	}

	/**
	 * @return every channel that has counts, current or past
	 */
	public Set<String> getCountedChannels() {
		return Collections.unmodifiableSet(new HashSet<>(this.counters.keySet()));
	}

	/**
	 * @return the server process of the current LISTEN connection ({@code pg_stat_activity.pid}),
	 * 0 when none
	 */
	public int backendPid() {
		return this.backendPid;
	}

	/**
	 * @return how long the LISTEN connection has been down, {@link Duration#ZERO} while it is up
	 * (or not needed yet)
	 */
	public Duration getDowntime() {
		long lostAt = this.lostAtNanos;
		return (lostAt != 0 && !this.connected) ? Duration.ofNanos(System.nanoTime() - lostAt) : Duration.ZERO;
	}

	/**
	 * @return whether the container runs but has not needed a connection yet (no channel so far)
	 */
	public boolean isIdle() {
		return this.running && this.deferred;
	}

	/**
	 * @return how often the connection was lost and re-established
	 */
	public long getReconnects() {
		return this.reconnects.sum();
	}

	@Override
	public void start() {
		synchronized (this.lifecycleLock) {
			if (this.running) {
				return;
			}
			if (this.handlerExecutor == null) {
				this.ownExecutor = boundedPool();
				this.handlerExecutor = this.ownExecutor;
			}
			if (this.queues.isEmpty()) {
				// nothing to listen to yet: an application that never subscribes holds no
				// connection, and a url that cannot serve LISTEN only matters once it is used
				this.running = true;
				this.deferred = true;
				return;
			}
			try {
				openAndStartReader();
			}
			catch (RuntimeException ex) {
				shutDownOwnExecutor();
				throw ex;
			}
			this.running = true;
		}
	}

	/** Opens the connection on the first channel when {@link #start()} found none. */
	private void startIfDeferred() {
		synchronized (this.lifecycleLock) {
			if (this.running && this.deferred) {
				openAndStartReader();
				this.deferred = false;
			}
		}
	}

	/**
	 * Whether every notification is also published as a {@link PgNotificationEvent} (default
	 * true). The auto-configuration turns it off when no listener in the context could receive
	 * one, which spares the event's construction and multicasting on every notification.
	 * @param publish whether to publish them
	 */
	public void setPublishNotificationEvents(boolean publish) {
		this.notificationEvents = publish;
	}

	public boolean isPublishingNotificationEvents() {
		return this.notificationEvents;
	}

	/**
	 * Makes the container refuse to connect, e.g. because the url is known to go through a
	 * transaction pooler where LISTEN cannot work.
	 * @param reason why, for the start-up failure
	 */
	public void refuseToConnect(String reason) {
		this.refusal = reason;
	}

	// called holding the lifecycle lock
	private void openAndStartReader() {
		if (this.refusal != null) {
			throw new PgListenerStartupException(PgListenerStartupException.Problem.NOT_LISTENING,
					ListenConnection.safeUrl(this.url), this.refusal, null);
		}
		ListenConnection connection = null;
		Set<String> channels = new LinkedHashSet<>(this.queues.keySet());
		try {
			connection = ListenConnection.open(this.url, driverProperties());
			connection.listen(channels, this.url);
		}
		catch (SQLException ex) {
			if (connection != null) {
				connection.close();
			}
			throw new PgListenerStartupException(PgListenerStartupException.Problem.CONNECTION,
					ListenConnection.safeUrl(this.url), "The LISTEN connection to " + ListenConnection.safeUrl(this.url)
							+ " could not be opened: " + ex.getMessage(),
					ex);
		}
		catch (RuntimeException ex) {
			if (connection != null) {
				connection.close();
			}
			throw ex;
		}
		ListenConnection opened = connection;
		this.reachability = ServerReachability.of(this.url, this.connectionProperties, Reconnection.CHECK_TIMEOUT_MILLIS);
		this.stopSignal = new CountDownLatch(1);
		this.backendPid = opened.backendPid();
		this.running = true;
		this.connected = true;
		Thread thread = new Thread(() -> read(opened, channels), "gdbpool-listener");
		thread.setDaemon(true);
		this.reader = thread;
		thread.start();
		logger.debug("Listening to " + channels.size() + " channels on " + ListenConnection.safeUrl(this.url));
	}

	@Override
	public void stop() {
		synchronized (this.lifecycleLock) {
			if (!this.running) {
				return;
			}
			this.running = false;
			this.deferred = false;
			this.stopSignal.countDown();
			Thread thread = this.reader;
			try {
				if (thread != null) {
					thread.join(SHUTDOWN_MILLIS);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.reader = null;
			this.connected = false;
			awaitDrained();
			this.queues.values().forEach(ChannelQueue::reportDrops);
			shutDownOwnExecutor();
			completeSyncWaiters();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public String toString() {
		return "PgListenerContainer[url=" + ListenConnection.safeUrl(this.url) + ", channels=" + this.queues.keySet()
				+ ", connected=" + this.connected + "]";
	}

	// --- the reader thread ---

	private void read(ListenConnection first, Set<String> firstListened) {
		ListenConnection connection = first;
		Set<String> listened = firstListened;
		long connectedAt = System.nanoTime();
		while (this.running) {
			try {
				readUntilStoppedOrLost(connection, listened);
			}
			catch (Exception ex) {
				connection.close();
				connection = null;
				if (!this.running) {
					break;
				}
				long lostAt = System.nanoTime();
				this.lostAtNanos = lostAt;
				this.connected = false;
				this.backendPid = 0;
				logger.warn("LISTEN connection to " + ListenConnection.safeUrl(this.url) + " lost (" + ex.getMessage()
						+ "); reconnecting. Notifications sent until it is back are lost", ex);
				Reconnection reconnection = new Reconnection(ListenConnection.safeUrl(this.url), this.reachability,
						this.reconnectMaxBackoff, this.stopSignal, lostAt, ex.getMessage());
				Set<String> relistened = new LinkedHashSet<>();
				connection = reconnection.connect(() -> openListeningToAll(relistened),
						lostAt - connectedAt < SHORT_LIVED_NANOS);
				if (connection == null) {
					return;
				}
				listened = relistened;
				connectedAt = System.nanoTime();
				this.backendPid = connection.backendPid();
				this.connected = true;
				this.reconnects.increment();
				this.lostAtNanos = 0;
				PgListenerReconnectedEvent reconnected = reconnection.reconnected(this, listened);
				logger.info("LISTEN connection to " + ListenConnection.safeUrl(this.url) + " is back after "
						+ reconnected.downtime() + " (" + reconnected.attempts() + " attempts); listening to "
						+ listened.size() + " channels again");
				publishAsync(reconnected);
			}
		}
		shutDown(connection);
	}

	private void readUntilStoppedOrLost(ListenConnection connection, Set<String> listened) throws SQLException {
		long livenessNanos = this.livenessInterval.toNanos();
		// a ping every third of the interval, each allowed the socket timeout (two thirds) to answer
		long pingEvery = livenessNanos / 3;
		long nextPing = System.nanoTime() + pingEvery;
		long echoDue = Long.MAX_VALUE;
		String livenessChannel = connection.livenessChannel();
		while (this.running) {
			if (this.syncRequested.getAndSet(false)) {
				synchronize(connection, listened);
			}
			PGNotification[] batch = connection.poll(POLL_MILLIS);
			if (batch != null && dispatch(batch, livenessChannel)) {
				echoDue = Long.MAX_VALUE;
			}
			long now = System.nanoTime();
			if (now - echoDue > 0) {
				throw new SQLException("No liveness echo within " + this.livenessInterval);
			}
			if (now - nextPing >= 0) {
				connection.ping();
				if (echoDue == Long.MAX_VALUE) {
					echoDue = now + livenessNanos;
				}
				nextPing = now + pingEvery;
			}
		}
	}

	/**
	 * Hands notifications to their channels' queues: the hot path, one map look-up per
	 * notification and one lock-free offer per channel and read.
	 * @return whether the liveness echo was among them
	 */
	private boolean dispatch(PGNotification[] batch, String livenessChannel) {
		Instant receivedAt = Instant.now();
		long read = ++this.reads;
		boolean echo = false;
		List<ChannelQueue> touched = this.touched;
		for (PGNotification notification : batch) {
			String channel = notification.getName();
			ChannelQueue queue = this.queues.get(channel);
			if (queue != null) {
				if (queue.collect(new PgNotification(channel, notification.getParameter(), notification.getPID(),
						receivedAt), read)) {
					touched.add(queue);
				}
			}
			else if (channel.equals(livenessChannel)) {
				echo = true;
			}
		}
		for (int i = 0; i < touched.size(); i++) {
			touched.get(i).flush();
		}
		touched.clear();
		return echo;
	}

	/**
	 * Makes the connection's LISTENs match the wanted channels, then releases whoever waited for it.
	 */
	private void synchronize(ListenConnection connection, Set<String> listened) throws SQLException {
		List<CompletableFuture<Void>> waiters = new ArrayList<>();
		for (CompletableFuture<Void> waiter; (waiter = this.syncWaiters.poll()) != null;) {
			waiters.add(waiter);
		}
		Set<String> wanted = new LinkedHashSet<>(this.queues.keySet());
		List<String> toUnlisten = new ArrayList<>();
		for (String channel : listened) {
			if (!wanted.contains(channel)) {
				toUnlisten.add(channel);
			}
		}
		List<String> toListen = new ArrayList<>();
		for (String channel : wanted) {
			if (!listened.contains(channel)) {
				toListen.add(channel);
			}
		}
		try {
			connection.unlisten(toUnlisten);
			toUnlisten.forEach(listened::remove);
			connection.listen(toListen, this.url);
			listened.addAll(toListen);
		}
		catch (SQLException | RuntimeException ex) {
			// the connection is about to be replaced; the reconnect listens to everything wanted
			this.syncWaiters.addAll(waiters);
			throw ex;
		}
		waiters.forEach((waiter) -> waiter.complete(null));
	}

	/**
	 * One full reconnection attempt: connects, LISTENs to every wanted channel and releases whoever
	 * waited for a LISTEN meanwhile.
	 * @param listened filled with the channels listened to on the new connection
	 */
	private ListenConnection openListeningToAll(Set<String> listened) throws SQLException {
		ListenConnection connection = ListenConnection.open(this.url, driverProperties());
		List<CompletableFuture<Void>> waiters = new ArrayList<>();
		for (CompletableFuture<Void> waiter; (waiter = this.syncWaiters.poll()) != null;) {
			waiters.add(waiter);
		}
		this.syncRequested.set(false);
		try {
			Set<String> wanted = new LinkedHashSet<>(this.queues.keySet());
			connection.listen(wanted, this.url);
			listened.addAll(wanted);
		}
		catch (SQLException | RuntimeException ex) {
			connection.close();
			// the next attempt listens to everything wanted then
			this.syncWaiters.addAll(waiters);
			throw ex;
		}
		waiters.forEach((waiter) -> waiter.complete(null));
		return connection;
	}

	/**
	 * On stop: stop listening, hand on what the driver already read, close.
	 */
	private void shutDown(ListenConnection connection) {
		if (connection == null) {
			return;
		}
		try {
			connection.unlistenAll();
			PGNotification[] rest = connection.poll(-1);
			if (rest != null) {
				dispatch(rest, connection.livenessChannel());
			}
		}
		catch (SQLException | RuntimeException ex) {
			logger.debug("UNLISTEN on shutdown failed", ex);
		}
		finally {
			connection.close();
		}
	}

	// --- helpers ---

	/**
	 * Makes a channel wanted; called holding the subscription lock.
	 * @return whether it was not wanted before
	 */
	private boolean createQueueIfAbsent(String channel) {
		if (this.queues.containsKey(channel)) {
			return false;
		}
		this.queues.put(channel, newQueue(channel));
		return true;
	}

	private ChannelQueue newQueue(String channel) {
		ChannelCounters channelCounters = this.counters.computeIfAbsent(channel, (key) -> new ChannelCounters());
		// executor and publisher are read when used: queues may exist before start() and before the
		// publisher is set
		return new ChannelQueue(channel, channelCounters, this.maxPending, (task) -> this.handlerExecutor.execute(task),
				this::publish, () -> this.notificationEvents, this);
	}

	private void cancel(String channel, ChannelQueue.Subscriber subscriber) {
		boolean removed = false;
		synchronized (this.subscriptionLock) {
			ChannelQueue queue = this.queues.get(channel);
			if (queue != null && queue.remove(subscriber) && !this.fixedChannels.contains(channel)) {
				this.queues.remove(channel);
				removed = true;
			}
		}
		if (removed) {
			awaitSync();
		}
	}

	/**
	 * Asks the reader to LISTEN/UNLISTEN and, when it is connected, waits until it did.
	 */
	private void awaitSync() {
		if (!this.running || Thread.currentThread() == this.reader) {
			this.syncRequested.set(true);
			return;
		}
		CompletableFuture<Void> done = new CompletableFuture<>();
		this.syncWaiters.add(done);
		this.syncRequested.set(true);
		if (!this.connected) {
			// the reconnect listens to every wanted channel
			return;
		}
		try {
			done.get(SYNC_MILLIS, TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (TimeoutException | ExecutionException ex) {
			logger.warn("LISTEN/UNLISTEN not confirmed within " + SYNC_MILLIS + " ms; it happens once connected");
		}
	}

	private void completeSyncWaiters() {
		for (CompletableFuture<Void> waiter; (waiter = this.syncWaiters.poll()) != null;) {
			waiter.complete(null);
		}
	}

	private void awaitDrained() {
		long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SHUTDOWN_MILLIS);
		while (this.queues.values().stream().anyMatch((queue) -> queue.pending() > 0)) {
			if (System.nanoTime() - deadline > 0) {
				logger.warn("Notification handlers did not finish within " + SHUTDOWN_MILLIS + " ms of shutdown");
				return;
			}
			try {
				Thread.sleep(5);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	private void publish(Object event) {
		ApplicationEventPublisher target = this.publisher;
		if (target != null) {
			target.publishEvent(event);
		}
	}

	private void publishAsync(Object event) {
		if (this.publisher == null) {
			return;
		}
		this.handlerExecutor.execute(() -> {
			try {
				this.publisher.publishEvent(event);
			}
			catch (Throwable ex) {
				logger.error("Listener of " + event + " failed", ex);
			}
		});
	}

	private Properties driverProperties() {
		long livenessMillis = this.livenessInterval.toMillis();
		// the ping must answer within two thirds of the liveness interval (whole seconds for pgjdbc)
		long socketTimeoutSeconds = Math.max(1, (livenessMillis * 2 / 3) / 1000);
		// a frozen server accepts TCP connections but never answers: these timeouts end each attempt
		// on it, and a short one lets stop() end the reader soon, whatever the liveness interval
		long connectSeconds = Math.min(MAX_CONNECT_SECONDS, Math.max(MIN_CONNECT_SECONDS, livenessMillis / 1000));
		Properties properties = new Properties();
		properties.putAll(this.connectionProperties);
		properties.setProperty("ApplicationName", ListenConnection.APPLICATION_NAME);
		properties.setProperty("tcpKeepAlive", "true");
		properties.setProperty("socketTimeout", Long.toString(socketTimeoutSeconds));
		properties.setProperty("connectTimeout", Long.toString(connectSeconds));
		properties.setProperty("loginTimeout", Long.toString(connectSeconds));
		return properties;
	}

	private static ExecutorService boundedPool() {
		int threads = Math.max(4, Runtime.getRuntime().availableProcessors() * 2);
		CustomizableThreadFactory threadFactory = new CustomizableThreadFactory("gdbpool-notify-");
		threadFactory.setDaemon(true);
		ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
				new LinkedBlockingQueue<>(), threadFactory);
		pool.allowCoreThreadTimeOut(true);
		return pool;
	}

	private void shutDownOwnExecutor() {
		ExecutorService pool = this.ownExecutor;
		if (pool == null) {
			return;
		}
		pool.shutdown();
		try {
			if (!pool.awaitTermination(SHUTDOWN_MILLIS, TimeUnit.MILLISECONDS)) {
				pool.shutdownNow();
			}
		}
		catch (InterruptedException ex) {
			pool.shutdownNow();
			Thread.currentThread().interrupt();
		}
		this.ownExecutor = null;
		this.handlerExecutor = null;
	}

	/**
	 * One handler's subscription to one channel.
	 */
	private final class ChannelSubscription implements Subscription {

		private final String channel;

		private final ChannelQueue.Subscriber subscriber;

		private final AtomicBoolean cancelled = new AtomicBoolean();

		ChannelSubscription(String channel, ChannelQueue.Subscriber subscriber) {
			this.channel = channel;
			this.subscriber = subscriber;
		}

		@Override
		public void cancel() {
			if (this.cancelled.compareAndSet(false, true)) {
				PgListenerContainer.this.cancel(this.channel, this.subscriber);
			}
		}

		@Override
		public String toString() {
			return "Subscription[channel=" + this.channel + ", handler=" + this.subscriber.handler() + "]";
		}

	}

}
