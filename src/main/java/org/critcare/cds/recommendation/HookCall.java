package org.critcare.cds.recommendation;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.critcare.cds.patientdata.FhirServerAccess;
import org.critcare.cds.patientdata.Prefetched;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * A validated CDS Hooks service call, in domain terms.
 *
 * @param serviceId the service called
 * @param hook the hook that fired
 * @param patientId {@code context.patientId}
 * @param tokens values for prefetch template tokens ({@code context.patientId}, …)
 * @param prefetch what the client prefetched, by key
 * @param fhirServer the client's FHIR server, when given
 * @param draftOrders the resources of {@code context.draftOrders} (order hooks), seen by
 * CQL retrieves with the patient's data
 * @param cqlParameters values for CQL parameters from the hook context: the hook, the
 * draft order ids and the selected order ids (see cql/README.md, "Order context")
 * @param language the language of the card texts
 */
public record HookCall(String serviceId, String hook, String patientId, Map<String, String> tokens,
		Map<String, Prefetched> prefetch, Optional<FhirServerAccess> fhirServer, List<IBaseResource> draftOrders,
		Map<String, Object> cqlParameters, String language) {
}
