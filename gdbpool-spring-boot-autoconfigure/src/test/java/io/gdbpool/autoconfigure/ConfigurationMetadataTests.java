package io.gdbpool.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hand-written {@code META-INF/additional-spring-configuration-metadata.json} (the
 * pools' nested properties, their HikariCP settings and the value hints, which the
 * annotation processor cannot write) is merged into the generated
 * {@code META-INF/spring-configuration-metadata.json} as written. That the merged
 * metadata describes every bindable property, with the right defaults and a hint for
 * every enum value, is checked against the packaged jar by the sample app's
 * {@code ConfigurationMetadataJarTests} (which walks the properties classes, so it cannot
 * go stale). No database.
 */
class ConfigurationMetadataTests {

	@Test
	void handWrittenMetadataIsMergedIntoTheGeneratedMetadata() throws IOException {
		JsonNode additional = read("/META-INF/additional-spring-configuration-metadata.json");
		JsonNode generated = read("/META-INF/spring-configuration-metadata.json");
		for (String section : new String[] { "groups", "properties", "hints" }) {
			Map<String, JsonNode> merged = byName(generated, section);
			Map<String, JsonNode> written = byName(additional, section);
			assertThat(written).as("hand-written " + section).isNotEmpty();
			for (Map.Entry<String, JsonNode> entry : written.entrySet()) {
				assertThat(merged).as("generated " + section).containsKey(entry.getKey());
				assertThat(merged.get(entry.getKey())).as(section + " " + entry.getKey()).isEqualTo(entry.getValue());
			}
		}
		// the pools' nested properties are named with * for the pool's name, under the
		// map the processor writes
		assertThat(byName(generated, "properties")).containsKeys("gdbpool.pools", "gdbpool.pools.*.url",
				"gdbpool.pools.*.role", "gdbpool.pools.*.hikari.maximum-pool-size");
	}

	private static JsonNode read(String resource) throws IOException {
		try (InputStream in = ConfigurationMetadataTests.class.getResourceAsStream(resource)) {
			assertThat(in).as(resource).isNotNull();
			return new JsonMapper().readTree(in);
		}
	}

	private static Map<String, JsonNode> byName(JsonNode metadata, String section) {
		Map<String, JsonNode> byName = new TreeMap<>();
		for (JsonNode node : metadata.path(section)) {
			byName.put(node.path("name").asString(), node);
		}
		return byName;
	}

}
