package org.critcare.cds.patientdata;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.MatchUrlService;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.IdType;
import org.springframework.stereotype.Component;

/**
 * Runs prefetch queries against this server's own FHIR store, for calls without
 * {@code fhirServer}. Searches run synchronously and never reuse cached search results,
 * so a resource stored just before the call is seen.
 */
@Component
class LocalStoreReader {

	private final DaoRegistry daos;

	private final MatchUrlService matchUrls;

	private final FhirContext fhirContext;

	LocalStoreReader(DaoRegistry daos, MatchUrlService matchUrls, FhirContext fhirContext) {
		this.daos = daos;
		this.matchUrls = matchUrls;
		this.fhirContext = fhirContext;
	}

	/** The resources a read ({@code Type/id}) or search ({@code Type?params}) finds. */
	List<IBaseResource> read(String query) {
		int question = query.indexOf('?');
		String path = question < 0 ? query : query.substring(0, question);
		String[] segments = path.split("/");
		var dao = daos.getResourceDao(segments[0]);
		SystemRequestDetails request = new SystemRequestDetails();
		if (question < 0 && segments.length == 2) {
			try {
				return List.of(dao.read(new IdType(segments[0], segments[1]), request));
			}
			catch (ResourceNotFoundException | ResourceGoneException e) {
				return List.of();
			}
		}
		SearchParameterMap search = matchUrls.translateMatchUrl(query, fhirContext.getResourceDefinition(segments[0]));
		search.setLoadSynchronous(true);
		return dao.search(search, request).getAllResources();
	}

}
