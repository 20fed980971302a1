package org.critcare.cds.content;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.critcare.cds.cql.CqlCompiler;
import org.critcare.cds.knowledge.ServiceCatalog;
import org.hl7.fhir.instance.model.api.IAnyResource;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Meta;
import org.hl7.fhir.r4.model.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Loads the knowledge at start-up, before the server reports ready (issue 2): reads and
 * compiles the content files, stores every resource that is new or changed in one
 * transaction (a restart with unchanged content writes nothing), then builds the
 * knowledge the CDS services run on. Any invalid file stops start-up with a message
 * naming it. Nodes that start together on one database do this one after another
 * ({@link StartupLock}).
 */
@Component
@Order(1)
class ContentLoader implements ApplicationRunner {

	private static final Logger log = LoggerFactory.getLogger(ContentLoader.class);

	private final ContentProperties properties;

	private final ContentFiles files;

	private final DaoRegistry daos;

	private final IFhirSystemDao<Bundle, ?> systemDao;

	private final ServiceCatalog catalog;

	private final StartupLock startupLock;

	ContentLoader(ContentProperties properties, FhirContext fhirContext, CqlCompiler compiler, DaoRegistry daos,
			IFhirSystemDao<Bundle, ?> systemDao, ServiceCatalog catalog, StartupLock startupLock) {
		this.properties = properties;
		this.files = new ContentFiles(fhirContext, compiler);
		this.daos = daos;
		this.systemDao = systemDao;
		this.catalog = catalog;
		this.startupLock = startupLock;
	}

	@Override
	public void run(ApplicationArguments args) {
		try {
			load();
		}
		finally {
			startupLock.release();
		}
	}

	private void load() {
		long started = System.nanoTime();
		List<IBaseResource> content = files.read(properties.fhirResourcesDir(), properties.cqlDir(),
				properties.canonicalBase());
		Map<String, Resource> stored = stored(content);
		List<Resource> changed = new ArrayList<>();
		for (IBaseResource resource : content) {
			Resource candidate = (Resource) resource;
			if (!sameContent(stored.get(key(candidate)), candidate)) {
				changed.add(candidate);
			}
		}
		if (!changed.isEmpty()) {
			Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
			for (Resource resource : changed) {
				transaction.addEntry()
					.setResource(resource)
					.getRequest()
					.setMethod(Bundle.HTTPVerb.PUT)
					.setUrl(resource.fhirType() + "/" + resource.getIdElement().getIdPart());
			}
			systemDao.transaction(new SystemRequestDetails(), transaction);
		}
		catalog.refresh();
		log.info("Content loaded: {} resources, {} new or changed, in {} ms", content.size(), changed.size(),
				(System.nanoTime() - started) / 1_000_000);
	}

	/**
	 * The stored resources with the content's ids, by type/id: one search per type, by
	 * {@code _id}. Its count is set: a synchronous search without one stops at HAPI's
	 * largest page (500) and cannot then be read whole.
	 */
	private Map<String, Resource> stored(List<IBaseResource> content) {
		Map<String, List<String>> idsByType = new TreeMap<>();
		content.forEach(
				r -> idsByType.computeIfAbsent(r.fhirType(), t -> new ArrayList<>()).add(r.getIdElement().getIdPart()));
		Map<String, Resource> stored = new HashMap<>();
		idsByType.forEach((type, ids) -> {
			SearchParameterMap byId = SearchParameterMap.newSynchronous();
			byId.add(IAnyResource.SP_RES_ID, new TokenOrListParam(null, ids.toArray(String[]::new)));
			byId.setCount(ids.size() + 1);
			for (IBaseResource resource : daos.getResourceDao(type)
				.search(byId, new SystemRequestDetails())
				.getAllResources()) {
				stored.put(key((Resource) resource), (Resource) resource);
			}
		});
		return stored;
	}

	private static String key(Resource resource) {
		return resource.fhirType() + "/" + resource.getIdElement().getIdPart();
	}

	/** Whether the stored resource has the candidate's content (meta aside). */
	private static boolean sameContent(Resource stored, Resource candidate) {
		if (stored == null) {
			return false;
		}
		Resource storedCopy = stored.copy();
		Resource candidateCopy = candidate.copy();
		storedCopy.setMeta(new Meta());
		candidateCopy.setMeta(new Meta());
		storedCopy.setIdElement(candidateCopy.getIdElement());
		return storedCopy.equalsDeep(candidateCopy);
	}

}
