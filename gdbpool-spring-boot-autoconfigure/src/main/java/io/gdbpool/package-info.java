/**
 * The API applications code against: {@link io.gdbpool.GDBPoolTemplate} (plain SQL on the
 * read and write routes, views of one route or pool, interactions, asynchronous
 * interactions, notifications, dry runs) and {@link io.gdbpool.PartialTransaction} with
 * its exceptions. It builds on {@code transaction}, {@code routing} and {@code support},
 * and may use {@code notify}'s channel rules for the notifications it sends; it never
 * depends on {@code autoconfigure} nor on Spring Boot, so it works in a plain Spring
 * application.
 */
@NullMarked
package io.gdbpool;

import org.jspecify.annotations.NullMarked;
