package io.gdbpool.bench.jpa;

import jakarta.persistence.EntityManager;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;

/**
 * Asks, inside a transaction, which backend serves it: once through JPA (a native query
 * on the transaction's EntityManager) and once through a JdbcTemplate on the
 * application's DataSource. The same pid means JPA and JDBC share the transaction's one
 * connection; a second connection would be another backend.
 */
public class SessionProbe {

	/**
	 * @param jpaPid the backend Hibernate's connection talks to
	 * @param jdbcPid the backend the JdbcTemplate's connection talks to
	 * @param standby whether that server is a standby (a replica)
	 */
	public record Session(int jpaPid, int jdbcPid, boolean standby) {

	}

	private final BenchOwnerRepository owners;

	private final EntityManager entityManager;

	private final JdbcTemplate jdbc;

	public SessionProbe(BenchOwnerRepository owners, EntityManager entityManager, JdbcTemplate jdbc) {
		this.owners = owners;
		this.entityManager = entityManager;
		this.jdbc = jdbc;
	}

	/**
	 * A read-only transaction as an application's service method has it: a repository
	 * read first.
	 */
	@Transactional(readOnly = true)
	public Session read(int id) {
		this.owners.findById(id);
		return session();
	}

	/** A read-write transaction: a repository save first. */
	@Transactional
	public Session write(String name) {
		this.owners.save(new BenchOwner(name));
		return session();
	}

	private Session session() {
		Object[] jpa = (Object[]) this.entityManager.createNativeQuery("SELECT pg_backend_pid(), pg_is_in_recovery()")
			.getSingleResult();
		Integer jdbcPid = this.jdbc.queryForObject("SELECT pg_backend_pid()", Integer.class);
		return new Session(((Number) jpa[0]).intValue(), (jdbcPid != null) ? jdbcPid : -1, Boolean.TRUE.equals(jpa[1]));
	}

}
