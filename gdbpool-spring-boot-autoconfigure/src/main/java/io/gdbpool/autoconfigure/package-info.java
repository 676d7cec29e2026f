/**
 * Spring Boot wiring only: the {@code gdbpool.*} properties (the one place every default
 * lives), the auto-configurations that build the pools, the routing {@code DataSource},
 * the transaction managers, the template and the listener, and the Actuator health,
 * Micrometer metrics and failure analyzers around them. The only package that depends on
 * {@code org.springframework.boot}; it may use every other package of the library, and
 * none of them depends on it.
 */
@NullMarked
package io.gdbpool.autoconfigure;

import org.jspecify.annotations.NullMarked;
