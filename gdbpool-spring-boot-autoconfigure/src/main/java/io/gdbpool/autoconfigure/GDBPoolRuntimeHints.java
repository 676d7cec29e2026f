package io.gdbpool.autoconfigure;

import com.zaxxer.hikari.HikariConfig;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.boot.context.properties.bind.BindableRuntimeHintsRegistrar;

/**
 * What gDBPool looks up at run time that AOT processing cannot see in the bean
 * definitions, registered through {@code META-INF/spring/aot.factories}:
 * <ul>
 * <li>{@link HikariConfig}'s properties, bound by Boot's {@code Binder} onto a
 * {@code HikariConfig} instance from {@code spring.datasource.hikari.*} (one pool without
 * {@code gdbpool.pools}) and {@code gdbpool.pools.*.hikari.*}: a programmatic binding,
 * which Boot's {@code @ConfigurationProperties} hints do not cover;</li>
 * <li>the classes whose presence decides, at run time, which transaction manager is built
 * (JPA's or JDBC's) and whether {@code notify(channel, object)} writes JSON
 * ({@code ClassUtils.isPresent}, that is {@code Class.forName}, which a native image
 * answers only for registered types).</li>
 * </ul>
 * {@code @PgListen} methods and their payload types get theirs from
 * {@link io.gdbpool.notify.PgListenReflectiveProcessor}; the failure analyzers in
 * {@code META-INF/spring.factories} get theirs from Spring Framework's
 * {@code SpringFactoriesLoaderRuntimeHints}. HikariCP and the PostgreSQL driver bring
 * none of their own; their metadata is in GraalVM's reachability metadata repository.
 */
class GDBPoolRuntimeHints implements RuntimeHintsRegistrar {

	/**
	 * Looked up by {@code RoutingTransactionManagers} and
	 * {@code GDBPoolAutoConfiguration}.
	 */
	static final String[] LOOKED_UP_CLASSES = { "jakarta.persistence.EntityManagerFactory",
			"org.springframework.orm.jpa.JpaTransactionManager", "tools.jackson.databind.json.JsonMapper" };

	@Override
	public void registerHints(RuntimeHints hints, ClassLoader classLoader) {
		BindableRuntimeHintsRegistrar.forTypes(HikariConfig.class).registerHints(hints, classLoader);
		for (String className : LOOKED_UP_CLASSES) {
			hints.reflection().registerTypeIfPresent(classLoader, className);
		}
	}

}
