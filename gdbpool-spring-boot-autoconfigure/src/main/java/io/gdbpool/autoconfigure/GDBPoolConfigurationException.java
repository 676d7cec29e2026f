package io.gdbpool.autoconfigure;

/**
 * The {@code gdbpool.*} configuration is wrong. Carries the property at fault and how to
 * fix it, for {@link GDBPoolConfigurationFailureAnalyzer}.
 */
public class GDBPoolConfigurationException extends IllegalStateException {

	private final String property;

	private final String fix;

	public GDBPoolConfigurationException(String property, String problem, String fix) {
		super(problem + " (property '" + property + "'). " + fix);
		this.property = property;
		this.fix = fix;
	}

	public String getProperty() {
		return this.property;
	}

	public String getProblem() {
		String message = getMessage();
		return message.substring(0, message.indexOf(" (property '"));
	}

	public String getFix() {
		return this.fix;
	}

}
