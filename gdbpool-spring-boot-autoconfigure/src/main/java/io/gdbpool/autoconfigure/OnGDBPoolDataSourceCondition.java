package io.gdbpool.autoconfigure;

import java.util.Arrays;
import java.util.List;

import javax.sql.DataSource;

import io.gdbpool.routing.RoutingDataSource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionEvaluationReport;
import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.boot.jdbc.EmbeddedDatabaseConnection;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Whether the starter should build its pools: never when the application defines its own
 * {@code DataSource} bean (other than a {@link RoutingDataSource}), which Boot's would
 * back off for too; else always when {@code gdbpool.pools} is configured (a wrong url
 * then fails start-up, as it should); without it, only where Boot itself would build a
 * PostgreSQL DataSource. So an application with a DataSource of its own, or whose
 * development profile uses H2, or that excludes Boot's
 * {@code DataSourceAutoConfiguration}, keeps working as before the starter was added, and
 * one INFO line says why the starter stood back.
 */
class OnGDBPoolDataSourceCondition extends SpringBootCondition implements ConfigurationCondition {

	private static final Log logger = LogFactory.getLog(GDBPoolAutoConfiguration.class);

	private static final ConfigurationPropertyName POOLS = ConfigurationPropertyName.of("gdbpool.pools");

	@Override
	public ConfigurationPhase getConfigurationPhase() {
		// bean definitions (a JdbcConnectionDetails of the application's or of
		// Testcontainers) are known then
		return ConfigurationPhase.REGISTER_BEAN;
	}

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		ConditionMessage.Builder message = ConditionMessage.forCondition("gDBPool DataSource");
		ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
		String ownDataSource = (beanFactory != null) ? applicationDataSource(beanFactory) : null;
		if (ownDataSource != null) {
			return standBack(message, "the application defines its own DataSource bean '" + ownDataSource + "'",
					"remove that bean to use gDBPool");
		}
		if (poolsConfigured(context)) {
			return ConditionOutcome.match(message.because("gdbpool.pools is set"));
		}
		if (beanFactory != null && dataSourceAutoConfigurationExcluded(beanFactory)) {
			return standBack(message, "the application excludes DataSourceAutoConfiguration and sets no gdbpool.pools");
		}
		if (beanFactory != null
				&& beanFactory.getBeanNamesForType(JdbcConnectionDetails.class, true, false).length > 0) {
			return ConditionOutcome.match(message.because("a JdbcConnectionDetails bean provides the connection"));
		}
		String url = context.getEnvironment().getProperty("spring.datasource.url");
		if (url != null && !url.isBlank()) {
			if (url.startsWith("jdbc:postgresql:")) {
				return ConditionOutcome.match(message.because("spring.datasource.url is a PostgreSQL url"));
			}
			return standBack(message, "spring.datasource.url is not a PostgreSQL url and gdbpool.pools is not set");
		}
		if (EmbeddedDatabaseConnection.get(context.getClassLoader()) != EmbeddedDatabaseConnection.NONE) {
			return standBack(message, "no spring.datasource.url is set and Boot will use the embedded database "
					+ EmbeddedDatabaseConnection.get(context.getClassLoader()));
		}
		// nothing configured at all: build the pools and fail start-up saying what to set
		return ConditionOutcome.match(message.because("no other DataSource is configured"));
	}

	/**
	 * The name of a {@code DataSource} bean the application defines (ours and Boot's are
	 * registered later), other than a {@link RoutingDataSource} it builds over our pools.
	 */
	private static String applicationDataSource(ConfigurableListableBeanFactory beanFactory) {
		List<String> routing = Arrays.asList(beanFactory.getBeanNamesForType(RoutingDataSource.class, true, false));
		for (String name : beanFactory.getBeanNamesForType(DataSource.class, true, false)) {
			if (!routing.contains(name)) {
				return name;
			}
		}
		return null;
	}

	private static boolean poolsConfigured(ConditionContext context) {
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(context.getEnvironment())) {
			if (source.containsDescendantOf(POOLS) == ConfigurationPropertyState.PRESENT) {
				return true;
			}
		}
		return false;
	}

	private static boolean dataSourceAutoConfigurationExcluded(ConfigurableListableBeanFactory beanFactory) {
		List<String> exclusions = ConditionEvaluationReport.get(beanFactory).getExclusions();
		return exclusions.contains(DataSourceAutoConfiguration.class.getName());
	}

	private static ConditionOutcome standBack(ConditionMessage.Builder message, String reason) {
		return standBack(message, reason, "configure gdbpool.pools to use gDBPool");
	}

	private static ConditionOutcome standBack(ConditionMessage.Builder message, String reason, String remedy) {
		logger.info("gDBPool creates no pools: " + reason + " (" + remedy + ")");
		return ConditionOutcome.noMatch(message.because(reason));
	}

}
