package io.gdbpool.autoconfigure;

import io.gdbpool.routing.PoolStartupException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a write pool that could not connect during start-up: which pool, which url
 * (never the password), what the server or network said.
 */
class PoolStartupFailureAnalyzer extends AbstractFailureAnalyzer<PoolStartupException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, PoolStartupException cause) {
		String prefix = "gdbpool.pools." + cause.getPoolName();
		return new FailureAnalysis(
				"gDBPool write pool '" + cause.getPoolName() + "' could not connect to " + cause.getUrl()
						+ ".\n\n    Reason: " + cause.getReason(),
				"Check that the server at " + cause.getUrl()
						+ " is running and reachable, that the database exists and that "
						+ "the credentials are right (" + prefix + ".url, " + prefix + ".username, " + prefix
						+ ".password; or spring.datasource.* for the pool named 'default').",
				cause);
	}

}
