package io.gdbpool.test;

import io.gdbpool.autoconfigure.GDBPoolAutoConfiguration;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * An {@link ApplicationContextRunner} with gDBPool and Boot's JDBC auto-configurations,
 * as an application that adds the starter would have them.
 */
public final class GDBPoolContextRunner {

	private GDBPoolContextRunner() {
	}

	public static ApplicationContextRunner create() {
		return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(GDBPoolAutoConfiguration.class,
				DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
				JdbcTemplateAutoConfiguration.class, JdbcClientAutoConfiguration.class));
	}

	/**
	 * @param name a pool name
	 * @param url its url
	 * @param role write or read
	 * @return the properties that define that pool
	 */
	public static String[] pool(String name, String url, String role) {
		return new String[] { "gdbpool.pools." + name + ".url=" + url,
				"gdbpool.pools." + name + ".username=" + TestDatabase.USER,
				"gdbpool.pools." + name + ".password=" + TestDatabase.password(),
				"gdbpool.pools." + name + ".role=" + role, "gdbpool.pools." + name + ".hikari.maximum-pool-size=4" };
	}

}
