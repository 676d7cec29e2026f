package io.gdbpool.sample;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The gDBPool sample: an event with seats. Holding a seat is a partial transaction, the
 * seat map is read on the read route, and every change reaches open pages over
 * LISTEN/NOTIFY and Server-Sent Events.
 */
@SpringBootApplication
@EnableScheduling
public class SampleApplication {

	private static final Log logger = LogFactory.getLog(SampleApplication.class);

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

	@EventListener
	void ready(ApplicationReadyEvent event) {
		String port = event.getApplicationContext().getEnvironment().getProperty("local.server.port", "8080");
		logger.info("Seat map: http://localhost:" + port + "/   (pools: http://localhost:" + port + "/pools)");
	}

}
