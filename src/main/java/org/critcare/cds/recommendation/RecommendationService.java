package org.critcare.cds.recommendation;

import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.critcare.cds.patientdata.DataRequest;
import org.critcare.cds.patientdata.PatientData;
import org.critcare.cds.patientdata.PatientDataService;
import org.springframework.stereotype.Service;
import org.critcare.cds.knowledge.Knowledge;
import org.critcare.cds.knowledge.ServiceCatalog;
import org.critcare.cds.knowledge.ServiceDefinition;

/**
 * Answers a hook call with the recommendations that fire: finds the service, gathers the
 * patient's data as its prefetch templates describe, adds the call's draft orders (which
 * win over a stored copy of the same order), and evaluates the rules that run on the hook
 * with the call's CQL parameters and the site settings' ({@link CreProperties}).
 */
@Service
public class RecommendationService {

	private final ServiceCatalog catalog;

	private final PatientDataService patientData;

	private final Clock clock;

	private final Map<String, Object> siteParameters;

	private final DisplayProperties display;

	RecommendationService(ServiceCatalog catalog, PatientDataService patientData, Clock clock, CreProperties cre,
			DisplayProperties display) {
		this.display = display;
		this.catalog = catalog;
		this.patientData = patientData;
		this.clock = clock;
		this.siteParameters = cre.cqlParameters();
	}

	/**
	 * The recommendations for the call.
	 * @throws UnknownServiceException when the service is not offered
	 * @throws UnsupportedHookException when the service does not answer the hook
	 * @throws org.critcare.cds.patientdata.DataUnavailableException when needed data
	 * cannot be had
	 */
	public List<Recommendation> recommend(HookCall call) {
		Knowledge knowledge = catalog.current();
		ServiceDefinition service = knowledge.service(call.serviceId())
			.orElseThrow(() -> new UnknownServiceException(call.serviceId()));
		if (!service.hooks().contains(call.hook())) {
			throw new UnsupportedHookException(service.id(), call.hook(), service.hooks());
		}
		PatientData data = patientData
			.gather(new DataRequest(service.prefetch(), call.prefetch(), call.fhirServer(), call.tokens()))
			.withFirst(call.draftOrders());
		return Recommendations.recommend(knowledge, service, call.hook(), call.patientId(), data,
				withSiteParameters(call.cqlParameters()), ZonedDateTime.now(clock), call.language(),
				display.timeZone());
	}

	/**
	 * The call's CQL parameters and the site settings' ({@code cds.cre.*}); a library
	 * ignores the parameters it does not declare.
	 */
	Map<String, Object> withSiteParameters(Map<String, Object> callParameters) {
		Map<String, Object> parameters = new HashMap<>(callParameters);
		parameters.putAll(siteParameters);
		return parameters;
	}

	/** The service with that id, if offered. */
	public ServiceDefinition service(String serviceId) {
		return catalog.current().service(serviceId).orElseThrow(() -> new UnknownServiceException(serviceId));
	}

	/** Every offered service. */
	public List<ServiceDefinition> services() {
		return List.copyOf(catalog.current().services());
	}

}
