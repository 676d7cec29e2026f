package io.gdbpool.sample;

import java.sql.SQLException;

import io.gdbpool.PartialTransactionExpiredException;
import io.gdbpool.PartialTransactionLimitException;
import io.gdbpool.PartialTransactionLostException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error a user can cause answers with a JSON {@link ProblemDetail}, never a stack
 * trace. Spring MVC's own exceptions (bad path variable, unsupported method, ...) are
 * handled by the {@link ResponseEntityExceptionHandler} this extends.
 */
@RestControllerAdvice
public class Problems extends ResponseEntityExceptionHandler {

	/**
	 * PostgreSQL's lock_not_available: {@code FOR UPDATE NOWAIT} found the row locked.
	 */
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
	ResponseEntity<ProblemDetail> tooManyHolds(PartialTransactionLimitException ex) {
		ProblemDetail problem = problem(HttpStatus.SERVICE_UNAVAILABLE, "Too many holds right now",
				"Every place for a seat hold is taken (" + ex.getLimit() + " at once); try again in a moment");
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, "1")
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(problem);
	}

	@ExceptionHandler
	ProblemDetail lost(PartialTransactionLostException ex) {
		return problem(HttpStatus.GONE, "Hold lost", "The hold's database session ended (server restart or failover); "
				+ "nothing was booked and the seat is free again. Hold it again");
	}

	@ExceptionHandler
	ProblemDetail badInput(DataIntegrityViolationException ex) {
		// e.g. text with a NUL character (22021) or too long for its column (22001): the
		// input, not us
		return problem(HttpStatus.BAD_REQUEST, "Bad input",
				"The database refused the input: " + ((ex.getMostSpecificCause().getMessage() != null)
						? firstLine(ex.getMostSpecificCause().getMessage()) : "invalid value"));
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

	/**
	 * The database is unreachable (no connection within the pool's timeout, or a write
	 * pool whose server the monitor found silent) or the connection broke mid-statement
	 * (server restart): transient, so 503, not 500.
	 */
	@ExceptionHandler({ DataAccessResourceFailureException.class, TransientDataAccessResourceException.class })
	ProblemDetail unavailable(DataAccessException ex) {
		log.warn("No database connection: " + ex.getMostSpecificCause().getMessage());
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

	private static String firstLine(String message) {
		int end = message.indexOf('\n');
		return (end < 0) ? message : message.substring(0, end);
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
