package io.gdbpool.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import io.gdbpool.routing.Pool;
import io.gdbpool.routing.PoolFactory;
import io.gdbpool.routing.PoolRegistry;
import io.gdbpool.routing.ReplicaMonitor;
import io.gdbpool.routing.ReplicaSelector;
import io.gdbpool.routing.RoutingDataSource;
import io.gdbpool.transaction.RouteAwareTransactionManager;
import org.postgresql.PGConnection;

import java.util.function.Function;

import io.gdbpool.GDBPoolTemplate;
import io.gdbpool.transaction.PartialTransactions;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.util.ClassUtils;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.transaction.autoconfigure.TransactionManagerCustomizers;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.Environment;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionManager;

/**
 * The named pools, the routing {@code DataSource} and its transaction manager (JPA's when
 * the application uses JPA). Runs before Boot's own DataSource and JPA
 * auto-configurations, whose DataSource and transaction manager then back off; every bean
 * backs off when the application defines its own. It creates nothing at all (no pools,
 * monitor, template or transaction manager) when the application defines its own
 * {@code DataSource} bean, and, without {@code gdbpool.pools}, where Boot would not build
 * a PostgreSQL DataSource ({@link OnGDBPoolDataSourceCondition}).
 * <p>
 * The replica monitor and the partial transaction reaper start and stop with the context
 * ({@code SmartLifecycle}; see {@link ReplicaMonitor#PHASE} and
 * {@link PartialTransactions#PHASE}): on shutdown, after the web server has drained; the
 * pools close last, when the {@link PoolRegistry} bean is destroyed.
 */
@AutoConfiguration(
		before = { DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
				JdbcTemplateAutoConfiguration.class },
		beforeName = "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration")
@ConditionalOnClass({ HikariDataSource.class, PGConnection.class })
@Conditional(OnGDBPoolDataSourceCondition.class)
@EnableConfigurationProperties({ GDBPoolProperties.class, DataSourceProperties.class })
public class GDBPoolAutoConfiguration {

	private static final String JACKSON_MAPPER = "tools.jackson.databind.json.JsonMapper";

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	PoolRegistry gdbPoolRegistry(GDBPoolProperties properties, ObjectProvider<JdbcConnectionDetails> connectionDetails,
			DataSourceProperties dataSourceProperties, Environment environment) {
		PoolDefinitions definitions = PoolDefinitions.of(properties, connectionDetails.getIfAvailable(),
				dataSourceProperties, Binder.get(environment));
		PoolFactory factory = new PoolFactory();
		List<Pool> opened = new ArrayList<>();
		try {
			for (PoolDefinitions.Definition definition : definitions.definitions()) {
				opened.add(factory.open(definition.name(), definition.role(), definition.hikari(),
						definition.pgbouncer()));
			}
			return new PoolRegistry(opened, definitions.defaultWritePool());
		}
		catch (RuntimeException ex) {
			// do not leave the pools opened so far running when start-up fails
			opened.forEach(Pool::close);
			throw ex;
		}
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	ReplicaMonitor gdbPoolReplicaMonitor(PoolRegistry pools, GDBPoolProperties properties) {
		RoutingProperties routing = properties.getRouting();
		// a zero (or unset) time limit is off
		Duration maxLag = (routing.getMaxReplicaLag() != null && routing.getMaxReplicaLag().toMillis() > 0)
				? routing.getMaxReplicaLag() : null;
		// started by the context (SmartLifecycle, ReplicaMonitor.PHASE), not here
		return new ReplicaMonitor(pools, routing.getCheckInterval(), maxLag,
				(routing.getMaxReplicaLagBytes() != null) ? routing.getMaxReplicaLagBytes().toBytes() : -1);
	}

	@Bean
	@Primary
	@ConditionalOnMissingBean(DataSource.class)
	RoutingDataSource dataSource(PoolRegistry pools, GDBPoolProperties properties) {
		RoutingProperties routing = properties.getRouting();
		return new RoutingDataSource(pools, new ReplicaSelector(pools, routing.getLoadBalance()),
				routing.isFallbackToPrimary(), routing.getReadYourWrites() == RoutingProperties.ReadYourWrites.LSN);
	}

	/**
	 * JPA's transaction manager when an EntityManagerFactory exists, else JDBC's;
	 * declared as a {@link PlatformTransactionManager} because which one is known only
	 * once the beans exist.
	 */
	@Bean
	@ConditionalOnMissingBean(TransactionManager.class)
	@ConditionalOnBean(RoutingDataSource.class)
	PlatformTransactionManager transactionManager(RoutingDataSource dataSource, BeanFactory beanFactory,
			ObjectProvider<TransactionManagerCustomizers> customizers) {
		return RoutingTransactionManagers.create(dataSource, beanFactory, customizers.getIfAvailable());
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	@ConditionalOnBean(RoutingDataSource.class)
	PartialTransactions gdbPoolPartialTransactions(RoutingDataSource dataSource, GDBPoolProperties properties) {
		GDBPoolProperties.PartialTransactions partials = properties.getPartialTransactions();
		int maxOpen = (partials.getMaxOpen() != null) ? partials.getMaxOpen()
				: Math.max(1, dataSource.getPools().defaultWritePool().getDataSource().getMaximumPoolSize() / 2);
		if (maxOpen < 1) {
			throw new GDBPoolConfigurationException("gdbpool.partial-transactions.max-open",
					"max-open is " + maxOpen + "; at least one partial transaction must be allowed",
					"Set gdbpool.partial-transactions.max-open to a number from 1 to below the write pool's maximum-pool-size.");
		}
		return new PartialTransactions(dataSource, partials.getIdleTimeout(), partials.isServerBackstop(), maxOpen,
				partials.getBeginWait());
	}

	@Bean
	@ConditionalOnBean(RoutingDataSource.class)
	InteractionExecutor gdbPoolInteractionExecutor(BeanFactory beanFactory, Environment environment,
			PoolRegistry pools) {
		return new InteractionExecutor(beanFactory, environment,
				pools.defaultWritePool().getDataSource().getMaximumPoolSize());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(RoutingDataSource.class)
	GDBPoolTemplate gdbPoolTemplate(RoutingDataSource dataSource,
			ObjectProvider<TransactionManager> transactionManagers,
			ObjectProvider<TransactionManagerCustomizers> customizers, PartialTransactions partialTransactions,
			InteractionExecutor executor, BeanFactory beanFactory, ObjectProvider<GDBPoolObservations> observations) {
		// the application's own transaction manager may be another kind: the template
		// then keeps one of its own over the routing DataSource (JPA's when there is JPA)
		RouteAwareTransactionManager transactionManager = transactionManagers.orderedStream()
			.filter((tm) -> tm instanceof RouteAwareTransactionManager routing
					&& routing.getRoutingDataSource() == dataSource)
			.map(RouteAwareTransactionManager.class::cast)
			.findFirst()
			.orElseGet(() -> RoutingTransactionManagers.create(dataSource, beanFactory, customizers.getIfAvailable()));
		Function<Object, String> json = ClassUtils.isPresent(JACKSON_MAPPER, getClass().getClassLoader())
				? JacksonJsonWriter.create(beanFactory) : null;
		GDBPoolTemplate template = new GDBPoolTemplate(transactionManager, partialTransactions, executor.executor(),
				json);
		observations.ifAvailable((o) -> o.applyTo(template));
		return template;
	}

}
