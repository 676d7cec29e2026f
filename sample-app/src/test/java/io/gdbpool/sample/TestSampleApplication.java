package io.gdbpool.sample;

import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistrar;

/**
 * Runs the sample against a PostgreSQL of its own in a container, where a Docker engine
 * exists: {@code mvn -pl sample-app spring-boot:test-run}. No test uses it.
 */
@TestConfiguration(proxyBeanMethods = false)
public class TestSampleApplication {

	public static void main(String[] args) {
		SpringApplication.from(SampleApplication::main).with(TestSampleApplication.class).run(args);
	}

	@Bean
	@ServiceConnection
	PostgreSQLContainer postgres() {
		return new PostgreSQLContainer(DockerImageName.parse("postgres:15"));
	}

	/**
	 * The starter builds its pool from the service connection only when
	 * {@code gdbpool.pools} is not set; the sample's application.yml names the local
	 * server as pool {@code primary}, so point that pool at the container.
	 * @param postgres the container
	 * @return the properties of pool {@code primary}
	 */
	@Bean
	DynamicPropertyRegistrar primaryPoolInContainer(PostgreSQLContainer postgres) {
		return (registry) -> {
			registry.add("gdbpool.pools.primary.url", postgres::getJdbcUrl);
			registry.add("gdbpool.pools.primary.username", postgres::getUsername);
			registry.add("gdbpool.pools.primary.password", postgres::getPassword);
		};
	}

}
