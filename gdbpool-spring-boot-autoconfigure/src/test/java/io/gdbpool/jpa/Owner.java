package io.gdbpool.jpa;

import java.util.ArrayList;
import java.util.List;

import jakarta.persistence.CascadeType;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;

/** An entity with an IDENTITY key, as most Spring Data JPA applications have. */
@Entity
public class Owner {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Integer id;

	private String name;

	@OneToMany(mappedBy = "owner", cascade = CascadeType.ALL)
	private List<Visit> visits = new ArrayList<>();

	protected Owner() {
	}

	public Owner(String name) {
		this.name = name;
	}

	public Integer getId() {
		return this.id;
	}

	public String getName() {
		return this.name;
	}

	public void setName(String name) {
		this.name = name;
	}

	public List<Visit> getVisits() {
		return this.visits;
	}

	public Visit addVisit(String description) {
		Visit visit = new Visit(this, description);
		this.visits.add(visit);
		return visit;
	}

}
