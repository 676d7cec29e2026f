package io.gdbpool.jpa;

import java.util.List;

import jakarta.persistence.EntityManager;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The service layer of a typical JPA application: {@code @Transactional} methods. */
@Service
public class OwnerService {

	private final OwnerRepository owners;

	private final EntityManager entityManager;

	private final JdbcTemplate jdbc;

	public OwnerService(OwnerRepository owners, EntityManager entityManager, JdbcTemplate jdbc) {
		this.owners = owners;
		this.entityManager = entityManager;
		this.jdbc = jdbc;
	}

	/**
	 * Saves an owner and a visit that refers to it (the insert that failed when ids
	 * stayed unassigned).
	 */
	@Transactional
	public Owner addOwnerWithVisit(String name, String visit) {
		Owner owner = this.owners.save(new Owner(name));
		owner.addVisit(visit);
		this.owners.flush();
		return owner;
	}

	@Transactional
	public void addOwnerThenFail(String name) {
		this.owners.saveAndFlush(new Owner(name));
		throw new IllegalStateException("the service failed after saving " + name);
	}

	/**
	 * The transaction ids JPA and JdbcTemplate see in one {@code @Transactional} method.
	 */
	@Transactional
	public List<Long> transactionIdsOfJpaAndJdbc(String name) {
		this.owners.saveAndFlush(new Owner(name));
		long jpa = ((Number) this.entityManager.createNativeQuery("SELECT txid_current()").getSingleResult())
			.longValue();
		long jdbc = this.jdbc.queryForObject("SELECT txid_current()", Long.class);
		return List.of(jpa, jdbc);
	}

	/**
	 * Where a read-only transaction runs, asked through JPA and through JdbcTemplate.
	 * @return [JPA's application_name, JPA's backend pid, JdbcTemplate's backend pid, in
	 * recovery]
	 */
	@Transactional(readOnly = true)
	public List<Object> readOnlySession() {
		Object[] jpa = (Object[]) this.entityManager
			.createNativeQuery("SELECT current_setting('application_name'), pg_backend_pid(), pg_is_in_recovery()")
			.getSingleResult();
		Integer jdbcPid = this.jdbc.queryForObject("SELECT pg_backend_pid()", Integer.class);
		return List.of(jpa[0], ((Number) jpa[1]).intValue(), jdbcPid, jpa[2]);
	}

	@Transactional(readOnly = true)
	public long countOwners() {
		return this.owners.count();
	}

}
