package io.gdbpool.notify;

import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

import io.gdbpool.support.SafeUrl;
import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationEventPublisherAware;
import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;

/**
 * The {@link PgNotificationListener}: one LISTEN connection for every channel, read by
 * one {@link ListenReader} thread; each channel's notifications go through its own
 * {@link ChannelQueue} to its handlers, which run on an executor in delivery order and
 * independently of other channels.
 * <p>
 * This class holds the parts together and owns their lifecycle. Subscribing and
 * cancelling only change the wanted {@link Channels} and ask the reader to
 * LISTEN/UNLISTEN ({@link ListenSync}). Settings and their defaults are a
 * {@link PgListenerProperties}, checked as they are set.
 * <p>
 * Starts during context refresh ({@link SmartLifecycle}); a server that cannot serve
 * LISTEN fails the start with a {@link PgListenerStartupException}. Started without any
 * channel, it opens no connection until the first one is subscribed to.
 */
public class PgListenerContainer implements PgNotificationListener, SmartLifecycle, ApplicationEventPublisherAware {

	/**
	 * {@code SmartLifecycle.DEFAULT_PHASE - 2560}: below Boot's web server
	 * ({@code DEFAULT_PHASE - 2048}) and its graceful shutdown
	 * ({@code DEFAULT_PHASE - 1024}), so the listener LISTENs before the first request
	 * and stops only after the last one has finished (handlers may still be delivering
	 * what requests caused); above the partial-transaction reaper and the replica
	 * monitor, which stop after it.
	 */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 2560;

	private static final Log logger = LogFactory.getLog(PgListenerContainer.class);

	/**
	 * How long stop() waits for the reader to end, and for handlers to finish what was
	 * read.
	 */
	private static final long SHUTDOWN_MILLIS = 10_000;

	// a ping needs a round trip well inside the interval, and pgjdbc's socket timeout has
	// whole seconds
	private static final long MIN_LIVENESS_MILLIS = 300;

	private final String url;

	private final PgListenerProperties properties = new PgListenerProperties();

	private final ListenerEvents events = new ListenerEvents(this);

	private final HandlerExecutor executor = new HandlerExecutor();

	private final ListenSync sync = new ListenSync();

	private final NotificationObservations observations = new NotificationObservations();

	private final Channels channels;

	private final ListenReader reader;

	private final Object lifecycleLock = new Object();

	private volatile boolean running;

	/** Started without channels: the connection opens with the first one. */
	private volatile boolean deferred;

	/**
	 * @param url JDBC url of the primary
	 * @param connectionProperties driver properties, credentials included; the listener
	 * adds its application name, TCP keep-alive and timeouts
	 */
	public PgListenerContainer(String url, Properties connectionProperties) {
		Assert.hasText(url, "url must not be empty");
		this.url = url;
		Properties copy = new Properties();
		copy.putAll(connectionProperties);
		this.channels = new Channels(this.properties, this.executor, this.events, this.observations);
		this.reader = new ListenReader(url, copy, this.properties, this.channels, this.sync, this.events,
				this.executor);
	}

	/**
	 * @param executor runs the handlers; when unset, the container uses a bounded pool of
	 * its own and shuts it down on stop
	 */
	public void setHandlerExecutor(@Nullable Executor executor) {
		this.executor.configure(executor);
	}

	/**
	 * Observes each handler's handling of each notification through this registry
	 * ({@link PgNotificationObservation}); with {@link ObservationRegistry#NOOP} (the
	 * default) nothing is observed and nothing extra is allocated.
	 * @param registry the registry
	 */
	public void setObservationRegistry(ObservationRegistry registry) {
		Assert.notNull(registry, "registry must not be null; use ObservationRegistry.NOOP");
		this.observations.setRegistry(registry);
	}

	/**
	 * @param convention names and key values of the observations instead of
	 * {@link DefaultPgNotificationObservationConvention}; {@code null} for the default
	 */
	public void setObservationConvention(@Nullable PgNotificationObservationConvention convention) {
		this.observations.setConvention(convention);
	}

	@Override
	public void setApplicationEventPublisher(ApplicationEventPublisher publisher) {
		this.events.setPublisher(publisher);
	}

	/**
	 * @param livenessInterval a silent dead connection is noticed within this interval;
	 * applies from the next connection on
	 */
	public void setLivenessInterval(Duration livenessInterval) {
		Assert.isTrue(livenessInterval.toMillis() >= MIN_LIVENESS_MILLIS,
				"livenessInterval must be at least " + MIN_LIVENESS_MILLIS + "ms");
		this.properties.setLivenessInterval(livenessInterval);
	}

	/**
	 * @param reconnectMaxBackoff upper bound of the pause between reconnection attempts
	 * that the server refused; one that is down or starting is tried far more often
	 */
	public void setReconnectMaxBackoff(Duration reconnectMaxBackoff) {
		Assert.isTrue(reconnectMaxBackoff.toMillis() > 0, "reconnectMaxBackoff must be positive");
		this.properties.setReconnectMaxBackoff(reconnectMaxBackoff);
	}

	/**
	 * @param maxPending notifications queued per channel at most, the excess dropped and
	 * reported; applies to channels already subscribed to as well, from their next read
	 */
	public void setMaxPending(int maxPending) {
		Assert.isTrue(maxPending > 0, "maxPending must be positive");
		this.properties.setMaxPending(maxPending);
		this.channels.maxPendingChanged();
	}

	/**
	 * Listens to channels that have no subscriber, so their notifications reach
	 * {@code @EventListener} methods as {@link PgNotificationEvent}s.
	 * @param channels channel names
	 */
	public void addChannels(Collection<String> channels) {
		if (this.channels.addFixed(channels)) {
			startIfDeferred();
			awaitListening();
		}
	}

	@Override
	public Subscription subscribe(String channel, Consumer<PgNotification> handler) {
		ChannelNames.requireValid(channel);
		Assert.notNull(handler, "handler must not be null");
		ChannelHandlers.Subscriber subscriber = new ChannelHandlers.Subscriber(handler);
		if (this.channels.subscribe(channel, subscriber)) {
			startIfDeferred();
			awaitListening();
		}
		return new ChannelSubscription(channel, subscriber, () -> cancel(channel, subscriber));
	}

	@Override
	public boolean isConnected() {
		return this.reader.isConnected();
	}

	@Override
	public Set<String> channels() {
		return Collections.unmodifiableSet(this.channels.wanted());
	}

	/**
	 * @param channel a channel
	 * @return what happened on it since start-up; zeros for a channel never listened to
	 */
	public ChannelStatistics statistics(String channel) {
		return this.channels.statistics(channel);
	}

	/**
	 * @return what happened on every channel listened to since start-up, current or past
	 */
	public List<ChannelStatistics> statistics() {
		return this.channels.statistics();
	}

	/**
	 * @return the server process of the current LISTEN connection
	 * ({@code pg_stat_activity.pid}), 0 when none
	 */
	public int backendPid() {
		return this.reader.backendPid();
	}

	/**
	 * @return how long the LISTEN connection has been down, {@link Duration#ZERO} while
	 * it is up (or not needed yet)
	 */
	public Duration getDowntime() {
		return this.reader.downtime();
	}

	/**
	 * @return whether the container runs but has not needed a connection yet (no channel
	 * so far)
	 */
	public boolean isIdle() {
		return this.running && this.deferred;
	}

	/**
	 * @return how often the connection was lost and re-established
	 */
	public long getReconnects() {
		return this.reader.reconnects();
	}

	/**
	 * Whether every notification is also published as a {@link PgNotificationEvent}
	 * (default true). The auto-configuration turns it off when no listener in the context
	 * could receive one, which spares the event's construction and multicasting on every
	 * notification.
	 * @param publish whether to publish them
	 */
	public void setPublishNotificationEvents(boolean publish) {
		this.events.setPublishNotifications(publish);
	}

	/**
	 * @return whether every notification is also published as a
	 * {@link PgNotificationEvent}
	 */
	public boolean isPublishingNotificationEvents() {
		return this.events.publishesNotifications();
	}

	/**
	 * Makes the container refuse to connect, e.g. because the url is known to go through
	 * a transaction pooler where LISTEN cannot work.
	 * @param reason why, for the start-up failure
	 */
	public void refuseToConnect(String reason) {
		this.reader.refuse(reason);
	}

	@Override
	public void start() {
		synchronized (this.lifecycleLock) {
			if (this.running) {
				return;
			}
			this.executor.start();
			// the channels known now are named in observations; later ones are not
			this.observations.declare(this.channels.wanted());
			if (this.channels.isEmpty()) {
				// nothing to listen to yet: an application that never subscribes holds no
				// connection, and a url that cannot serve LISTEN only matters once it is
				// used
				this.running = true;
				this.deferred = true;
				return;
			}
			try {
				this.reader.start();
			}
			catch (RuntimeException ex) {
				this.executor.shutDown(SHUTDOWN_MILLIS);
				throw ex;
			}
			this.running = true;
		}
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	@Override
	public void stop() {
		synchronized (this.lifecycleLock) {
			if (!this.running) {
				return;
			}
			this.running = false;
			this.deferred = false;
			this.reader.stop(SHUTDOWN_MILLIS);
			if (!this.channels.awaitDrained(SHUTDOWN_MILLIS)) {
				logger.warn("Notification handlers did not finish within " + SHUTDOWN_MILLIS + " ms of shutdown");
			}
			this.channels.reportDrops();
			this.executor.shutDown(SHUTDOWN_MILLIS);
			// nothing will LISTEN any more: nobody waits for it
			this.sync.releaseAll();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public String toString() {
		return "PgListenerContainer[url=" + SafeUrl.of(this.url) + ", channels=" + this.channels.wanted()
				+ ", connected=" + isConnected() + "]";
	}

	/** Opens the connection on the first channel when {@link #start()} found none. */
	private void startIfDeferred() {
		synchronized (this.lifecycleLock) {
			if (this.running && this.deferred) {
				this.reader.start();
				this.deferred = false;
			}
		}
	}

	/**
	 * Asks the reader to LISTEN/UNLISTEN and, when it is connected, waits until it did.
	 */
	private void awaitListening() {
		if (!this.running || this.reader.isReaderThread()) {
			// before start the reader LISTENs to everything wanted; on its own thread it
			// cannot wait
			this.sync.request();
			return;
		}
		this.sync.requestAndAwait(this.reader::isConnected);
	}

	private void cancel(String channel, ChannelHandlers.Subscriber subscriber) {
		if (this.channels.unsubscribe(channel, subscriber)) {
			awaitListening();
		}
	}

}
