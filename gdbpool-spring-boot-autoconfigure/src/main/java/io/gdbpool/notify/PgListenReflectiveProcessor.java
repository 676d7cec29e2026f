package io.gdbpool.notify;

import java.lang.reflect.Method;
import java.lang.reflect.Type;

import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.ReflectionHints;
import org.springframework.aot.hint.annotation.SimpleReflectiveProcessor;

/**
 * The reflection a {@link PgListen @PgListen} method needs at run time, for AOT
 * processing and native images: the method is invoked reflectively, and a payload read
 * from JSON is bound by Jackson to its parameter type.
 * <p>
 * Spring's AOT processing applies it to each {@code @PgListen} method of a bean (the
 * annotation is meta-annotated with {@code @Reflective}), as it does for
 * {@code @EventListener} methods: an invoke hint for the method, and binding hints
 * (constructors, accessors, fields, and the same for nested types) for every parameter
 * type other than {@link PgNotification}. {@code String} and {@code Map} parameters need
 * none and get none.
 */
public class PgListenReflectiveProcessor extends SimpleReflectiveProcessor {

	private final BindingReflectionHintsRegistrar bindingRegistrar = new BindingReflectionHintsRegistrar();

	/**
	 * Creates the processor; Spring's AOT processing does, once per build.
	 */
	public PgListenReflectiveProcessor() {
	}

	@Override
	protected void registerMethodHint(ReflectionHints hints, Method method) {
		super.registerMethodHint(hints, method);
		for (Type parameterType : method.getGenericParameterTypes()) {
			if (parameterType != PgNotification.class) {
				this.bindingRegistrar.registerReflectionHints(hints, parameterType);
			}
		}
	}

}
