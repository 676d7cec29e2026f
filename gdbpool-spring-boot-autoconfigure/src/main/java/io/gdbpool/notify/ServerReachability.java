package io.gdbpool.notify;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.postgresql.Driver;

/**
 * Whether the server behind a JDBC url accepts TCP connections at all: a plain socket
 * connect to each of the url's hosts, closed at once, nothing sent.
 * <p>
 * While the server is down this costs the server nothing (the kernel answers with a
 * reset), so the listener can ask often and make a full, expensive pgjdbc attempt as soon
 * as the answer changes. A yes says little more than that: a frozen server's kernel still
 * accepts into its backlog, and a server starting up accepts only to refuse the login.
 * The full attempt and its timeouts decide the rest.
 * <p>
 * When the driver does not reach the server over plain TCP to the url's hosts (a
 * {@code socketFactory} such as a Unix-socket or cloud connector, or no host in the url),
 * a TCP check would say nothing about it: then every check answers yes and the full
 * attempts decide.
 */
final class ServerReachability implements Reconnection.TcpCheck {

	private final List<HostAndPort> hosts;

	private final int timeoutMillis;

	private ServerReachability(List<HostAndPort> hosts, int timeoutMillis) {
		this.hosts = hosts;
		this.timeoutMillis = timeoutMillis;
	}

	/**
	 * @param url a pgjdbc url, one host or several
	 * @param properties the driver properties; like pgjdbc, they may name the hosts and
	 * ports
	 * @param timeoutMillis how long one host may take to accept
	 * @return a check of the url's hosts
	 */
	static ServerReachability of(String url, Properties properties, int timeoutMillis) {
		return new ServerReachability(hostsReachedOverTcp(url, properties), timeoutMillis);
	}

	/**
	 * @return whether any host accepted a TCP connection within the timeout (or the hosts
	 * cannot be checked this way)
	 */
	@Override
	public boolean accepting() {
		if (this.hosts.isEmpty()) {
			return true;
		}
		for (HostAndPort host : this.hosts) {
			if (accepts(host)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * @return whether the check can tell anything, i.e. the driver connects over TCP to
	 * known hosts
	 */
	boolean canTell() {
		return !this.hosts.isEmpty();
	}

	@Override
	public String toString() {
		return canTell() ? this.hosts.toString() : "[not checked over TCP]";
	}

	private boolean accepts(HostAndPort host) {
		// resolved on each check: after a failover a name may point elsewhere
		InetSocketAddress address = new InetSocketAddress(host.host(), host.port());
		if (address.isUnresolved()) {
			return false;
		}
		// closed with a plain FIN: PostgreSQL logs nothing for a connection that sent no
		// byte, but would log a reset
		try (Socket socket = new Socket()) {
			socket.connect(address, this.timeoutMillis);
			return true;
		}
		catch (IOException ex) {
			// refused, unreachable or timed out: not accepting now
			return false;
		}
	}

	/**
	 * The hosts pgjdbc itself would connect to, parsed by pgjdbc so every url form it
	 * knows (several hosts, defaults, IPv6 literals, host and port as properties) means
	 * the same here. Empty when a TCP check could not speak for the driver's transport.
	 */
	private static List<HostAndPort> hostsReachedOverTcp(String url, Properties properties) {
		if (properties.getProperty("socketFactory") != null) {
			return List.of();
		}
		Properties parsed = Driver.parseURL(url, properties);
		if (parsed == null) {
			return List.of();
		}
		String[] hosts = parsed.getProperty("PGHOST", "").split(",", -1);
		String[] ports = parsed.getProperty("PGPORT", "").split(",", -1);
		if (hosts.length != ports.length) {
			return List.of();
		}
		List<HostAndPort> result = new ArrayList<>();
		for (int i = 0; i < hosts.length; i++) {
			String host = hosts[i].trim();
			if (host.isEmpty()) {
				return List.of();
			}
			try {
				result.add(new HostAndPort(host, Integer.parseInt(ports[i].trim())));
			}
			catch (NumberFormatException ex) {
				return List.of();
			}
		}
		return List.copyOf(result);
	}

	private record HostAndPort(String host, int port) {

		@Override
		public String toString() {
			return this.host + ":" + this.port;
		}

	}

}
