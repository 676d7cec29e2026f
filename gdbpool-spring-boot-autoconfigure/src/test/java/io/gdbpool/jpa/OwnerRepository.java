package io.gdbpool.jpa;

import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.transaction.annotation.Transactional;

/** A Spring Data repository: inherited methods run in Spring Data's own transactions. */
public interface OwnerRepository extends JpaRepository<Owner, Integer> {

	/** A query method without an annotation: Spring Data runs it with no transaction. */
	List<Owner> findByName(String name);

	/**
	 * The fix the README gives for reads of declared query methods: a read-only
	 * transaction.
	 */
	@Transactional(readOnly = true)
	List<Owner> findByNameStartingWith(String prefix);

	@Query(value = "SELECT current_setting('application_name')", nativeQuery = true)
	String servedByWithoutTransaction();

	@Transactional(readOnly = true)
	@Query(value = "SELECT current_setting('application_name')", nativeQuery = true)
	String servedByInReadOnlyTransaction();

}
