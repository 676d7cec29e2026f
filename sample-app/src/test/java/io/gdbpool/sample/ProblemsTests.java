package io.gdbpool.sample;

import org.junit.jupiter.api.Test;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.http.ProblemDetail;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The answers for failures the HTTP tests cannot provoke on the shared database: a
 * connection that breaks mid-statement (primary restarted) is a 503, not a 500.
 */
class ProblemsTests {

	private final Problems problems = new Problems();

	@Test
	void aConnectionBrokenMidStatementIsServiceUnavailable() {
		ProblemDetail problem = this.problems.unavailable(
				new DataAccessResourceFailureException("FATAL: terminating connection due to administrator command"));
		assertThat(problem.getStatus()).isEqualTo(503);
		assertThat(problem.getTitle()).isEqualTo("Database unavailable");
		assertThat(this.problems.unavailable(new TransientDataAccessResourceException("primary changed")).getStatus())
			.isEqualTo(503);
	}

}
