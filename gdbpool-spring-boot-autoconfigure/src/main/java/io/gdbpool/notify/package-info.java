/**
 * PostgreSQL LISTEN/NOTIFY: {@link io.gdbpool.notify.PgListen @PgListen} methods found by
 * a bean post-processor, the one LISTEN connection and its reconnection, the
 * subscriptions, the ordered per-channel dispatch of notifications to subscribers and
 * application events, and the binding of payloads to parameter types. It depends on
 * Spring Framework, pgjdbc and {@code support} only: not on routing, transactions, the
 * API or Spring Boot.
 */
@NullMarked
package io.gdbpool.notify;

import org.jspecify.annotations.NullMarked;
