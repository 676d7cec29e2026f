package io.gdbpool.autoconfigure;

import java.util.function.Function;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.BeanFactory;

/**
 * Writes notification payloads as JSON with the application's Jackson mapper. Loaded only
 * when Jackson 3 is on the classpath.
 */
final class JacksonJsonWriter {

	private JacksonJsonWriter() {
	}

	static Function<Object, String> create(BeanFactory beanFactory) {
		// the same choice as the payload reader: the application's one mapper, else a
		// plain one
		JsonMapper mapper = beanFactory.getBeanProvider(JsonMapper.class).getIfUnique(JsonMapper::shared);
		return mapper::writeValueAsString;
	}

}
