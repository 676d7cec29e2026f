package io.gdbpool.bench;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.gdbpool.routing.PoolRole;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Scenario 7 (JMH): {@code GDBPoolTemplate.render} of a 10-parameter statement against
 * {@code String.format} of the same text. {@link RenderScenario} runs the two alternately
 * in the harness's JVM; {@code java -cp … org.openjdk.jmh.Main RenderBenchmark} runs them
 * the usual way.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RenderBenchmark {

	static final String SQL = "INSERT INTO orders (id, customer, name, amount, paid, day, tag, ratio, ref, note) "
			+ "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

	static final String FORMAT = "INSERT INTO orders (id, customer, name, amount, paid, day, tag, ratio, ref, note) "
			+ "VALUES (%d, %d, '%s', %s, %s, '%s', '%s', %s, '%s', %s)";

	static final Object[] ARGS = { 42, 1234567890123L, "O'Brien", new BigDecimal("19.99"), true,
			LocalDate.of(2025, 1, 2), "express", 0.25d, UUID.fromString("123e4567-e89b-12d3-a456-426614174000"), null };

	private Stack stack;

	@Setup(Level.Trial)
	public void setUp() throws Exception {
		this.stack = Stack.builder(System.getProperty("bench.user", "postgres"))
			.pool("primary", PoolRole.WRITE,
					System.getProperty("bench.primary", "jdbc:postgresql://127.0.0.1:5432/test"), 2)
			.build();
		this.stack.awaitFull();
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.stack.close();
	}

	@Benchmark
	public String render() {
		return this.stack.template.render(SQL, ARGS);
	}

	@Benchmark
	public String format() {
		return String.format(FORMAT, ARGS);
	}

}
