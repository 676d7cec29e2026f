package io.gdbpool.notify;

import java.time.Instant;

/**
 * A notification received on the LISTEN connection.
 *
 * @param channel the channel it was sent on, exactly as named
 * @param payload its payload, empty when none was sent
 * @param pid the process id of the sending backend
 * @param receivedAt when the LISTEN connection read it
 */
public record PgNotification(String channel, String payload, int pid, Instant receivedAt) {

}
