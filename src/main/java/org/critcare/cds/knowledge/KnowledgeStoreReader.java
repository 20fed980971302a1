package org.critcare.cds.knowledge;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.springframework.stereotype.Component;
import org.critcare.cds.knowledge.KnowledgeResources;
import org.critcare.cds.knowledge.KnowledgeStoreReader;

/** Reads the knowledge resources from this server's FHIR store. */
@Component
class KnowledgeStoreReader {

	/** The resource types services are built from or their cards cite. */
	static final Set<String> KNOWLEDGE_TYPES = Set.of("PlanDefinition", "Library", "ValueSet", "CodeSystem",
			"ActivityDefinition", "Evidence");

	private final DaoRegistry daos;

	private final FhirContext fhirContext;

	KnowledgeStoreReader(DaoRegistry daos, FhirContext fhirContext) {
		this.daos = daos;
		this.fhirContext = fhirContext;
	}

	KnowledgeResources read() {
		List<IBaseResource> resources = new ArrayList<>();
		for (String type : KNOWLEDGE_TYPES) {
			resources.addAll(daos.getResourceDao(type)
				.search(SearchParameterMap.newSynchronous(), new SystemRequestDetails())
				.getAllResources());
		}
		return KnowledgeResources.of(resources, fhirContext);
	}

}
