package io.gdbpool.bench.jpa;

import org.springframework.data.jpa.repository.JpaRepository;

/**
 * Inherited methods only: Spring Data runs findById in a read-only transaction, save in a
 * read-write one.
 */
public interface BenchOwnerRepository extends JpaRepository<BenchOwner, Integer> {

}
