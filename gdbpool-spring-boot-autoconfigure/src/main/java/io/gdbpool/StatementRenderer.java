package io.gdbpool;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.postgresql.PGStatement;

import org.springframework.jdbc.core.ArgumentPreparedStatementSetter;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.support.SQLExceptionTranslator;

/**
 * Renders a statement with its parameters inlined, for a dry run. The text is pgjdbc's
 * own: the driver prepares the statement (which sends nothing to the server until it is
 * executed), binds the parameters exactly as {@code JdbcTemplate} would, and prints them
 * as literals with its own quoting and escaping. Nothing is executed.
 */
final class StatementRenderer {

	private final DataSource dataSource;

	private final SQLExceptionTranslator translator;

	StatementRenderer(DataSource dataSource, SQLExceptionTranslator translator) {
		this.dataSource = dataSource;
		this.translator = translator;
	}

	String render(String sql, Object... args) {
		if (sql == null || sql.isBlank()) {
			throw new IllegalArgumentException("SQL must not be empty");
		}
		Connection connection = DataSourceUtils.getConnection(this.dataSource);
		try (PreparedStatement statement = connection.prepareStatement(sql)) {
			new ArgumentPreparedStatementSetter(textArrays(connection, args)).setValues(statement);
			// the pool's proxy prints itself; the driver's statement prints the SQL with
			// its literals
			return statement.unwrap(PGStatement.class).toString();
		}
		catch (SQLException ex) {
			throw this.translator.translate("render", sql, ex);
		}
		finally {
			DataSourceUtils.releaseConnection(connection, this.dataSource);
		}
	}

	/**
	 * pgjdbc sends Java arrays in binary, which it cannot print; as SQL arrays they go as
	 * text literals with the same value, which it prints.
	 */
	private static Object[] textArrays(Connection connection, Object[] args) throws SQLException {
		if (args == null) {
			return null;
		}
		Object[] converted = args;
		for (int i = 0; i < args.length; i++) {
			Object arg = args[i];
			if (arg != null && arg.getClass().isArray() && !(arg instanceof byte[])) {
				if (converted == args) {
					converted = args.clone();
				}
				converted[i] = toSqlArray(connection, arg);
			}
		}
		return converted;
	}

	private static Array toSqlArray(Connection connection, Object array) throws SQLException {
		int length = java.lang.reflect.Array.getLength(array);
		Object[] elements = new Object[length];
		for (int i = 0; i < length; i++) {
			elements[i] = java.lang.reflect.Array.get(array, i);
		}
		return connection.createArrayOf(elementType(array.getClass().getComponentType()), elements);
	}

	private static String elementType(Class<?> type) {
		if (type == int.class || type == Integer.class) {
			return "int4";
		}
		if (type == long.class || type == Long.class) {
			return "int8";
		}
		if (type == short.class || type == Short.class) {
			return "int2";
		}
		if (type == double.class || type == Double.class) {
			return "float8";
		}
		if (type == float.class || type == Float.class) {
			return "float4";
		}
		if (type == boolean.class || type == Boolean.class) {
			return "bool";
		}
		if (type == java.math.BigDecimal.class) {
			return "numeric";
		}
		if (type == java.util.UUID.class) {
			return "uuid";
		}
		return "text";
	}

}
