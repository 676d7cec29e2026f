package io.gdbpool.notify;

import java.lang.reflect.Type;

/**
 * Reads a notification payload into the type a {@link PgListen @PgListen} method takes,
 * for types other than {@code String}, {@code PgNotification} and
 * {@code Map<String, String>}: JSON, in practice, through the application's mapper (see
 * {@link JacksonPayloadReader}).
 */
@FunctionalInterface
public interface PayloadReader {

	/**
	 * @param payload a notification payload
	 * @param type the parameter type, generics included
	 * @return the payload as that type
	 * @throws RuntimeException if the payload cannot be read as that type
	 */
	Object read(String payload, Type type);

}
