/**
 * The named HikariCP pools, their roles, health and replication lag, the monitor that
 * checks them, the choice of a read pool, and the routing {@code DataSource} that hands
 * out each connection from the pool its route names (with read-your-writes by LSN). It
 * depends on Spring Framework, HikariCP, pgjdbc and {@code support} only: it knows
 * nothing of transactions, the API, notifications or Spring Boot.
 */
@NullMarked
package io.gdbpool.routing;

import org.jspecify.annotations.NullMarked;
