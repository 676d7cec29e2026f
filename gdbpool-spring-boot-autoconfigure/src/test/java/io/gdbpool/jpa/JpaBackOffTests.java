package io.gdbpool.jpa;

import javax.sql.DataSource;

import io.gdbpool.GDBPoolTemplate;
import io.gdbpool.routing.PoolRegistry;
import io.gdbpool.routing.RoutingDataSource;
import io.gdbpool.test.TestDatabase;
import io.gdbpool.transaction.RoutingJpaTransactionManager;
import jakarta.persistence.EntityManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where the application did not ask for gDBPool, the starter stands back: an H2
 * development profile, an application that excludes Boot's DataSource auto-configuration.
 * And an application that defines its own transaction manager keeps it.
 */
@ExtendWith({ TestDatabase.class, OutputCaptureExtension.class })
class JpaBackOffTests {

	@Test
	void anH2DevelopmentProfileStartsWithTheStarterPresent(CapturedOutput output) {
		try (ConfigurableApplicationContext context = application("spring.datasource.url=jdbc:h2:mem:dev-profile")) {
			assertThat(context.getBean(DataSource.class)).isNotInstanceOf(RoutingDataSource.class);
			assertThat(context.getBeansOfType(PoolRegistry.class)).isEmpty();
			assertThat(context.getBeansOfType(GDBPoolTemplate.class)).isEmpty();
			assertThat(context.getBean(PlatformTransactionManager.class))
				.isExactlyInstanceOf(JpaTransactionManager.class);
			// the application works on H2 as it did before the starter
			OwnerService service = context.getBean(OwnerService.class);
			assertThat(service.addOwnerWithVisit("H2-Owner", "checkup").getId()).isNotNull();
			assertThat(service.countOwners()).isEqualTo(1);
		}
		assertThat(output).contains("gDBPool creates no pools: spring.datasource.url is not a PostgreSQL url");
	}

	@Test
	void anEmbeddedDatabaseWithoutAnyUrlIsLeftToBoot(CapturedOutput output) {
		try (ConfigurableApplicationContext context = application("spring.datasource.generate-unique-name=true")) {
			assertThat(context.getBeansOfType(PoolRegistry.class)).isEmpty();
			assertThat(context.getBean(OwnerService.class).addOwnerWithVisit("Embedded", "x").getId()).isNotNull();
		}
		assertThat(output).contains("gDBPool creates no pools: no spring.datasource.url is set and Boot will use the "
				+ "embedded database H2");
	}

	@Test
	void excludingBootsDataSourceAutoConfigurationLeavesTheApplicationWithoutADataSource(CapturedOutput output) {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(NoDatabaseApplication.class)
			.properties("spring.datasource.url=" + TestDatabase.url(), "spring.main.banner-mode=off",
					"spring.autoconfigure.exclude=org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration,"
							+ "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration")
			.run()) {
			assertThat(context.getBeansOfType(DataSource.class)).isEmpty();
			assertThat(context.getBeansOfType(EntityManagerFactory.class)).isEmpty();
			assertThat(context.getBeansOfType(PoolRegistry.class)).isEmpty();
		}
		assertThat(output).contains("gDBPool creates no pools: the application excludes DataSourceAutoConfiguration");
	}

	@Test
	void anApplicationsOwnTransactionManagerIsKeptAndTheTemplateStillJoinsRepositories() {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(
				OwnTransactionManagerApplication.class)
			.properties("spring.datasource.url=" + TestDatabase.url(),
					"spring.datasource.username=" + TestDatabase.USER,
					"spring.datasource.password=" + TestDatabase.password(), "spring.main.banner-mode=off",
					"spring.jpa.hibernate.ddl-auto=create", "spring.jpa.properties.hibernate.default_schema=jpa_own_tm",
					"spring.sql.init.mode=always", "spring.sql.init.schema-locations=classpath:jpa/own-tm-schema.sql")
			.run()) {
			assertThat(context.getBean(PlatformTransactionManager.class))
				.isSameAs(context.getBean(OwnTransactionManagerApplication.class).own);
			OwnerRepository owners = context.getBean(OwnerRepository.class);
			GDBPoolTemplate template = context.getBean(GDBPoolTemplate.class);
			// the user's manager commits JPA writes
			assertThat(context.getBean(OwnerService.class).addOwnerWithVisit("Own-TM", "v").getId()).isNotNull();
			// the template keeps a routing JPA manager of its own: a rolled-back
			// interaction rolls the save back
			try {
				template.execute((status) -> {
					owners.saveAndFlush(new Owner("Own-TM-Rolled-Back"));
					throw new IllegalStateException("roll back");
				});
			}
			catch (IllegalStateException expected) {
				// the interaction's failure
			}
			assertThat(owners.findByName("Own-TM-Rolled-Back")).isEmpty();
			assertThat(owners.findByName("Own-TM")).hasSize(1);
		}
	}

	private static ConfigurableApplicationContext application(String... properties) {
		return new SpringApplicationBuilder(JpaTestApplication.class).properties(properties)
			.properties("spring.main.banner-mode=off")
			.run();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class NoDatabaseApplication {

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(OwnerService.class)
	static class OwnTransactionManagerApplication {

		final JpaTransactionManager own = new JpaTransactionManager();

		@Bean
		JpaTransactionManager transactionManager(EntityManagerFactory entityManagerFactory) {
			this.own.setEntityManagerFactory(entityManagerFactory);
			return this.own;
		}

		@Bean
		Object templateKeepsItsOwn(GDBPoolTemplate template) {
			// touching the template early must not make it adopt the application's plain
			// manager
			return new Object();
		}

	}

}
