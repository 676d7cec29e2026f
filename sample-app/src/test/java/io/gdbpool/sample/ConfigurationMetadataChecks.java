package io.gdbpool.sample;

import java.beans.PropertyDescriptor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.gdbpool.autoconfigure.GDBPoolProperties;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.BeanUtils;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.ResolvableType;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks configuration metadata (what IDEs complete and document) against the library's
 * properties classes themselves: every bindable property of every
 * {@code @ConfigurationProperties} class of the library, found by walking the classes
 * rather than from a list that can go stale, is described, with the default the code
 * really has; the value of a map of groups ({@code gdbpool.pools.<name>.*}) is walked as
 * {@code gdbpool.pools.*.*}, HikariCP's settings included; and every enum-typed property
 * has value hints for exactly its constants. No database.
 */
final class ConfigurationMetadataChecks {

	private ConfigurationMetadataChecks() {
	}

	/**
	 * Asserts that the given metadata describes every bindable property of the library.
	 * @param metadata the parsed {@code META-INF/spring-configuration-metadata.json}
	 */
	static void assertDescribesEveryProperty(JsonNode metadata) {
		Map<String, JsonNode> described = byName(metadata, "properties");
		Map<String, Leaf> expected = new TreeMap<>();
		List<String> roots = new ArrayList<>();
		for (Class<?> type : propertiesClasses()) {
			ConfigurationProperties annotation = type.getAnnotation(ConfigurationProperties.class);
			String prefix = annotation.prefix().isEmpty() ? annotation.value() : annotation.prefix();
			roots.add(prefix);
			collect(prefix, type, BeanUtils.instantiateClass(type), expected);
		}
		assertThat(roots).as("@ConfigurationProperties classes of the library").contains(GDBPoolProperties.PREFIX);
		// the walk reaches into the pools and their HikariCP settings (so it cannot
		// silently see less)
		assertThat(expected).containsKeys("gdbpool.pools", "gdbpool.pools.*.url", "gdbpool.pools.*.role",
				"gdbpool.pools.*.hikari.maximum-pool-size");
		// the walk sees every group the metadata has
		for (String group : byName(metadata, "groups").keySet()) {
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
		assertEnumsHaveValueHints(expected, byName(metadata, "hints"), described.keySet());
	}

	/**
	 * Every enum-typed property has a hint whose values are exactly its constants in
	 * Boot's lower-case dashed form, each described; no hint names a property that does
	 * not exist.
	 */
	private static void assertEnumsHaveValueHints(Map<String, Leaf> expected, Map<String, JsonNode> hints,
			Set<String> described) {
		List<String> enumProperties = expected.entrySet()
			.stream()
			.filter((entry) -> entry.getValue().type().isEnum())
			.map(Map.Entry::getKey)
			.toList();
		assertThat(enumProperties).as("enum-typed properties")
			.contains("gdbpool.pools.*.role", "gdbpool.routing.load-balance", "gdbpool.routing.read-your-writes");
		for (String name : enumProperties) {
			Set<String> constants = new TreeSet<>();
			for (Object constant : expected.get(name).type().getEnumConstants()) {
				constants.add(((Enum<?>) constant).name().toLowerCase().replace('_', '-'));
			}
			JsonNode hint = hints.get(name);
			assertThat(hint).as("value hints of " + name).isNotNull();
			Set<String> hinted = new TreeSet<>();
			for (JsonNode value : hint.path("values")) {
				hinted.add(value.path("value").asString());
				assertThat(value.path("description").asString(""))
					.as("description of value " + value.path("value") + " of " + name)
					.isNotBlank();
			}
			assertThat(hinted).as("values hinted for " + name).isEqualTo(constants);
		}
		for (String hint : hints.keySet()) {
			assertThat(described).as("the property of hint " + hint)
				.contains(hint.replaceFirst("\\.(keys|values)$", ""));
		}
	}

	/**
	 * The documented default is the one the code has: absent when the property starts out
	 * unset (or as an empty collection), else the same value once converted as Boot binds
	 * it. Settings of another library's type (HikariCP's) document no default: gDBPool
	 * changes some, so their descriptions say what applies.
	 */
	private static void assertDefaultDocumented(String name, Leaf bindable, JsonNode documented) {
		Object actual = bindable.defaultValue();
		if (!bindable.ours() || actual == null || actual instanceof Collection<?> || actual instanceof Map<?, ?>) {
			assertThat(documented.isMissingNode()).as("default of " + name + " (unset in the code or not ours)")
				.isTrue();
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
			if (isOurs(type)) {
				types.add(type);
			}
		}
		return types;
	}

	private static boolean isOurs(Class<?> type) {
		return Objects.equals(type.getProtectionDomain().getCodeSource(),
				GDBPoolProperties.class.getProtectionDomain().getCodeSource());
	}

	/**
	 * The bindable properties of a properties object, as Boot binds them: a property with
	 * a setter and a type bound from text, or a collection or map with a getter; a group
	 * nested in the properties class (or marked {@link NestedConfigurationProperty}) is
	 * walked into, as the annotation processor does. A map of groups (the pools) is one
	 * entry, as the processor writes it, and its value type is walked with {@code *} for
	 * the key; a getter-only bean of another library (a pool's HikariConfig) is walked
	 * into, as the binder binds into it.
	 */
	private static void collect(String prefix, Class<?> type, Object instance, Map<String, Leaf> into) {
		for (PropertyDescriptor descriptor : BeanUtils.getPropertyDescriptors(type)) {
			Method getter = descriptor.getReadMethod();
			if (descriptor.getName().equals("class") || getter == null) {
				continue;
			}
			String name = prefix + "." + DataObjectPropertyName.toDashedForm(descriptor.getName());
			Class<?> propertyType = descriptor.getPropertyType();
			Object value = ReflectionUtils.invokeMethod(getter, instance);
			if (isNestedGroup(type, descriptor)) {
				collect(name, propertyType, (value != null) ? value : BeanUtils.instantiateClass(propertyType), into);
			}
			else if (Map.class.isAssignableFrom(propertyType) && !Properties.class.isAssignableFrom(propertyType)) {
				into.put(name, new Leaf(propertyType, value, isOurs(type)));
				Class<?> valueType = ResolvableType.forMethodReturnType(getter).asMap().getGeneric(1).resolve();
				// a map of groups: its values' type is ours (nested or, like
				// PoolProperties, a
				// class of its own)
				if (valueType != null && !valueType.isEnum() && (isGroupOf(type, valueType) || isOurs(valueType))) {
					collect(name + ".*", valueType, BeanUtils.instantiateClass(valueType), into);
				}
			}
			else if (descriptor.getWriteMethod() != null && isBoundFromText(propertyType)
					|| Collection.class.isAssignableFrom(propertyType)) {
				into.put(name, new Leaf(propertyType, value, isOurs(type)));
			}
			else if (descriptor.getWriteMethod() == null && value != null
					&& !propertyType.getName().startsWith("java.")) {
				collect(name, propertyType, value, into);
			}
		}
	}

	private static boolean isBoundFromText(Class<?> type) {
		return type != Object.class
				&& (Properties.class.isAssignableFrom(type) || ApplicationConversionService.getSharedInstance()
					.canConvert(String.class, ClassUtils.resolvePrimitiveIfNecessary(type)));
	}

	private static boolean isNestedGroup(Class<?> owner, PropertyDescriptor descriptor) {
		Field field = ReflectionUtils.findField(owner, descriptor.getName());
		if (field != null && field.isAnnotationPresent(NestedConfigurationProperty.class)) {
			return true;
		}
		return isGroupOf(owner, descriptor.getPropertyType());
	}

	/** A class declared inside the properties class is a group of its own. */
	private static boolean isGroupOf(Class<?> owner, Class<?> type) {
		return !type.isEnum() && type.getEnclosingClass() != null && outermost(type) == outermost(owner);
	}

	private static Class<?> outermost(Class<?> type) {
		Class<?> outer = type;
		while (outer.getEnclosingClass() != null) {
			outer = outer.getEnclosingClass();
		}
		return outer;
	}

	private static Map<String, JsonNode> byName(JsonNode metadata, String section) {
		Map<String, JsonNode> byName = new TreeMap<>();
		for (JsonNode node : metadata.path(section)) {
			assertThat(byName.put(node.path("name").asString(), node)).as(section + " named " + node.path("name"))
				.isNull();
		}
		return byName;
	}

	/**
	 * A leaf property: its type, the value a fresh properties object has, and whether its
	 * class is the library's own.
	 */
	private record Leaf(Class<?> type, Object defaultValue, boolean ours) {
	}

}
