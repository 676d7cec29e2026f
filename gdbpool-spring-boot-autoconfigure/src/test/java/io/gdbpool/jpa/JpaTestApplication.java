package io.gdbpool.jpa;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * A Spring Data JPA application as users have them: Boot's auto-configuration, entities
 * and repositories in this package, a {@code @Transactional} service. It knows nothing of
 * gDBPool but the configuration the tests give it.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(OwnerService.class)
public class JpaTestApplication {

}
