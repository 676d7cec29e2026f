package io.gdbpool.notify;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.Map;
import java.util.function.Consumer;

import org.springframework.core.ResolvableType;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Calls one {@link PgListen @PgListen} method with each notification, its payload bound
 * to the method's first parameter type and, when the method takes a second parameter, the
 * {@link PgNotification} itself as that one (as Spring listener methods take payload plus
 * headers).
 */
final class PgListenMethodAdapter implements Consumer<PgNotification> {

	/**
	 * How a notification becomes the method's argument.
	 */
	enum Binding {

		/** The {@link PgNotification} itself. */
		NOTIFICATION,

		/** The payload as a {@code String}. */
		PAYLOAD,

		/** The payload as {@code k1:v1|k2:v2} pairs in a {@code Map<String, String>}. */
		PAIRS,

		/** The payload read as JSON into the parameter type. */
		JSON

	}

	private static final String SIGNATURES = "exactly one parameter (PgNotification, String, Map<String, String> "
			+ "or a type read from JSON), optionally followed by a PgNotification parameter for the channel and pid";

	private final Object bean;

	private final Method method;

	private final Binding binding;

	private final boolean withNotification;

	private final Type parameterType;

	private final PayloadReader reader;

	PgListenMethodAdapter(Object bean, Method method, PayloadReader reader) {
		this.bean = bean;
		this.method = method;
		this.binding = bindingOf(method);
		this.withNotification = method.getParameterCount() == 2;
		this.parameterType = method.getGenericParameterTypes()[0];
		this.reader = reader;
		ReflectionUtils.makeAccessible(method);
	}

	/**
	 * @param method a {@code @PgListen} method
	 * @return how its first parameter is bound (a second one, if any, is the
	 * {@code PgNotification})
	 * @throws IllegalStateException if its signature is not one a notification can be
	 * bound to: no parameter, more than two, a second that is not a
	 * {@code PgNotification}, or the notification twice
	 */
	static Binding bindingOf(Method method) {
		int count = method.getParameterCount();
		if (count != 1 && count != 2) {
			throw new IllegalStateException(
					"@PgListen method " + describe(method) + " must take " + SIGNATURES + ", but takes " + count);
		}
		if (count == 2) {
			Class<?> second = method.getParameterTypes()[1];
			if (second != PgNotification.class) {
				throw new IllegalStateException("@PgListen method " + describe(method) + " must take " + SIGNATURES
						+ ", but its second parameter is a " + second.getName() + ", not a PgNotification");
			}
			if (method.getParameterTypes()[0] == PgNotification.class) {
				throw new IllegalStateException("@PgListen method " + describe(method) + " must take " + SIGNATURES
						+ ", but takes the PgNotification twice: take the payload first, or the notification alone");
			}
		}
		Class<?> type = method.getParameterTypes()[0];
		if (type == PgNotification.class) {
			return Binding.NOTIFICATION;
		}
		if (type == String.class) {
			return Binding.PAYLOAD;
		}
		if (type == Map.class) {
			ResolvableType map = ResolvableType.forMethodParameter(method, 0);
			Class<?> key = map.getGeneric(0).resolve(String.class);
			Class<?> value = map.getGeneric(1).resolve(String.class);
			if (key == String.class && value == String.class) {
				return Binding.PAIRS;
			}
		}
		return Binding.JSON;
	}

	/**
	 * @param method a method
	 * @return it as logs and messages name it: declaring class, name, parameter types
	 */
	static String describe(Method method) {
		StringBuilder description = new StringBuilder(method.getDeclaringClass().getName()).append('.')
			.append(method.getName())
			.append('(');
		Class<?>[] types = method.getParameterTypes();
		for (int i = 0; i < types.length; i++) {
			description.append((i > 0) ? ", " : "").append(ClassUtils.getShortName(types[i]));
		}
		return description.append(')').toString();
	}

	Binding binding() {
		return this.binding;
	}

	@Override
	public void accept(PgNotification notification) {
		Object argument = switch (this.binding) {
			case NOTIFICATION -> notification;
			case PAYLOAD -> notification.payload();
			case PAIRS -> PairsPayload.parse(notification.payload());
			case JSON -> this.reader.read(notification.payload(), this.parameterType);
		};
		try {
			if (this.withNotification) {
				this.method.invoke(this.bean, argument, notification);
			}
			else {
				this.method.invoke(this.bean, argument);
			}
		}
		catch (InvocationTargetException ex) {
			Throwable cause = ex.getTargetException();
			if (cause instanceof RuntimeException runtime) {
				throw runtime;
			}
			if (cause instanceof Error error) {
				throw error;
			}
			throw new IllegalStateException("@PgListen method " + describe(this.method) + " threw " + cause, cause);
		}
		catch (IllegalAccessException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public String toString() {
		return "@PgListen method " + describe(this.method);
	}

}
