package io.gdbpool.sample;

import java.sql.SQLException;

import io.gdbpool.PartialTransactionExpiredException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error a user can cause answers with a JSON {@link ProblemDetail}, never a stack trace.
 * Spring MVC's own exceptions (bad path variable, unsupported method, ...) are handled by the
 * {@link ResponseEntityExceptionHandler} this extends.
 */
@RestControllerAdvice
public class Problems extends ResponseEntityExceptionHandler {

	/** PostgreSQL's lock_not_available: {@code FOR UPDATE NOWAIT} found the row locked. */
	static final String LOCK_NOT_AVAILABLE = "55P03";

	private static final Log log = LogFactory.getLog(Problems.class);

	@ExceptionHandler
	ProblemDetail seatProblem(SeatProblem ex) {
		return problem(ex.getStatus(), ex.getTitle(), ex.getMessage());
	}

	@ExceptionHandler
	ProblemDetail lockNotAvailable(PessimisticLockingFailureException ex) {
		if (LOCK_NOT_AVAILABLE.equals(sqlState(ex))) {
			return problem(HttpStatus.CONFLICT, "Seat held by someone else",
					"The seat is held by someone else right now; try another seat or try again shortly");
		}
		return unexpected(ex);
	}

	@ExceptionHandler
	ProblemDetail expired(PartialTransactionExpiredException ex) {
		return problem(HttpStatus.GONE, "Hold expired", ex.getMessage());
	}

	@ExceptionHandler
	ProblemDetail conflict(IllegalStateException ex) {
		// e.g. a second step on a hold while one is running
		return problem(HttpStatus.CONFLICT, "Conflict", ex.getMessage());
	}

	@ExceptionHandler
	ProblemDetail badRequest(IllegalArgumentException ex) {
		return problem(HttpStatus.BAD_REQUEST, "Bad request", ex.getMessage());
	}

	@ExceptionHandler
	ProblemDetail unavailable(CannotGetJdbcConnectionException ex) {
		log.warn("No database connection: " + ex.getMessage());
		return problem(HttpStatus.SERVICE_UNAVAILABLE, "Database unavailable",
				"No database connection could be had right now; try again shortly");
	}

	@ExceptionHandler
	ProblemDetail unexpected(Exception ex) {
		log.error("Unexpected error", ex);
		return problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error",
				"Something went wrong on our side; the log has the details");
	}

	private static ProblemDetail problem(HttpStatus status, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setTitle(title);
		return problem;
	}

	private static String sqlState(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof SQLException sql && sql.getSQLState() != null) {
				return sql.getSQLState();
			}
		}
		return null;
	}

}
