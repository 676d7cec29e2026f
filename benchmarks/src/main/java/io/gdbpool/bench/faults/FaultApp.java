package io.gdbpool.bench.faults;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.gdbpool.autoconfigure.GDBPoolAutoConfiguration;
import io.gdbpool.autoconfigure.GDBPoolHealthAutoConfiguration;
import io.gdbpool.autoconfigure.GDBPoolListenerAutoConfiguration;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The application under fault: a Spring Boot application with the starter's
 * auto-configurations (pools, routing, partial transactions, LISTEN/NOTIFY and, when
 * spring-boot-health is on the class path, health) and default settings, except the pools
 * it is given. Only gDBPool's auto-configurations are imported, not every one on the
 * benchmarks class path: that class path also carries Hibernate for another scenario,
 * which would only slow every start here.
 */
@Configuration(proxyBeanMethods = false)
@ImportAutoConfiguration({ GDBPoolAutoConfiguration.class, GDBPoolListenerAutoConfiguration.class,
		GDBPoolHealthAutoConfiguration.class })
public class FaultApp {

	@Bean
	ReconnectRecorder reconnectRecorder() {
		return new ReconnectRecorder();
	}

	/**
	 * The pools of one scenario (gdbpool.pools.*) and any other property it sets, in
	 * order.
	 */
	static final class Pools {

		private final Map<String, String> properties = new LinkedHashMap<>();

		Pools write(String name, String url) {
			return pool(name, url, "write");
		}

		Pools read(String name, String url) {
			return pool(name, url, "read");
		}

		Pools set(String property, Object value) {
			this.properties.put(property, String.valueOf(value));
			return this;
		}

		private Pools pool(String name, String url, String role) {
			set("gdbpool.pools." + name + ".url", url);
			set("gdbpool.pools." + name + ".username", Sql.USER);
			return set("gdbpool.pools." + name + ".role", role);
		}

	}

	static ConfigurableApplicationContext start(Pools pools) {
		List<String> all = new ArrayList<>();
		pools.properties.forEach((key, value) -> all.add(key + "=" + value));
		all.add("spring.main.banner-mode=off");
		return new SpringApplicationBuilder(FaultApp.class).web(WebApplicationType.NONE)
			.logStartupInfo(false)
			.properties(all.toArray(String[]::new))
			.run();
	}

}
