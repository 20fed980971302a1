package org.critcare.cds.cql;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.model.api.IQueryParameterType;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.RestfulServer;
import com.google.common.collect.Multimap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.hl7.fhir.instance.model.api.IBaseBundle;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.opencds.cqf.fhir.cr.hapi.repository.ClinicalIntelligenceHapiFhirRepository;

/**
 * The store as one clinical-reasoning operation sees it, with each distinct search run
 * once. clinical-reasoning evaluates every applicability condition and dynamic value of a
 * PlanDefinition in a fresh CQL context, so without this the same retrieves (the
 * patient's Observations, Conditions, orders, value sets) would run once per expression.
 * Lives for one request, during which the operation writes nothing.
 */
final class RequestScopedSearchCache extends ClinicalIntelligenceHapiFhirRepository {

	private final Map<String, IBaseBundle> searches = new HashMap<>();

	RequestScopedSearchCache(DaoRegistry daos, RequestDetails request, RestfulServer server) {
		super(daos, request, server);
	}

	@Override
	@SuppressWarnings("unchecked")
	public <B extends IBaseBundle, T extends IBaseResource> B search(Class<B> bundleType, Class<T> resourceType,
			Multimap<String, List<IQueryParameterType>> parameters, Map<String, String> headers) {
		String key = key(resourceType, parameters, headers);
		IBaseBundle cached = searches.get(key);
		if (cached == null) {
			cached = super.search(bundleType, resourceType, parameters, headers);
			searches.put(key, cached);
		}
		return (B) cached;
	}

	private String key(Class<?> resourceType, Multimap<String, List<IQueryParameterType>> parameters,
			Map<String, String> headers) {
		Map<String, List<String>> canonical = new TreeMap<>();
		parameters.forEach((name, values) -> {
			List<String> tokens = new ArrayList<>();
			for (IQueryParameterType value : values) {
				String qualifier = value.getQueryParameterQualifier();
				tokens.add((qualifier == null ? "" : qualifier) + "=" + value.getValueAsQueryToken(fhirContext()));
			}
			canonical.computeIfAbsent(name, n -> new ArrayList<>()).add(String.join(",", tokens));
		});
		canonical.values().forEach(v -> v.sort(null));
		return resourceType.getName() + canonical + (headers == null ? "" : new TreeMap<>(headers).toString());
	}

}
