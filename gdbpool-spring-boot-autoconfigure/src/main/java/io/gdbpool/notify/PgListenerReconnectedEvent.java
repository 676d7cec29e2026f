package io.gdbpool.notify;

import java.time.Duration;
import java.util.Set;

import org.springframework.context.ApplicationEvent;

/**
 * Published after a lost LISTEN connection is back and every channel is listened to again.
 * Notifications sent while it was down are lost by PostgreSQL's design: an application that
 * cares resyncs its state from the tables when it receives this event.
 */
public class PgListenerReconnectedEvent extends ApplicationEvent {

	private final Duration downtime;

	private final Set<String> channels;

	/**
	 * @param source the listener that reconnected
	 * @param downtime how long no channel was listened to
	 * @param channels the channels listened to again
	 */
	public PgListenerReconnectedEvent(Object source, Duration downtime, Set<String> channels) {
		super(source);
		this.downtime = downtime;
		this.channels = Set.copyOf(channels);
	}

	public Duration downtime() {
		return this.downtime;
	}

	public Set<String> channels() {
		return this.channels;
	}

	@Override
	public String toString() {
		return "PgListenerReconnectedEvent[downtime=" + this.downtime + ", channels=" + this.channels + "]";
	}

}
