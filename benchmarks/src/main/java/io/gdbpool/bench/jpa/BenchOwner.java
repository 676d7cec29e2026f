package io.gdbpool.bench.jpa;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * Scenario 8's entity: an IDENTITY key, as most Spring Data JPA applications have, so a
 * save is one {@code INSERT … RETURNING} in its transaction. The harness creates the
 * table itself.
 */
@Entity
@Table(schema = JpaBenchApp.SCHEMA, name = "bench_owner")
public class BenchOwner {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Integer id;

	private String name;

	protected BenchOwner() {
	}

	public BenchOwner(String name) {
		this.name = name;
	}

	public Integer getId() {
		return this.id;
	}

	public String getName() {
		return this.name;
	}

}
