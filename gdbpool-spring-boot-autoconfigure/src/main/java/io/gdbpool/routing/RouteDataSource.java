package io.gdbpool.routing;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;

import javax.sql.DataSource;

import org.springframework.core.InfrastructureProxy;

/**
 * The routing {@link DataSource} fixed to one {@link Route}, for templates on a route.
 * <p>
 * It is an {@link InfrastructureProxy} of the routing DataSource: Spring's transaction
 * synchronization unwraps it, so a JdbcTemplate on this view joins a transaction bound to
 * the routing DataSource, and a connection it binds is found by code on the routing
 * DataSource.
 */
final class RouteDataSource implements DataSource, InfrastructureProxy {

	private final RoutingDataSource routing;

	private final Route route;

	RouteDataSource(RoutingDataSource routing, Route route) {
		this.routing = routing;
		this.route = route;
	}

	Route getRoute() {
		return this.route;
	}

	@Override
	public Object getWrappedObject() {
		return this.routing;
	}

	@Override
	public Connection getConnection() throws SQLException {
		return this.routing.getConnection(this.route);
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		throw new SQLFeatureNotSupportedException(
				"Connections come from the configured pools; credentials are per pool");
	}

	@Override
	public PrintWriter getLogWriter() {
		return null;
	}

	@Override
	public void setLogWriter(PrintWriter out) {
		throw new UnsupportedOperationException("setLogWriter");
	}

	@Override
	public void setLoginTimeout(int seconds) {
		throw new UnsupportedOperationException("setLoginTimeout");
	}

	@Override
	public int getLoginTimeout() {
		return 0;
	}

	@Override
	public Logger getParentLogger() {
		return Logger.getLogger(Logger.GLOBAL_LOGGER_NAME);
	}

	@Override
	public <T> T unwrap(Class<T> iface) throws SQLException {
		return this.routing.unwrap(iface);
	}

	@Override
	public boolean isWrapperFor(Class<?> iface) throws SQLException {
		return this.routing.isWrapperFor(iface);
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof RouteDataSource that && this.routing == that.routing && this.route == that.route;
	}

	@Override
	public int hashCode() {
		return System.identityHashCode(this.routing) * 31 + System.identityHashCode(this.route);
	}

	@Override
	public String toString() {
		return "RouteDataSource[" + this.route + "]";
	}

}
