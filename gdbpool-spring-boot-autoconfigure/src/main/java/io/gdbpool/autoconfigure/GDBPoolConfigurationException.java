package io.gdbpool.autoconfigure;

/**
 * The {@code gdbpool.*} configuration is wrong. Carries the property at fault and how to
 * fix it, for {@link GDBPoolConfigurationFailureAnalyzer}.
 */
public class GDBPoolConfigurationException extends IllegalStateException {

	/** The property at fault. */
	private final String property;

	/** How to fix it. */
	private final String fix;

	/**
	 * @param property the property at fault, e.g. {@code gdbpool.default-write-pool}
	 * @param problem what is wrong with it
	 * @param fix how to fix it
	 */
	public GDBPoolConfigurationException(String property, String problem, String fix) {
		super(problem + " (property '" + property + "'). " + fix);
		this.property = property;
		this.fix = fix;
	}

	/**
	 * @return the property at fault
	 */
	public String getProperty() {
		return this.property;
	}

	/**
	 * @return what is wrong, without the property and the fix
	 */
	public String getProblem() {
		String message = getMessage();
		return message.substring(0, message.indexOf(" (property '"));
	}

	/**
	 * @return how to fix it
	 */
	public String getFix() {
		return this.fix;
	}

}
