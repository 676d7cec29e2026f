package io.gdbpool.autoconfigure;

import java.util.function.Consumer;

import io.gdbpool.routing.PoolRegistry;
import io.gdbpool.test.GDBPoolContextRunner;
import io.gdbpool.test.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ContextConsumer;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad configuration fails start-up with a report that names the property and the fix, and
 * never the password.
 */
@ExtendWith(TestDatabase.class)
class FailureAnalysisTests {

	private static final String SECRET = "s3cr3t-Pa55";

	private final ApplicationContextRunner runner = GDBPoolContextRunner.create();

	@Test
	void noWritePool() {
		this.runner.withPropertyValues(GDBPoolContextRunner.pool("replica", TestDatabase.url(), "read"))
			.run(failsWith((analysis) -> {
				assertThat(analysis.getDescription()).contains("No pool has role write")
					.contains("Property: gdbpool.pools");
				assertThat(analysis.getAction()).contains("role: write");
			}));
	}

	@Test
	void twoWritePoolsAndNoDefault() {
		this.runner.withPropertyValues(GDBPoolContextRunner.pool("a", TestDatabase.url(), "write"))
			.withPropertyValues(GDBPoolContextRunner.pool("b", TestDatabase.url(), "write"))
			.run(failsWith((analysis) -> {
				assertThat(analysis.getDescription()).contains("[a, b]")
					.contains("Property: gdbpool.default-write-pool");
				assertThat(analysis.getAction()).contains("Set gdbpool.default-write-pool").contains("[a, b]");
			}));
	}

	@Test
	void defaultWritePoolNamingAReadPool() {
		this.runner.withPropertyValues(GDBPoolContextRunner.pool("primary", TestDatabase.url(), "write"))
			.withPropertyValues(GDBPoolContextRunner.pool("replica", TestDatabase.url(), "read"))
			.withPropertyValues("gdbpool.default-write-pool=replica")
			.run(failsWith((analysis) -> {
				assertThat(analysis.getDescription()).contains("'replica' is a read pool")
					.contains("Property: gdbpool.default-write-pool");
				assertThat(analysis.getAction()).contains("[primary]");
			}));
	}

	@Test
	void defaultWritePoolNamingNoPool() {
		this.runner.withPropertyValues(GDBPoolContextRunner.pool("primary", TestDatabase.url(), "write"))
			.withPropertyValues("gdbpool.default-write-pool=primray")
			.run(failsWith((analysis) -> {
				assertThat(analysis.getDescription()).contains("'primray' is not the name of a pool");
				assertThat(analysis.getAction()).contains("[primary]");
			}));
	}

	@Test
	void unknownListenerPool() {
		this.runner.withPropertyValues(GDBPoolContextRunner.pool("primary", TestDatabase.url(), "write"))
			.withPropertyValues("gdbpool.listener.pool=nope")
			.run(failsWith((analysis) -> {
				assertThat(analysis.getDescription()).contains("'nope'").contains("Property: gdbpool.listener.pool");
				assertThat(analysis.getAction()).contains("[primary]");
			}));
	}

	@Test
	void aListenerChannelOver63BytesNamesTheProperty() {
		String longName = "c".repeat(64);
		this.runner.withConfiguration(AutoConfigurations.of(GDBPoolListenerAutoConfiguration.class))
			.withPropertyValues(GDBPoolContextRunner.pool("primary", TestDatabase.url(), "write"))
			.withPropertyValues("gdbpool.listener.channels=ok," + longName)
			.run(failsWith((analysis) -> {
				assertThat(analysis.getDescription()).contains("64 bytes")
					.contains("Property: gdbpool.listener.channels[1]");
				assertThat(analysis.getAction()).contains("1 to 63 bytes");
			}));
	}

	@Test
	void partialTransactionBudgetBelowOne() {
		this.runner.withPropertyValues(GDBPoolContextRunner.pool("primary", TestDatabase.url(), "write"))
			.withPropertyValues("gdbpool.partial-transactions.max-open=0")
			.run(failsWith((analysis) -> {
				assertThat(analysis.getDescription()).contains("Property: gdbpool.partial-transactions.max-open");
				assertThat(analysis.getAction()).contains("gdbpool.partial-transactions.max-open");
			}));
	}

	@Test
	void malformedUrl() {
		this.runner
			.withPropertyValues(
					"gdbpool.pools.primary.url=jdbc:mysql://" + TestDatabase.USER + ":" + SECRET + "@localhost/app")
			.run(failsWith((analysis) -> {
				assertThat(analysis.getDescription()).contains("is not a PostgreSQL JDBC url")
					.contains("Property: gdbpool.pools.primary.url");
				assertThat(analysis.getAction()).contains("jdbc:postgresql://host:5432/database");
			}));
	}

	@Test
	void unknownRoleIsReportedByBootsBindAnalyzerWithTheValidValues() {
		this.runner
			.withPropertyValues("gdbpool.pools.primary.url=" + TestDatabase.url(), "gdbpool.pools.primary.role=writer")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = analyze(context.getStartupFailure(), false);
				assertThat(analysis.getDescription()).contains("gdbpool.pools.primary.role").contains("writer");
				assertThat(analysis.getAction()).containsIgnoringCase("read").containsIgnoringCase("write");
			});
	}

	@Test
	void anUnreachableWritePoolNamesThePoolAndUrlButNotThePassword() {
		this.runner
			.withPropertyValues("gdbpool.pools.primary.url=jdbc:postgresql://127.0.0.1:1/app?password=" + SECRET,
					"gdbpool.pools.primary.password=" + SECRET)
			.run(failsWith((analysis) -> {
				assertThat(analysis.getDescription()).contains("write pool 'primary'")
					.contains("jdbc:postgresql://127.0.0.1:1/app")
					.contains("refused");
				assertThat(analysis.getAction()).contains("gdbpool.pools.primary.url");
			}));
	}

	@Test
	void aMissingDatabaseNamesThePool() {
		this.runner
			.withPropertyValues(GDBPoolContextRunner.pool("primary",
					TestDatabase.url().replaceAll("/[^/?]+(\\?|$)", "/no_such_db$1"), "write"))
			.run(failsWith((analysis) -> assertThat(analysis.getDescription()).contains("'primary'")
				.contains("database \"no_such_db\" does not exist")));
	}

	@Test
	void passwordsNeverAppearInToStringOrMessages() {
		this.runner.withPropertyValues(GDBPoolContextRunner.pool("primary", TestDatabase.url(), "write"))
			.withPropertyValues("gdbpool.pools.primary.password=" + SECRET, "gdbpool.pools.replica.password=" + SECRET,
					"gdbpool.pools.replica.url=jdbc:postgresql://" + TestDatabase.USER + ":" + SECRET
							+ "@127.0.0.1:1/test",
					"gdbpool.pools.replica.role=read", "gdbpool.pools.replica.hikari.connection-timeout=300")
			.run((context) -> {
				// trust authentication ignores the password, so the pools do start
				assertThat(context).hasNotFailed();
				GDBPoolProperties properties = context.getBean(GDBPoolProperties.class);
				PoolRegistry pools = context.getBean(PoolRegistry.class);
				assertThat(properties.getPools().get("primary").toString()).doesNotContain(SECRET);
				assertThat(pools.toString()).doesNotContain(SECRET);
				assertThat(pools.get("replica").getUrl()).doesNotContain(SECRET);
				assertThat(String.valueOf(pools.get("replica").getLastError())).doesNotContain(SECRET);
			});
	}

	private static ContextConsumer<AssertableApplicationContext> failsWith(Consumer<FailureAnalysis> check) {
		return (context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = analyze(context.getStartupFailure(), true);
			assertThat(analysis).as("a gDBPool failure analysis of %s", context.getStartupFailure()).isNotNull();
			assertThat(analysis.getDescription()).doesNotContain(SECRET);
			assertThat(analysis.getAction()).doesNotContain(SECRET);
			check.accept(analysis);
		};
	}

	/** Runs the analyzers registered in spring.factories, as Boot does at start-up. */
	private static FailureAnalysis analyze(Throwable failure, boolean oursOnly) {
		for (FailureAnalyzer analyzer : SpringFactoriesLoader.forDefaultResourceLocation()
			.load(FailureAnalyzer.class,
					SpringFactoriesLoader.ArgumentResolver.of(BeanFactory.class, new DefaultListableBeanFactory())
						.and(Environment.class, new StandardEnvironment()),
					// analyzers that need more than these are not the ones under test
					SpringFactoriesLoader.FailureHandler.handleMessage((message, ex) -> {
					}))) {
			if (!oursOnly || analyzer.getClass().getPackageName().equals(FailureAnalysisTests.class.getPackageName())) {
				FailureAnalysis analysis = analyzer.analyze(failure);
				if (analysis != null) {
					return analysis;
				}
			}
		}
		return null;
	}

}
