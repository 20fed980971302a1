package org.critcare.cds.knowledge;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.critcare.cds.knowledge.KnowledgeResources;
import org.critcare.cds.knowledge.KnowledgeStoreReader;

/**
 * Reads the knowledge resources from this server's FHIR store, and their version: one
 * indexed query over HAPI's resource table (index {@code IDX_RES_TYPE_DEL_UPDATED}),
 * cheap enough to run every second on every node.
 */
@Component
class KnowledgeStoreReader {

	/**
	 * The version of the stored knowledge: how many knowledge resources there are and the
	 * sum of their version numbers. Every create, update or delete of one, through any
	 * node, changes it (a delete is a new version; versions never go back, expunge is
	 * off), whatever the nodes' clocks say.
	 */
	record KnowledgeVersion(long resources, long versions) {
	}

	/** The resource types services are built from or their cards cite. */
	static final Set<String> KNOWLEDGE_TYPES = Set.of("PlanDefinition", "Library", "ValueSet", "CodeSystem",
			"ActivityDefinition", "Evidence");

	/**
	 * The most knowledge resources of one type read (a hospital's terminology included).
	 */
	static final int MAX_PER_TYPE = 100_000;

	private final DaoRegistry daos;

	private final FhirContext fhirContext;

	private final JdbcTemplate jdbc;

	private final String versionQuery;

	KnowledgeStoreReader(DaoRegistry daos, FhirContext fhirContext, JdbcTemplate jdbc) {
		this.daos = daos;
		this.fhirContext = fhirContext;
		this.jdbc = jdbc;
		this.versionQuery = "SELECT COUNT(*), COALESCE(SUM(RES_VER), 0) FROM HFJ_RESOURCE WHERE RES_TYPE IN ("
				+ KNOWLEDGE_TYPES.stream().map(type -> "'" + type + "'").collect(Collectors.joining(", ")) + ")";
	}

	/** The version of the stored knowledge now. */
	KnowledgeVersion version() {
		return jdbc.queryForObject(versionQuery, (row, i) -> new KnowledgeVersion(row.getLong(1), row.getLong(2)));
	}

	KnowledgeResources read() {
		List<IBaseResource> resources = new ArrayList<>();
		for (String type : KNOWLEDGE_TYPES) {
			resources.addAll(readAll(type));
		}
		return KnowledgeResources.of(resources, fhirContext);
	}

	/**
	 * Every stored resource of the type. A synchronous search without a count stops at
	 * HAPI's largest page ({@code cds.fhir.max-page-size}, 500) and then cannot be read
	 * whole, so it asks for one more than {@link #MAX_PER_TYPE}; a store with more fails
	 * loudly rather than building services from part of the knowledge.
	 */
	List<IBaseResource> readAll(String type) {
		SearchParameterMap all = SearchParameterMap.newSynchronous();
		all.setCount(MAX_PER_TYPE + 1);
		IBundleProvider found = daos.getResourceDao(type).search(all, new SystemRequestDetails());
		if (found.size() == null) {
			throw new InvalidKnowledgeException(
					"More than " + MAX_PER_TYPE + " " + type + " resources are stored; knowledge is read whole");
		}
		return found.getAllResources();
	}

}
