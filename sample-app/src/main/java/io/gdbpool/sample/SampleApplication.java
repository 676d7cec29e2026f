package io.gdbpool.sample;

import java.util.Map;

import io.gdbpool.GDBPoolTemplate;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * The gDBPool sample: starts against the local PostgreSQL and shows which pool served a read and
 * a write.
 */
@SpringBootApplication
public class SampleApplication {

	private static final Log logger = LogFactory.getLog(SampleApplication.class);

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

	@Bean
	ApplicationRunner showRouting(GDBPoolTemplate template) {
		return (args) -> {
			String sql = "SELECT current_setting('application_name') AS pool, inet_server_port() AS port, pg_is_in_recovery() AS standby";
			Map<String, Object> read = template.queryForList(sql).get(0);
			Map<String, Object> write = template.execute((status) -> template.jdbc().sql(sql).query().singleRow());
			logger.info("read served by " + read);
			logger.info("write route served by " + write);
		};
	}

}
