package io.gdbpool.bench;

import io.gdbpool.autoconfigure.GDBPoolAutoConfiguration;
import io.gdbpool.autoconfigure.GDBPoolListenerAutoConfiguration;
import io.gdbpool.notify.PgListen;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The smallest Boot application with a {@code @PgListen} method: gDBPool's two
 * auto-configurations and one receiver bean.
 */
@Configuration(proxyBeanMethods = false)
@ImportAutoConfiguration({ GDBPoolAutoConfiguration.class, GDBPoolListenerAutoConfiguration.class })
public class ListenApp {

	@Bean
	Receiver receiver() {
		return new Receiver();
	}

	static ConfigurableApplicationContext start(Settings s, String channel, String... extra) {
		String[] props = { "gdbpool.pools.primary.url=" + s.primaryUrl(), "gdbpool.pools.primary.username=" + s.user(),
				"gdbpool.pools.primary.role=write", "gdbpool.pools.primary.hikari.maximum-pool-size=2",
				"gdbpool.pools.primary.hikari.minimum-idle=1", "bench.channel=" + channel,
				"spring.main.banner-mode=off" };
		String maxPending = System.getProperty("bench.maxPending");
		if (maxPending != null) {
			// an experiment: -Dbench.maxPending=N sets gdbpool.listener.max-pending
			extra = java.util.Arrays.copyOf(extra, extra.length + 1);
			extra[extra.length - 1] = "gdbpool.listener.max-pending=" + maxPending;
		}
		String[] all = new String[props.length + extra.length];
		System.arraycopy(props, 0, all, 0, props.length);
		System.arraycopy(extra, 0, all, props.length, extra.length);
		return new SpringApplicationBuilder(ListenApp.class).web(WebApplicationType.NONE)
			.logStartupInfo(false)
			.properties(all)
			.run();
	}

	/** The measured handler: a {@code String} parameter, as the scenario asks. */
	public static class Receiver {

		volatile Sink sink = Sink.NONE;

		@PgListen("${bench.channel}")
		public void onPayload(String payload) {
			this.sink.accept(payload);
		}

	}

}
