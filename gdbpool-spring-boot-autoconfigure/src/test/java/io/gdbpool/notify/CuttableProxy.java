package io.gdbpool.notify;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP proxy to a server that a test can cut like a network partition: while
 * cut, no byte goes through in either direction and no socket is closed, so neither side
 * sees anything but silence. New connections are accepted but not relayed either (a
 * frozen server looks the same: its kernel still accepts).
 * <p>
 * It can also play a server that is down: every relayed connection closes and the port
 * refuses new ones, until it accepts on the same port again.
 */
final class CuttableProxy implements AutoCloseable {

	private final int port;

	/**
	 * The listening socket; {@code null} while connections are refused. Guarded by
	 * {@link #listening}.
	 */
	private ServerSocket server;

	private final Object listening = new Object();

	private final String targetHost;

	private final int targetPort;

	private final List<Socket> sockets = new CopyOnWriteArrayList<>();

	private final AtomicInteger accepted = new AtomicInteger();

	private final Object gate = new Object();

	private volatile boolean cut;

	private volatile boolean closed;

	CuttableProxy(String targetHost, int targetPort) throws IOException {
		this.targetHost = targetHost;
		this.targetPort = targetPort;
		this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		this.port = this.server.getLocalPort();
		Thread acceptor = new Thread(this::accept, "proxy-accept");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	/**
	 * @param database the database name
	 * @return a JDBC url through this proxy
	 */
	String url(String database) {
		return "jdbc:postgresql://127.0.0.1:" + this.port + "/" + database;
	}

	/**
	 * Like a server that went down: closes every relayed connection, and the port refuses
	 * new ones (nothing listens, so a connect fails at once).
	 */
	void refuseConnections() throws IOException {
		synchronized (this.listening) {
			if (this.server != null) {
				this.server.close();
				this.server = null;
			}
			for (Socket socket : this.sockets) {
				socket.close();
			}
			this.sockets.clear();
		}
	}

	/** Like the server back up: accepts and relays on the same port again. */
	void acceptConnections() throws IOException {
		synchronized (this.listening) {
			if (this.server != null) {
				return;
			}
			ServerSocket socket = new ServerSocket();
			socket.setReuseAddress(true);
			socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.port), 50);
			this.server = socket;
			this.listening.notifyAll();
		}
	}

	/**
	 * @return connections accepted so far, cut or not: the listener's TCP checks and its
	 * connection attempts, so a test can see it trying without watching the clock
	 */
	int accepted() {
		return this.accepted.get();
	}

	/** Stops relaying, silently. */
	void cut() {
		this.cut = true;
	}

	/** Relays again; bytes held back meanwhile go through now. */
	void restore() {
		synchronized (this.gate) {
			this.cut = false;
			this.gate.notifyAll();
		}
	}

	@Override
	public void close() throws IOException {
		this.closed = true;
		restore();
		refuseConnections();
		synchronized (this.listening) {
			this.listening.notifyAll();
		}
	}

	private void accept() {
		while (!this.closed) {
			ServerSocket listener;
			synchronized (this.listening) {
				while ((listener = this.server) == null && !this.closed) {
					try {
						this.listening.wait();
					}
					catch (InterruptedException ex) {
						return;
					}
				}
			}
			if (listener == null) {
				return;
			}
			try {
				Socket client = listener.accept();
				this.accepted.incrementAndGet();
				Socket upstream = new Socket(this.targetHost, this.targetPort);
				synchronized (this.listening) {
					if (this.server != listener) {
						// refused meanwhile: this one goes down with the others
						client.close();
						upstream.close();
						continue;
					}
					this.sockets.add(client);
					this.sockets.add(upstream);
				}
				relay(client, upstream, "proxy-up");
				relay(upstream, client, "proxy-down");
			}
			catch (IOException ex) {
				// closed, or refusing connections now
			}
		}
	}

	private void relay(Socket from, Socket to, String name) {
		Thread thread = new Thread(() -> {
			byte[] buffer = new byte[16384];
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				while (true) {
					awaitOpen();
					int read = in.read(buffer);
					if (read < 0) {
						return;
					}
					// bytes read just before a cut are held back, not delivered
					awaitOpen();
					out.write(buffer, 0, read);
					out.flush();
				}
			}
			catch (IOException | InterruptedException ex) {
				// connection closed
			}
		}, name);
		thread.setDaemon(true);
		thread.start();
	}

	private void awaitOpen() throws InterruptedException {
		synchronized (this.gate) {
			while (this.cut && !this.closed) {
				this.gate.wait();
			}
		}
	}

}
