package io.gdbpool.sample;

import java.util.List;

/**
 * The seat map and which pool's connection read it.
 *
 * @param servedBy the {@code application_name} of the connection that ran the query, i.e.
 * {@code gdbpool-<pool>}
 * @param serverPort the port of the PostgreSQL server that answered
 * @param standby whether that server is a streaming replica
 * @param seats the seats, in id order
 */
public record SeatMap(String servedBy, Integer serverPort, boolean standby, List<Seat> seats) {
}
