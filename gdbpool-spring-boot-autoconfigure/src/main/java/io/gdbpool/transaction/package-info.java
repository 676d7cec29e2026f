/**
 * The routing transaction managers (JDBC's, and JPA's when JPA is present), which
 * announce a transaction's route before its connection is taken, and partial
 * transactions: suspended and resumed with Spring's own transaction synchronization,
 * budgeted, checked for liveness and expired when idle. It depends on {@code routing} and
 * {@code support}, Spring Framework and (optionally) JPA: not on the API, notifications
 * or Spring Boot.
 */
@NullMarked
package io.gdbpool.transaction;

import org.jspecify.annotations.NullMarked;
