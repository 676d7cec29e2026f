package io.gdbpool.sample;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import io.gdbpool.notify.PgListen;
import io.gdbpool.notify.PgListenerReconnectedEvent;
import io.gdbpool.notify.PgNotificationsDroppedEvent;
import jakarta.annotation.PreDestroy;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Live updates: every {@code seat_changed} notification (from the trigger, from this or
 * another instance of the app, or from psql) goes to each open page over Server-Sent
 * Events.
 */
@Component
public class SeatEvents {

	private static final Log logger = LogFactory.getLog(SeatEvents.class);

	/** Pages reconnect by themselves (EventSource) when a stream ends. */
	private static final Duration STREAM_TIMEOUT = Duration.ofMinutes(30);

	private final List<SseEmitter> emitters = new CopyOnWriteArrayList<>();

	/**
	 * Opens a stream for one page. Its first event, {@code ready}, says that changes from
	 * now on will arrive.
	 * @return the stream
	 */
	public SseEmitter open() {
		SseEmitter emitter = new SseEmitter(STREAM_TIMEOUT.toMillis());
		emitter.onCompletion(() -> this.emitters.remove(emitter));
		emitter.onTimeout(() -> {
			this.emitters.remove(emitter);
			emitter.complete();
		});
		emitter.onError((ex) -> this.emitters.remove(emitter));
		this.emitters.add(emitter);
		send(emitter,
				SseEmitter.event().name("ready").data(Map.of("channel", Holds.CHANNEL), MediaType.APPLICATION_JSON));
		return emitter;
	}

	/**
	 * @param seat the changed seat, read from the notification's JSON payload
	 */
	@PgListen(Holds.CHANNEL)
	public void onSeatChanged(Seat seat) {
		broadcast(() -> SseEmitter.event().name("seat").data(seat, MediaType.APPLICATION_JSON));
	}

	/**
	 * Notifications sent while the LISTEN connection was down are lost: the pages reload
	 * the map.
	 * @param event the reconnection
	 */
	@EventListener
	public void onReconnected(PgListenerReconnectedEvent event) {
		logger.info("LISTEN connection back after " + event.downtime() + "; asking pages to reload the seat map");
		broadcast(() -> SseEmitter.event().name("resync").data("reconnected"));
	}

	/**
	 * Pages fell behind: they reload the map.
	 * @param event what was dropped
	 */
	@EventListener
	public void onDropped(PgNotificationsDroppedEvent event) {
		broadcast(() -> SseEmitter.event().name("resync").data("dropped"));
	}

	/** Keeps idle streams open through proxies and finds pages that went away. */
	@Scheduled(fixedRate = 15_000)
	public void heartbeat() {
		broadcast(() -> SseEmitter.event().comment("heartbeat"));
	}

	/**
	 * @return the number of open streams
	 */
	public int openStreams() {
		return this.emitters.size();
	}

	/** Ends every stream, so shutdown does not wait for the pages. */
	@PreDestroy
	public void closeAll() {
		for (SseEmitter emitter : this.emitters) {
			emitter.complete();
		}
		this.emitters.clear();
	}

	// a builder is single-use (building it twice corrupts the event): one per stream
	private void broadcast(Supplier<SseEmitter.SseEventBuilder> event) {
		for (SseEmitter emitter : this.emitters) {
			send(emitter, event.get());
		}
	}

	private void send(SseEmitter emitter, SseEmitter.SseEventBuilder event) {
		try {
			emitter.send(event);
		}
		catch (IOException | IllegalStateException ex) {
			// the page went away
			this.emitters.remove(emitter);
			emitter.completeWithError(ex);
		}
	}

}
