package io.gdbpool.notify;

import java.lang.reflect.Type;

import tools.jackson.databind.ObjectMapper;

/**
 * Reads JSON payloads with a Jackson 3 mapper, normally the application's own, so its
 * modules and naming settings apply. Only loaded when Jackson is on the class path.
 */
public class JacksonPayloadReader implements PayloadReader {

	private final ObjectMapper mapper;

	/**
	 * @param mapper the mapper to read with
	 */
	public JacksonPayloadReader(ObjectMapper mapper) {
		this.mapper = mapper;
	}

	@Override
	public Object read(String payload, Type type) {
		return this.mapper.readValue(payload, this.mapper.constructType(type));
	}

	@Override
	public String toString() {
		return "JacksonPayloadReader[" + this.mapper.getClass().getSimpleName() + "]";
	}

}
