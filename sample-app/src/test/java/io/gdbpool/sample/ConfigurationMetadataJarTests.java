package io.gdbpool.sample;

import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarFile;

import io.gdbpool.autoconfigure.GDBPoolProperties;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration metadata an IDE reads from the starter as users get it: the
 * {@code META-INF/spring-configuration-metadata.json} inside the packaged
 * {@code gdbpool-spring-boot-autoconfigure} jar (the annotation processor's output merged
 * with {@code additional-spring-configuration-metadata.json}) describes every property
 * the library binds, the pools' nested ones and their HikariCP settings included, and
 * hints every enum's values. Run by {@code mvn verify} over the reactor, where this
 * module's classpath has the library's jar, not its {@code target/classes}. No database.
 */
class ConfigurationMetadataJarTests {

	private static final String METADATA = "META-INF/spring-configuration-metadata.json";

	@Test
	void packagedMetadataDescribesEveryPropertyAndEveryEnumValue() throws Exception {
		URL metadata = libraryMetadata();
		assertThat(metadata.getProtocol()).as(metadata + ": the library as a jar, not a directory").isEqualTo("jar");
		JarURLConnection connection = (JarURLConnection) metadata.openConnection();
		connection.setUseCaches(false);
		Path jar = Path.of(connection.getJarFileURL().toURI());
		assertThat(jar.getFileName().toString()).startsWith("gdbpool-spring-boot-autoconfigure-").endsWith(".jar");
		try (JarFile file = new JarFile(jar.toFile())) {
			assertThat(file.getEntry(GDBPoolProperties.class.getName().replace('.', '/') + ".class"))
				.as("the properties class in " + jar)
				.isNotNull();
			try (InputStream in = file.getInputStream(file.getEntry(METADATA))) {
				JsonNode root = new JsonMapper().readTree(in);
				ConfigurationMetadataChecks.assertDescribesEveryProperty(root);
			}
		}
	}

	/** The metadata resource that comes from where the library's classes come from. */
	private static URL libraryMetadata() throws Exception {
		String library = GDBPoolProperties.class.getProtectionDomain().getCodeSource().getLocation().toString();
		List<URL> found = new ArrayList<>();
		for (URL url : Collections.list(ConfigurationMetadataJarTests.class.getClassLoader().getResources(METADATA))) {
			String location = url.toString();
			if (location.startsWith("jar:" + library + "!/") || location.startsWith(library)) {
				found.add(url);
			}
		}
		assertThat(found).as(METADATA + " of the library at " + library).hasSize(1);
		return found.get(0);
	}

}
