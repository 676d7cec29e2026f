package io.gdbpool.jpa;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

import io.gdbpool.GDBPoolTemplate;
import io.gdbpool.PartialTransaction;
import io.gdbpool.routing.Pool;
import io.gdbpool.routing.PoolRegistry;
import io.gdbpool.test.RowLocks;
import io.gdbpool.test.ScratchReplica;
import io.gdbpool.test.TestDatabase;
import io.gdbpool.transaction.RoutingJpaTransactionManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionManager;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A Spring Data JPA application (Hibernate, IDENTITY keys, a {@code @Transactional}
 * service, Spring Data repositories) that adds the starter with a primary and a real
 * streaming replica, and changes nothing else: its writes are kept, its read-only
 * transactions run on the replica on one connection, and repositories take part in
 * interactions and partial transactions.
 */
@ExtendWith(TestDatabase.class)
class JpaApplicationTests {

	private static ScratchReplica replica;

	private static ConfigurableApplicationContext context;

	private static OwnerService service;

	private static OwnerRepository owners;

	private static GDBPoolTemplate template;

	private static EntityManager entityManager;

	private static Pool replicaPool;

	@BeforeAll
	static void startApplication() {
		TestDatabase.url();
		TestDatabase.execute("DROP SCHEMA IF EXISTS jpa_app CASCADE");
		replica = ScratchReplica.start(5436);
		context = new SpringApplicationBuilder(JpaTestApplication.class)
			.properties("gdbpool.pools.primary.url=" + TestDatabase.url(),
					"gdbpool.pools.primary.username=" + TestDatabase.USER,
					"gdbpool.pools.primary.password=" + TestDatabase.password(), "gdbpool.pools.primary.role=write",
					"gdbpool.pools.primary.hikari.maximum-pool-size=4", "gdbpool.pools.replica.url=" + replica.url(),
					"gdbpool.pools.replica.username=" + TestDatabase.USER,
					"gdbpool.pools.replica.password=" + TestDatabase.password(), "gdbpool.pools.replica.role=read",
					"gdbpool.pools.replica.hikari.maximum-pool-size=4", "gdbpool.routing.check-interval=200ms",
					"spring.sql.init.mode=always", "spring.sql.init.schema-locations=classpath:jpa/schema.sql",
					"spring.jpa.hibernate.ddl-auto=create", "spring.jpa.properties.hibernate.default_schema=jpa_app",
					"spring.jpa.open-in-view=false", "spring.transaction.default-timeout=37s",
					"spring.main.banner-mode=off")
			.run();
		service = context.getBean(OwnerService.class);
		owners = context.getBean(OwnerRepository.class);
		template = context.getBean(GDBPoolTemplate.class);
		entityManager = context.getBean(EntityManager.class);
		replicaPool = context.getBean(PoolRegistry.class).get("replica");
		// the tables Hibernate created on the primary have reached the replica
		TestDatabase.awaitReplay(replica.url());
	}

	@AfterAll
	static void stopApplication() {
		if (context != null) {
			context.close();
		}
		if (replica != null) {
			replica.close();
		}
	}

	@Test
	void theTransactionManagerIsTheRoutingJpaOneWithBootsSettingsApplied() {
		assertThat(context.getBeansOfType(TransactionManager.class)).hasSize(1);
		PlatformTransactionManager transactionManager = context.getBean(PlatformTransactionManager.class);
		assertThat(transactionManager).isInstanceOf(RoutingJpaTransactionManager.class);
		// spring.transaction.* reaches it through Boot's TransactionManagerCustomizers
		assertThat(((AbstractPlatformTransactionManager) transactionManager).getDefaultTimeout()).isEqualTo(37);
	}

	@Test
	void schemaInitialisationAndHibernateDdlRanOnThePrimary() {
		assertThat(queryPrimary("SELECT bool_or(ran_on_standby)::text FROM jpa_app.init_marker")).isEqualTo("false");
		assertThat(queryPrimary("SELECT count(*)::text FROM information_schema.tables WHERE table_schema = 'jpa_app' "
				+ "AND table_name IN ('owner', 'visit')"))
			.isEqualTo("2");
	}

	@Test
	void aSaveInATransactionalServiceCommitsOnThePrimaryWithItsIdentityId() {
		Owner owner = service.addOwnerWithVisit("Franklin", "rabies shot");
		assertThat(owner.getId()).isNotNull().isPositive();
		assertThat(owner.getVisits().get(0).getId()).isNotNull().isPositive();
		assertThat(queryPrimary("SELECT name FROM jpa_app.owner WHERE id = " + owner.getId())).isEqualTo("Franklin");
		assertThat(queryPrimary("SELECT description FROM jpa_app.visit WHERE owner_id = " + owner.getId()))
			.isEqualTo("rabies shot");
	}

	@Test
	void aRepositorySaveAloneCommits() {
		Owner owner = owners.save(new Owner("Davis"));
		assertThat(owner.getId()).isNotNull();
		assertThat(queryPrimary("SELECT name FROM jpa_app.owner WHERE id = " + owner.getId())).isEqualTo("Davis");
	}

	@Test
	void anExceptionRollsTheJpaWritesBack() {
		assertThatThrownBy(() -> service.addOwnerThenFail("Rollback-Me")).isInstanceOf(IllegalStateException.class);
		assertThat(queryPrimary("SELECT count(*)::text FROM jpa_app.owner WHERE name = 'Rollback-Me'")).isEqualTo("0");
	}

	@Test
	void jpaAndJdbcTemplateInOneTransactionalMethodShareOneDatabaseTransaction() {
		List<Long> ids = service.transactionIdsOfJpaAndJdbc("Shared-Tx");
		assertThat(ids.get(0)).isEqualTo(ids.get(1));
	}

	@Test
	void aReadOnlyTransactionRunsOnTheStandbyOnOneConnection() {
		List<Object> session = service.readOnlySession();
		assertThat(session.get(0)).isEqualTo("gdbpool-replica");
		// JPA and JdbcTemplate used the same backend: one connection for the transaction
		assertThat(session.get(1)).isEqualTo(session.get(2));
		assertThat(session.get(3)).isEqualTo(true);
	}

	@Test
	void springDataFindByIdReadsTheReplica() {
		TestDatabase.awaitReplay(replica.url());
		replica.pauseReplay();
		try {
			Owner owner = owners.save(new Owner("Not-Yet-Replayed"));
			assertThat(queryPrimary("SELECT name FROM jpa_app.owner WHERE id = " + owner.getId()))
				.isEqualTo("Not-Yet-Replayed");
			// Spring Data runs findById in a read-only transaction: the replica, which
			// lacks the row
			assertThat(owners.findById(owner.getId())).isEmpty();
			assertThat(owners.findByNameStartingWith("Not-Yet-Repl")).isEmpty();
			// a declared query method without @Transactional has no transaction: the
			// write route
			assertThat(owners.findByName("Not-Yet-Replayed")).hasSize(1);
			assertThat(owners.servedByWithoutTransaction()).isEqualTo("gdbpool-primary");
			assertThat(owners.servedByInReadOnlyTransaction()).isEqualTo("gdbpool-replica");
		}
		finally {
			replica.resumeReplay();
		}
	}

	@Test
	void manyConcurrentReadOnlyTransactionsOnSmallPoolsAllCompleteWithoutEjections() throws Exception {
		long ejectionsBefore = replicaPool.getEjections();
		ExecutorService threads = Executors.newFixedThreadPool(24);
		try {
			List<Future<List<Object>>> results = new ArrayList<>();
			for (int i = 0; i < 24 * 10; i++) {
				results.add(threads.submit(() -> service.readOnlySession()));
			}
			for (Future<List<Object>> result : results) {
				List<Object> session = result.get(60, TimeUnit.SECONDS);
				assertThat(session.get(0)).isEqualTo("gdbpool-replica");
				assertThat(session.get(1)).isEqualTo(session.get(2));
			}
		}
		finally {
			threads.shutdownNow();
		}
		assertThat(replicaPool.getEjections()).isEqualTo(ejectionsBefore);
		assertThat(replicaPool.isInRotation()).isTrue();
	}

	@Test
	void aRolledBackInteractionRollsBackARepositorySaveInsideIt() {
		assertThatThrownBy(() -> template.execute((status) -> {
			owners.save(new Owner("Interaction-Rollback"));
			owners.flush();
			throw new IllegalStateException("interaction failed");
		})).hasMessage("interaction failed");
		assertThat(queryPrimary("SELECT count(*)::text FROM jpa_app.owner WHERE name = 'Interaction-Rollback'"))
			.isEqualTo("0");
		// and a committed one keeps it, in the interaction's transaction
		Integer id = template.execute((status) -> owners.save(new Owner("Interaction-Commit")).getId());
		assertThat(queryPrimary("SELECT name FROM jpa_app.owner WHERE id = " + id)).isEqualTo("Interaction-Commit");
	}

	@Test
	void executeAsyncRunsRepositoryCallsInItsTransaction() throws Exception {
		Integer id = template.executeAsync((status) -> {
			Owner owner = owners.save(new Owner("Async-Owner"));
			owner.addVisit("async visit");
			return owner.getId();
		}).get(30, TimeUnit.SECONDS);
		assertThat(queryPrimary("SELECT count(*)::text FROM jpa_app.visit WHERE owner_id = " + id)).isEqualTo("1");
	}

	@Test
	void aPartialTransactionHoldsAJpaPessimisticLockAcrossThreadsAndCommitsTheEntityChange() throws Exception {
		Integer id = owners.save(new Owner("Locked")).getId();
		PartialTransaction<Owner> hold = template
			.begin((status) -> entityManager.find(Owner.class, id, LockModeType.PESSIMISTIC_WRITE));
		try {
			assertThat(hold.result().getName()).isEqualTo("Locked");
			// the row lock is held while no thread holds the transaction
			assertThat(RowLocks.lockableElsewhere("jpa_app.owner", id)).isFalse();
			// a later step, on another thread, changes the managed entity of the first
			// step
			CompletableFuture.runAsync(() -> hold.continueWith((status) -> {
				Owner managed = entityManager.find(Owner.class, id);
				assertThat(managed).isSameAs(hold.result());
				managed.setName("Changed-Elsewhere");
				return null;
			})).get(30, TimeUnit.SECONDS);
			assertThat(RowLocks.lockableElsewhere("jpa_app.owner", id)).isFalse();
			assertThat(queryPrimary("SELECT name FROM jpa_app.owner WHERE id = " + id)).isEqualTo("Locked");
			// commit (on yet another thread) flushes the change
			CompletableFuture.runAsync(hold::commit).get(30, TimeUnit.SECONDS);
		}
		finally {
			hold.close();
		}
		assertThat(queryPrimary("SELECT name FROM jpa_app.owner WHERE id = " + id)).isEqualTo("Changed-Elsewhere");
		assertThat(RowLocks.lockableElsewhere("jpa_app.owner", id)).isTrue();
		// the caller's thread has no EntityManager left bound
		assertThat(org.springframework.transaction.support.TransactionSynchronizationManager.getResourceMap())
			.isEmpty();
	}

	@Test
	void aRolledBackPartialTransactionDiscardsTheEntityChanges() {
		Integer id = owners.save(new Owner("Keep-Me")).getId();
		PartialTransaction<Owner> hold = template
			.begin((status) -> entityManager.find(Owner.class, id, LockModeType.PESSIMISTIC_WRITE));
		hold.continueWith((status) -> {
			hold.result().setName("Discarded");
			entityManager.flush();
			return null;
		});
		hold.rollback();
		assertThat(queryPrimary("SELECT name FROM jpa_app.owner WHERE id = " + id)).isEqualTo("Keep-Me");
	}

	@Test
	void theTemplatesReadOnlyViewRunsRepositoryReadsOnTheReplica() {
		Integer id = owners.save(new Owner("Replicated")).getId();
		await().atMost(10, TimeUnit.SECONDS)
			.until(() -> template.readOnly().execute((status) -> owners.findById(id).isPresent()));
		String servedBy = template.readOnly().execute((status) -> owners.servedByWithoutTransaction());
		assertThat(servedBy).isEqualTo("gdbpool-replica");
	}

	private static String queryPrimary(String sql) {
		try (Connection connection = TestDatabase.connect(TestDatabase.url());
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery(sql)) {
			return rs.next() ? rs.getString(1) : null;
		}
		catch (java.sql.SQLException ex) {
			throw new IllegalStateException(sql, ex);
		}
	}

}
