package org.critcare.cds.knowledge;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.critcare.cds.knowledge.KnowledgeResources;
import org.critcare.cds.knowledge.KnowledgeStoreReader;

/**
 * Reads the knowledge resources from this server's FHIR store, and their version: one
 * indexed query over HAPI's resource table (index {@code IDX_RES_TYPE_DEL_UPDATED}),
 * cheap enough to run every second on every node. After the first read it reads again
 * only the resources whose version changed (issue 14: a change written through another
 * node is served within the stated bound even on a busy machine, where reading all the
 * knowledge back took most of a rebuild).
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

	private final String storedQuery;

	/**
	 * More changed resources than this are read with one search per type rather than one
	 * by one.
	 */
	static final int MAX_READ_ONE_BY_ONE = 50;

	/**
	 * What the last read found, by {@code Type/id}, in the order the searches returned
	 * them.
	 */
	private final Map<String, IBaseResource> lastRead = new LinkedHashMap<>();

	private int readAnew;

	KnowledgeStoreReader(DaoRegistry daos, FhirContext fhirContext, JdbcTemplate jdbc) {
		this.daos = daos;
		this.fhirContext = fhirContext;
		this.jdbc = jdbc;
		String knowledgeTypes = "RES_TYPE IN ("
				+ KNOWLEDGE_TYPES.stream().map(type -> "'" + type + "'").collect(Collectors.joining(", ")) + ")";
		this.versionQuery = "SELECT COUNT(*), COALESCE(SUM(RES_VER), 0) FROM HFJ_RESOURCE WHERE " + knowledgeTypes;
		this.storedQuery = "SELECT RES_TYPE, FHIR_ID, RES_VER FROM HFJ_RESOURCE WHERE RES_DELETED_AT IS NULL AND "
				+ knowledgeTypes;
	}

	/** The version of the stored knowledge now. */
	KnowledgeVersion version() {
		return jdbc.queryForObject(versionQuery, (row, i) -> new KnowledgeVersion(row.getLong(1), row.getLong(2)));
	}

	/**
	 * The stored knowledge resources. The first read, and one after more than
	 * {@link #MAX_READ_ONE_BY_ONE} changes (or should a row lack its FHIR id), searches
	 * every type; otherwise the resources created or updated since the last read are read
	 * by id, deleted ones dropped, and the rest kept as last read (stored resources are
	 * immutable at a version).
	 */
	synchronized KnowledgeResources read() {
		Map<String, Long> stored = new HashMap<>();
		jdbc.query(storedQuery, row -> {
			stored.put(row.getString(1) + "/" + row.getString(2), row.getLong(3));
		});
		List<String> changed = stored.entrySet()
			.stream()
			.filter(e -> !e.getValue().equals(versionOf(lastRead.get(e.getKey()))))
			.map(Map.Entry::getKey)
			.toList();
		boolean unnamed = stored.keySet().stream().anyMatch(id -> id.endsWith("/null"));
		if (lastRead.isEmpty() || unnamed || changed.size() > MAX_READ_ONE_BY_ONE) {
			lastRead.clear();
			for (String type : KNOWLEDGE_TYPES) {
				readAll(type).forEach(r -> lastRead.put(key(r), r));
			}
			readAnew = lastRead.size();
		}
		else {
			lastRead.keySet().retainAll(stored.keySet());
			for (String id : changed) {
				readOne(id);
			}
			readAnew = changed.size();
		}
		return KnowledgeResources.of(List.copyOf(lastRead.values()), fhirContext);
	}

	/** How many resources the last {@link #read()} read from the store. */
	synchronized int readAnew() {
		return readAnew;
	}

	/**
	 * Reads the resource's current version; one deleted since the list was taken is left
	 * out (the next change check sees the deletion and reads again).
	 */
	private void readOne(String id) {
		IdType resourceId = new IdType(id);
		try {
			IBaseResource resource = daos.getResourceDao(resourceId.getResourceType())
				.read(resourceId, new SystemRequestDetails());
			lastRead.put(id, resource);
		}
		catch (ResourceGoneException | ResourceNotFoundException e) {
			lastRead.remove(id);
		}
	}

	private static String key(IBaseResource resource) {
		return resource.fhirType() + "/" + resource.getIdElement().getIdPart();
	}

	private static Long versionOf(IBaseResource resource) {
		return resource == null ? null : resource.getIdElement().getVersionIdPartAsLong();
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
