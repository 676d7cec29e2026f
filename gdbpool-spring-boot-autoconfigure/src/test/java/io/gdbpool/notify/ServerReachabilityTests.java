package io.gdbpool.notify;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Properties;

import io.gdbpool.test.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The TCP check the listener makes while its server is away, against real sockets.
 */
@ExtendWith(TestDatabase.class)
class ServerReachabilityTests {

	@Test
	void theDatabaseAcceptsAndAClosedPortDoesNot() throws IOException {
		assertThat(ServerReachability.of(TestDatabase.url(), new Properties(), 1000).accepting()).isTrue();
		assertThat(ServerReachability.of(url(closedPort()), new Properties(), 1000).accepting()).isFalse();
	}

	@Test
	void anyHostOfSeveralAcceptingIsEnough() throws IOException {
		try (ServerSocket open = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			String twoHosts = "jdbc:postgresql://127.0.0.1:" + closedPort() + ",127.0.0.1:" + open.getLocalPort()
					+ "/test";
			ServerReachability reachability = ServerReachability.of(twoHosts, new Properties(), 1000);
			assertThat(reachability.canTell()).isTrue();
			assertThat(reachability.accepting()).isTrue();
		}
	}

	@Test
	void aTransportOtherThanPlainTcpIsNotJudgedByATcpCheck() throws IOException {
		Properties properties = new Properties();
		properties.setProperty("socketFactory", "org.newsclub.net.unix.AFUNIXSocketFactory$FactoryArg");
		ServerReachability reachability = ServerReachability.of(url(closedPort()), properties, 1000);
		assertThat(reachability.canTell()).isFalse();
		assertThat(reachability.accepting()).isTrue();
	}

	private static String url(int port) {
		return "jdbc:postgresql://127.0.0.1:" + port + "/test";
	}

	/** A loopback port nothing listens on any more. */
	private static int closedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
