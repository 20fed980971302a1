package org.critcare.cds.recommendation;

import java.util.Map;
import java.util.Optional;
import org.critcare.cds.patientdata.FhirServerAccess;
import org.critcare.cds.patientdata.Prefetched;

/**
 * A validated CDS Hooks service call, in domain terms.
 *
 * @param serviceId the service called
 * @param hook the hook that fired
 * @param patientId {@code context.patientId}
 * @param tokens values for prefetch template tokens ({@code context.patientId}, …)
 * @param prefetch what the client prefetched, by key
 * @param fhirServer the client's FHIR server, when given
 * @param cqlParameters values for CQL parameters from the hook context (e.g. draft
 * orders)
 * @param language the language of the card texts
 */
public record HookCall(String serviceId, String hook, String patientId, Map<String, String> tokens,
		Map<String, Prefetched> prefetch, Optional<FhirServerAccess> fhirServer, Map<String, Object> cqlParameters,
		String language) {
}
