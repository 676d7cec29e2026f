package io.gdbpool.notify;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.annotation.Reflective;
import org.springframework.aot.hint.annotation.ReflectiveRuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.util.ReflectionUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reflection hints Spring's AOT processing registers for a bean with
 * {@link PgListen @PgListen} methods (through {@code @Reflective} and
 * {@link PgListenReflectiveProcessor}): what a native image needs to invoke the methods
 * and to read JSON payloads into their parameter types. No database.
 */
class PgListenRuntimeHintsTests {

	private final RuntimeHints hints = new RuntimeHints();

	@Test
	void pgListenIsReflective() {
		assertThat(MergedAnnotations.from(PgListen.class).get(Reflective.class).getClassArray("value"))
			.containsExactly(PgListenReflectiveProcessor.class);
	}

	@Test
	void everyPgListenMethodMayBeInvokedAndNoOtherMethod() {
		new ReflectiveRuntimeHintsRegistrar().registerRuntimeHints(this.hints, Handlers.class);
		for (String name : List.of("onSeat", "onSeatWithNotification", "onNotification", "onText", "onPairs", "onBatch",
				"onComposed")) {
			assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(method(name))).as(name)
				.accepts(this.hints);
		}
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(method("notAHandler"))).rejects(this.hints);
	}

	@Test
	void aJsonPayloadTypeAndTheTypesItContainsCanBeBound() throws NoSuchMethodException {
		new ReflectiveRuntimeHintsRegistrar().registerRuntimeHints(this.hints, Handlers.class);
		for (Class<?> record : List.of(SeatChange.class, Holder.class, Batch.class, Row.class)) {
			assertThat(RuntimeHintsPredicates.reflection().onType(record)).as(record.getSimpleName())
				.accepts(this.hints);
			assertThat(RuntimeHintsPredicates.reflection()
				.onConstructorInvocation(
						record.getDeclaredConstructor(java.util.Arrays.stream(record.getRecordComponents())
							.map(java.lang.reflect.RecordComponent::getType)
							.toArray(Class<?>[]::new))))
				.as(record.getSimpleName())
				.accepts(this.hints);
		}
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(SeatChange.class, "seatId"))
			.accepts(this.hints);
		// a nested record, reached through a record component
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Holder.class, "name")).accepts(this.hints);
		// a record reached through a List<Row> component of the payload type
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Row.class, "id")).accepts(this.hints);
	}

	@Test
	void neitherTheNotificationNorATypeOfAMethodThatIsNoHandlerGetsBindingHints() {
		new ReflectiveRuntimeHintsRegistrar().registerRuntimeHints(this.hints, Handlers.class);
		// taken as it is, never read from JSON
		assertThat(RuntimeHintsPredicates.reflection().onType(PgNotification.class)).rejects(this.hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(NotAPayload.class)).rejects(this.hints);
	}

	@Test
	void aBeanWithoutPgListenMethodsIsNoCandidate() {
		ReflectiveRuntimeHintsRegistrar registrar = new ReflectiveRuntimeHintsRegistrar();
		assertThat(registrar.isCandidate(Handlers.class)).isTrue();
		assertThat(registrar.isCandidate(NotAPayload.class)).isFalse();
	}

	private static Method method(String name) {
		Method found = null;
		for (Method method : ReflectionUtils.getDeclaredMethods(Handlers.class)) {
			if (method.getName().equals(name)) {
				found = method;
			}
		}
		assertThat(found).as(name).isNotNull();
		return found;
	}

	record Holder(String name, int seats) {
	}

	record SeatChange(int seatId, String status, Holder holder) {
	}

	record Row(long id) {
	}

	record Batch(String table, List<Row> rows) {
	}

	record NotAPayload(String value) {
	}

	@Target(ElementType.METHOD)
	@Retention(RetentionPolicy.RUNTIME)
	@PgListen("composed")
	@interface OnComposed {

	}

	static class Handlers {

		@PgListen("seats")
		void onSeat(SeatChange change) {
		}

		@PgListen("seats_too")
		void onSeatWithNotification(SeatChange change, PgNotification notification) {
		}

		@PgListen("raw")
		void onNotification(PgNotification notification) {
		}

		@PgListen("text")
		void onText(String payload) {
		}

		@PgListen("pairs")
		void onPairs(Map<String, String> pairs) {
		}

		@PgListen("batches")
		void onBatch(Batch batch) {
		}

		@OnComposed
		void onComposed(String payload) {
		}

		void notAHandler(NotAPayload ignored) {
		}

	}

}
