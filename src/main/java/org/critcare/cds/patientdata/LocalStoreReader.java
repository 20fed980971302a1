package org.critcare.cds.patientdata;

import static org.apache.commons.lang3.StringUtils.isBlank;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.MatchUrlService;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.model.api.IQueryParameterType;
import ca.uhn.fhir.rest.api.RestSearchParameterTypeEnum;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.IdType;
import org.springframework.stereotype.Component;

/**
 * Runs prefetch queries against this server's own FHIR store, for calls without
 * {@code fhirServer}. Searches run synchronously and never reuse cached search results,
 * so a resource stored just before the call is seen. A query reads every resource it
 * finds, up to {@code cds.patient-data.max-store-resources}: HAPI would otherwise stop a
 * synchronous search at its largest page ({@code cds.fhir.max-page-size}), and a busy ICU
 * record (a MAP every 5 minutes for two days) has more. A patient with more than the
 * bound is not evaluated on part of the record: the call fails with 412.
 */
@Component
class LocalStoreReader {

	private final DaoRegistry daos;

	private final MatchUrlService matchUrls;

	private final FhirContext fhirContext;

	private final int maxResources;

	private final StoredRecordCache cache;

	LocalStoreReader(DaoRegistry daos, MatchUrlService matchUrls, FhirContext fhirContext,
			PatientDataProperties properties, StoredRecordCache cache) {
		this.daos = daos;
		this.matchUrls = matchUrls;
		this.fhirContext = fhirContext;
		this.maxResources = properties.maxStoreResources();
		this.cache = cache;
	}

	/**
	 * The resources the queries find, all of them about one patient: remembered from an
	 * earlier call while the patient's record is unchanged ({@link StoredRecordCache}).
	 * Queries that are not each a read of the Patient or a search by {@code patient=} for
	 * it are run every time.
	 * @param patientId the patient's id, {@code null} when the call names none
	 */
	List<IBaseResource> readAll(List<String> queries, String patientId) {
		Supplier<List<IBaseResource>> read = () -> {
			List<IBaseResource> found = new ArrayList<>();
			queries.forEach(q -> found.addAll(read(q)));
			return found;
		};
		Set<String> types = isBlank(patientId) ? null : searchedTypes(queries, patientId);
		return types == null ? read.get() : cache.find(patientId, types, queries, read);
	}

	/**
	 * The types the queries search, when each reads this Patient or searches by
	 * {@code patient=} it and none could find resources that do not refer to it
	 * ({@code _include}, {@code _revinclude}, {@code _has}); else {@code null}.
	 */
	private static Set<String> searchedTypes(List<String> queries, String patientId) {
		String id = URLEncoder.encode(patientId, StandardCharsets.UTF_8);
		Set<String> types = new TreeSet<>();
		for (String query : queries) {
			int question = query.indexOf('?');
			if (question < 0) {
				if (!query.equals("Patient/" + id)) {
					return null;
				}
				continue;
			}
			if (query.contains("_include") || query.contains("_revinclude") || query.contains("_has")) {
				return null;
			}
			List<String> parameters = List.of(query.substring(question + 1).split("&"));
			if (!parameters.contains("patient=" + id) && !parameters.contains("patient=Patient%2F" + id)
					&& !parameters.contains("patient=Patient/" + id)) {
				return null;
			}
			types.add(query.substring(0, question));
		}
		return types;
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
		RuntimeResourceDefinition type = fhirContext.getResourceDefinition(segments[0]);
		SearchParameterMap search = matchUrls.translateMatchUrl(query, type);
		qualifyBareReferences(search, type);
		search.setLoadSynchronous(true);
		// one more than the bound: HAPI leaves the size open when a search fills its
		// count
		search.setCount(maxResources + 1);
		IBundleProvider found = dao.search(search, request);
		if (found.size() == null) {
			throw new DataUnavailableException("A search of the patient's record finds more than " + maxResources + " "
					+ segments[0] + " resources (cds.patient-data.max-store-resources)");
		}
		return found.getAllResources();
	}

	/**
	 * Gives a bare id ({@code patient=p1}, as the prefetch templates write it) the type
	 * its search parameter can only point to ({@code patient=Patient/p1}). HAPI resolves
	 * a bare id against every resource type in the database on every search, and
	 * remembers a typed one: three of the four reads of a hook call then skip a query.
	 */
	private static void qualifyBareReferences(SearchParameterMap search, RuntimeResourceDefinition type) {
		for (String name : search.keySet()) {
			RuntimeSearchParam parameter = type.getSearchParam(name);
			if (parameter == null || parameter.getParamType() != RestSearchParameterTypeEnum.REFERENCE
					|| parameter.getTargets().size() != 1) {
				continue;
			}
			String target = parameter.getTargets().iterator().next();
			for (List<IQueryParameterType> values : search.get(name)) {
				values.replaceAll(value -> value instanceof ReferenceParam reference
						&& isBlank(reference.getResourceType()) && isBlank(reference.getChain())
						&& reference.getMissing() == null && reference.getValue().indexOf('/') < 0
								? new ReferenceParam(target, null, reference.getValue()) : value);
			}
		}
	}

}
