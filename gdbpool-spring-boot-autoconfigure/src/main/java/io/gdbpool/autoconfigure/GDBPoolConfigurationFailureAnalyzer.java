package io.gdbpool.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a wrong {@code gdbpool.*} configuration: the property and the fix.
 */
class GDBPoolConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<GDBPoolConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, GDBPoolConfigurationException cause) {
		return new FailureAnalysis(
				"gDBPool configuration is invalid: " + cause.getProblem() + ".\n\n    Property: " + cause.getProperty(),
				cause.getFix(), cause);
	}

}
