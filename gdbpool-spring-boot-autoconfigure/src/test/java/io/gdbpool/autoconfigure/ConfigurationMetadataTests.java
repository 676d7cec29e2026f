package io.gdbpool.autoconfigure;

import java.beans.PropertyDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.BeanUtils;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generated {@code META-INF/spring-configuration-metadata.json} (what IDEs complete
 * and document) against the properties classes themselves: every bindable property of
 * every {@code @ConfigurationProperties} class of the library, found by walking the
 * classes rather than from a list that can go stale, is described, with the default the
 * code really has. No database.
 */
class ConfigurationMetadataTests {

	@Test
	void configurationMetadataDescribesEveryGdbpoolProperty() throws IOException {
		Map<String, JsonNode> described = metadata("properties");
		Map<String, Leaf> expected = new TreeMap<>();
		List<String> roots = new ArrayList<>();
		for (Class<?> type : propertiesClasses()) {
			ConfigurationProperties annotation = type.getAnnotation(ConfigurationProperties.class);
			String prefix = annotation.prefix().isEmpty() ? annotation.value() : annotation.prefix();
			roots.add(prefix);
			collect(prefix, type, BeanUtils.instantiateClass(type), expected);
		}
		assertThat(roots).as("@ConfigurationProperties classes of the library").contains(GDBPoolProperties.PREFIX);
		// the walk sees every group the annotation processor saw (so it cannot silently
		// see less)
		for (String group : metadata("groups").keySet()) {
			assertThat(expected.keySet()).as("properties of group " + group)
				.anyMatch((name) -> name.startsWith(group + "."));
		}
		// exactly the bindable properties are described: none missing, none left over
		assertThat(described.keySet())
			.filteredOn((name) -> roots.stream().anyMatch((root) -> name.startsWith(root + ".")))
			.containsExactlyInAnyOrderElementsOf(expected.keySet());
		for (Map.Entry<String, Leaf> entry : expected.entrySet()) {
			String name = entry.getKey();
			JsonNode property = described.get(name);
			assertThat(property.path("description").asString("")).as("description of " + name).isNotBlank();
			assertDefaultDocumented(name, entry.getValue(), property.path("defaultValue"));
		}
	}

	/**
	 * The documented default is the one the code has: absent when the property starts out
	 * unset (or as an empty collection), else the same value once converted as Boot binds
	 * it.
	 */
	private static void assertDefaultDocumented(String name, Leaf bindable, JsonNode documented) {
		Object actual = bindable.defaultValue();
		if (actual == null || actual instanceof Collection<?> || actual instanceof Map<?, ?>) {
			assertThat(documented.isMissingNode()).as("default of " + name + " (unset in the code)").isTrue();
			return;
		}
		assertThat(documented.isMissingNode()).as("default of " + name + " (" + actual + " in the code)").isFalse();
		Object converted = ApplicationConversionService.getSharedInstance()
			.convert(documented.asString(), TypeDescriptor.valueOf(String.class),
					TypeDescriptor.valueOf(ClassUtils.resolvePrimitiveIfNecessary(bindable.type())));
		assertThat(converted).as("default of " + name + " documented as " + documented).isEqualTo(actual);
	}

	/** The library's own {@code @ConfigurationProperties} classes (not tests'). */
	private static List<Class<?>> propertiesClasses() {
		ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
		scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
		List<Class<?>> types = new ArrayList<>();
		for (BeanDefinition candidate : scanner.findCandidateComponents("io.gdbpool")) {
			Class<?> type = ClassUtils.resolveClassName(Objects.requireNonNull(candidate.getBeanClassName()), null);
			if (Objects.equals(type.getProtectionDomain().getCodeSource(),
					GDBPoolProperties.class.getProtectionDomain().getCodeSource())) {
				types.add(type);
			}
		}
		return types;
	}

	/**
	 * The bindable properties of a properties object, as Boot's annotation processor
	 * finds them: a property with a setter, or a collection or map with a getter; a group
	 * nested in the properties class (or marked {@link NestedConfigurationProperty}) is
	 * walked into. A map of groups (the pools) is one entry, as in the metadata.
	 */
	private static void collect(String prefix, Class<?> type, Object instance, Map<String, Leaf> into) {
		for (PropertyDescriptor descriptor : BeanUtils.getPropertyDescriptors(type)) {
			if (descriptor.getName().equals("class") || descriptor.getReadMethod() == null) {
				continue;
			}
			String name = prefix + "." + descriptor.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
			Class<?> propertyType = descriptor.getPropertyType();
			Object value = ReflectionUtils.invokeMethod(descriptor.getReadMethod(), instance);
			if (isNestedGroup(type, descriptor)) {
				collect(name, propertyType, (value != null) ? value : BeanUtils.instantiateClass(propertyType), into);
			}
			else if (descriptor.getWriteMethod() != null || Collection.class.isAssignableFrom(propertyType)
					|| Map.class.isAssignableFrom(propertyType)) {
				into.put(name, new Leaf(propertyType, value));
			}
		}
	}

	private static boolean isNestedGroup(Class<?> owner, PropertyDescriptor descriptor) {
		Class<?> type = descriptor.getPropertyType();
		Field field = ReflectionUtils.findField(owner, descriptor.getName());
		if (field != null && field.isAnnotationPresent(NestedConfigurationProperty.class)) {
			return true;
		}
		// a class declared inside the properties class is a group of its own, as for the
		// processor
		return !type.isEnum() && type.getEnclosingClass() != null && outermost(type) == outermost(owner);
	}

	private static Class<?> outermost(Class<?> type) {
		Class<?> outer = type;
		while (outer.getEnclosingClass() != null) {
			outer = outer.getEnclosingClass();
		}
		return outer;
	}

	private static Map<String, JsonNode> metadata(String section) throws IOException {
		try (InputStream in = ConfigurationMetadataTests.class
			.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			assertThat(in)
				.as("META-INF/spring-configuration-metadata.json (written by spring-boot-configuration-processor)")
				.isNotNull();
			Map<String, JsonNode> byName = new TreeMap<>();
			for (JsonNode node : new JsonMapper().readTree(in).path(section)) {
				byName.put(node.path("name").asString(), node);
			}
			return byName;
		}
	}

	/** A leaf property: its type and the value a fresh properties object has. */
	private record Leaf(Class<?> type, Object defaultValue) {
	}

}
