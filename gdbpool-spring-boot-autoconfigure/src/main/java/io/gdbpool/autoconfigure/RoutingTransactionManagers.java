package io.gdbpool.autoconfigure;

import jakarta.persistence.EntityManagerFactory;

import io.gdbpool.routing.RoutingDataSource;
import io.gdbpool.transaction.RouteAwareTransactionManager;
import io.gdbpool.transaction.RoutingJpaTransactionManager;
import io.gdbpool.transaction.RoutingTransactionManager;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.transaction.autoconfigure.TransactionManagerCustomizers;
import org.springframework.util.ClassUtils;

/**
 * Builds the routing transaction manager of the kind the application needs: JPA's when it
 * has an {@link EntityManagerFactory} (so Hibernate joins every transaction), plain
 * JDBC's otherwise. Decided when the bean is created, not when bean definitions are read:
 * Boot's JPA auto-configuration registers the EntityManagerFactory after ours, and its
 * own transaction manager backs off because ours exists.
 */
final class RoutingTransactionManagers {

	private static final boolean JPA_PRESENT = ClassUtils.isPresent("jakarta.persistence.EntityManagerFactory",
			RoutingTransactionManagers.class.getClassLoader())
			&& ClassUtils.isPresent("org.springframework.orm.jpa.JpaTransactionManager",
					RoutingTransactionManagers.class.getClassLoader());

	private RoutingTransactionManagers() {
	}

	/**
	 * @param dataSource the routing DataSource
	 * @param beanFactory where an EntityManagerFactory is looked up
	 * @param customizers Boot's transaction manager customizers
	 * ({@code spring.transaction.*} and the application's), or {@code null}
	 * @return a JPA-aware manager when a unique EntityManagerFactory exists, else a JDBC
	 * one
	 */
	static RouteAwareTransactionManager create(RoutingDataSource dataSource, BeanFactory beanFactory,
			TransactionManagerCustomizers customizers) {
		RouteAwareTransactionManager manager = JPA_PRESENT ? Jpa.create(dataSource, beanFactory) : null;
		if (manager == null) {
			manager = new RoutingTransactionManager(dataSource);
		}
		if (customizers != null) {
			customizers.customize(manager);
		}
		return manager;
	}

	/** Loaded only when JPA is on the class path. */
	private static final class Jpa {

		static RouteAwareTransactionManager create(RoutingDataSource dataSource, BeanFactory beanFactory) {
			EntityManagerFactory entityManagerFactory = beanFactory.getBeanProvider(EntityManagerFactory.class)
				.getIfUnique();
			return (entityManagerFactory != null) ? new RoutingJpaTransactionManager(entityManagerFactory, dataSource)
					: null;
		}

	}

}
