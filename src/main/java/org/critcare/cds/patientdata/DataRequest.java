package org.critcare.cds.patientdata;

import java.util.Map;
import java.util.Optional;

/**
 * What a service call needs of one patient's data.
 *
 * @param templates prefetch key → FHIR query template of the service
 * @param prefetch what the client prefetched, by key (a missing key was not prefetched)
 * @param fhirServer the client's FHIR server, when given
 * @param tokens values for the template tokens, e.g. {@code context.patientId}
 */
public record DataRequest(Map<String, String> templates, Map<String, Prefetched> prefetch,
		Optional<FhirServerAccess> fhirServer, Map<String, String> tokens) {
}
