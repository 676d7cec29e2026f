package io.gdbpool.autoconfigure;

import java.util.Properties;

import com.zaxxer.hikari.HikariDataSource;

import io.gdbpool.notify.JacksonPayloadReader;
import io.gdbpool.notify.PayloadReader;
import io.gdbpool.notify.PgListenAnnotationBeanPostProcessor;
import io.gdbpool.notify.ChannelNames;
import io.gdbpool.notify.PgListenerContainer;
import io.gdbpool.notify.PgNotificationListener;
import io.gdbpool.routing.Pool;
import io.gdbpool.routing.PoolRegistry;
import org.postgresql.PGConnection;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.thread.Threading;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.task.VirtualThreadTaskExecutor;
import org.springframework.util.StringUtils;

/**
 * LISTEN/NOTIFY: the {@link PgNotificationListener} on a dedicated connection to the
 * listener pool's server, and the discovery of {@code @PgListen} methods.
 */
@AutoConfiguration(after = GDBPoolAutoConfiguration.class,
		afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@ConditionalOnClass(PGConnection.class)
@ConditionalOnBean(PoolRegistry.class)
@EnableConfigurationProperties(GDBPoolProperties.class)
public class GDBPoolListenerAutoConfiguration {

	@Bean
	static PgListenAnnotationBeanPostProcessor pgListenAnnotationBeanPostProcessor() {
		return new PgListenAnnotationBeanPostProcessor();
	}

	@Bean
	@ConditionalOnMissingBean(PgNotificationListener.class)
	PgListenerContainer pgNotificationListener(PoolRegistry pools, GDBPoolProperties properties,
			Environment environment, ObjectProvider<GDBPoolObservations> observations) {
		GDBPoolProperties.Listener listener = properties.getListener();
		Pool pool = StringUtils.hasText(listener.getPool()) ? pools.get(listener.getPool()) : pools.defaultWritePool();
		HikariDataSource dataSource = pool.getDataSource();
		// the pool's driver settings (ssl and the like) and credentials, but a connection
		// of its own: a pooled one could be reset or handed to someone else and lose its
		// LISTENs
		Properties connectionProperties = new Properties();
		connectionProperties.putAll(dataSource.getDataSourceProperties());
		if (dataSource.getUsername() != null) {
			connectionProperties.setProperty("user", dataSource.getUsername());
		}
		if (dataSource.getPassword() != null) {
			connectionProperties.setProperty("password", dataSource.getPassword());
		}
		String url = StringUtils.hasText(listener.getUrl()) ? listener.getUrl() : dataSource.getJdbcUrl();
		PgListenerContainer container = new PgListenerContainer(url, connectionProperties);
		PoolProperties poolProperties = properties.getPools().get(pool.getName());
		if (!StringUtils.hasText(listener.getUrl()) && poolProperties != null
				&& Boolean.TRUE.equals(poolProperties.getPgbouncer())) {
			container.refuseToConnect("The LISTEN connection would use pool '" + pool.getName()
					+ "', whose url goes through PgBouncer in transaction mode (gdbpool.pools." + pool.getName()
					+ ".pgbouncer=true), where LISTEN cannot work");
		}
		container.setLivenessInterval(listener.getLivenessInterval());
		container.setReconnectMaxBackoff(listener.getReconnectMaxBackoff());
		container.setMaxPending(listener.getMaxPending());
		container.addChannels(validChannels(listener.getChannels()));
		if (Threading.VIRTUAL.isActive(environment)) {
			container.setHandlerExecutor(new VirtualThreadTaskExecutor("gdbpool-notify-"));
		}
		observations.ifAvailable((o) -> o.applyTo(container));
		return container;
	}

	// a mistake in the configuration is reported as one, naming the property, not as a
	// stack trace from the listener
	private static java.util.List<String> validChannels(java.util.List<String> channels) {
		for (int i = 0; i < channels.size(); i++) {
			String problem = ChannelNames.problemWith(channels.get(i));
			if (problem != null) {
				throw new GDBPoolConfigurationException(GDBPoolProperties.PREFIX + ".listener.channels[" + i + "]",
						problem,
						"Use a channel name of 1 to 63 bytes in UTF-8 in gdbpool.listener.channels (names are used exactly "
								+ "as written, case included).");
			}
		}
		return channels;
	}

	@Bean
	@ConditionalOnBean(PgListenerContainer.class)
	NotificationEventAudience gdbPoolNotificationEventAudience(PgListenerContainer listener) {
		return new NotificationEventAudience(listener);
	}

	/**
	 * Reads JSON payloads through the application's Jackson mapper.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ObjectMapper.class)
	static class JacksonPayloadConfiguration {

		@Bean
		@ConditionalOnMissingBean(PayloadReader.class)
		JacksonPayloadReader gdbPoolPayloadReader(ObjectProvider<JsonMapper> jsonMappers,
				ObjectProvider<ObjectMapper> objectMappers) {
			JsonMapper jsonMapper = jsonMappers.getIfUnique();
			if (jsonMapper != null) {
				return new JacksonPayloadReader(jsonMapper);
			}
			// an application without Boot's Jackson auto-configuration still reads plain
			// JSON
			return new JacksonPayloadReader(objectMappers.getIfUnique(JsonMapper::shared));
		}

	}

}
