package org.critcare.cds.cdshooks;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.critcare.cds.fhir.NothingDroppedErrorHandler;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Resource;

/**
 * The order context of a CDS Hooks 2.0 call, made visible to CQL (issue 9, CLINICAL-SPEC
 * §0 "Order hooks"). The resources of {@code context.draftOrders} join the patient's data
 * that CQL retrieves read; three CQL parameters tell them apart: {@value #HOOK_NAME} (the
 * hook), {@value #DRAFT_ORDER_IDS} (every draft order as {@code Type/id}) and
 * {@value #SELECTED_ORDER_IDS} ({@code context.selections} as {@code Type/id}; empty but
 * for order-select). Which drafts a rule evaluates, and which are co-orders, is decided
 * in CQL (library {@code OrderContext}). A draft without an id gets one: the uuid of its
 * {@code urn:uuid:} fullUrl, the last segment of an absolute fullUrl, else
 * {@code draft-<n>}; a Medication with both an id and a {@code urn:uuid:} fullUrl can be
 * referenced by either.
 */
final class DraftOrders {

	static final String HOOK_NAME = "HookName";

	static final String DRAFT_ORDER_IDS = "DraftOrderIds";

	static final String SELECTED_ORDER_IDS = "SelectedOrderIds";

	private final List<IBaseResource> resources;

	private final Map<String, Object> cqlParameters;

	private DraftOrders(List<IBaseResource> resources, Map<String, Object> cqlParameters) {
		this.resources = resources;
		this.cqlParameters = cqlParameters;
	}

	/**
	 * Reads the order context of a validated hook context; a hook without draft orders
	 * has none (empty lists).
	 * @throws InvalidHookRequestException when a draft or a selection is not readable
	 */
	static DraftOrders read(String hook, JsonNode context, FhirContext fhirContext) {
		List<IBaseResource> resources = new ArrayList<>();
		Set<String> draftIds = new LinkedHashSet<>();
		Map<String, String> byFullUrl = new HashMap<>();
		int index = 0;
		for (JsonNode entry : context.path("draftOrders").path("entry")) {
			index++;
			if (!entry.isObject() || !entry.hasNonNull("resource")) {
				continue;
			}
			IBaseResource resource = parse(entry.get("resource"), fhirContext);
			String fullUrl = entry.path("fullUrl").asText("");
			if (!resource.getIdElement().hasIdPart()) {
				resource.setId(idFrom(fullUrl, index));
			}
			String key = resource.fhirType() + "/" + resource.getIdElement().getIdPart();
			resources.add(resource);
			if (!fullUrl.isEmpty()) {
				byFullUrl.put(fullUrl, key);
			}
			if (!resource.fhirType().equals("Medication")) {
				draftIds.add(key);
			}
			else if (fullUrl.startsWith("urn:uuid:") && !key.endsWith("/" + idFrom(fullUrl, index))) {
				// an order may name the Medication by its fullUrl: a copy carries that id
				IBaseResource byUuid = ((Resource) resource).copy();
				byUuid.setId(idFrom(fullUrl, index));
				resources.add(byUuid);
			}
		}
		List<String> selected = new ArrayList<>();
		if (hook.equals("order-select")) {
			for (JsonNode selection : context.path("selections")) {
				if (!selection.isTextual()) {
					throw new InvalidHookRequestException(CdsHooksError.INVALID_CONTEXT,
							"context.selections must be an array of references");
				}
				selected.add(byFullUrl.getOrDefault(selection.asText(), localReference(selection.asText())));
			}
		}
		Map<String, Object> parameters = new HashMap<>();
		parameters.put(HOOK_NAME, hook);
		parameters.put(DRAFT_ORDER_IDS, List.copyOf(draftIds));
		parameters.put(SELECTED_ORDER_IDS, List.copyOf(selected));
		return new DraftOrders(List.copyOf(resources), parameters);
	}

	/** The resources of {@code context.draftOrders}, orders and Medications alike. */
	List<IBaseResource> resources() {
		return resources;
	}

	/** The CQL parameters of the call: hook, draft order ids, selected order ids. */
	Map<String, Object> cqlParameters() {
		return cqlParameters;
	}

	private static IBaseResource parse(JsonNode value, FhirContext fhirContext) {
		if (!value.isObject() || !value.path("resourceType").isTextual()) {
			throw new InvalidHookRequestException(CdsHooksError.INVALID_CONTEXT,
					"context.draftOrders has an invalid entry");
		}
		try {
			return CdsHooksJson.fhirResource((ObjectNode) value, fhirContext);
		}
		catch (NothingDroppedErrorHandler.ElementDroppedException e) {
			throw new InvalidHookRequestException(CdsHooksError.INVALID_CONTEXT,
					"context.draftOrders has an entry that is not a valid FHIR R4 resource: " + e.getMessage());
		}
		catch (DataFormatException e) {
			throw new InvalidHookRequestException(CdsHooksError.INVALID_CONTEXT,
					"context.draftOrders has an entry that is not a valid FHIR R4 resource");
		}
	}

	private static String idFrom(String fullUrl, int index) {
		if (fullUrl.startsWith("urn:uuid:")) {
			return fullUrl.substring("urn:uuid:".length());
		}
		int slash = fullUrl.lastIndexOf('/');
		if (slash >= 0 && slash < fullUrl.length() - 1 && fullUrl.matches("^https?://.*")) {
			return fullUrl.substring(slash + 1);
		}
		return "draft-" + index;
	}

	/**
	 * {@code Type/id} of a reference given as {@code Type/id}, an absolute URL or a
	 * versioned reference.
	 */
	static String localReference(String reference) {
		String path = reference.replaceFirst("/_history/[^/]*$", "");
		String[] segments = path.split("/");
		if (segments.length < 2) {
			return path;
		}
		return segments[segments.length - 2] + "/" + segments[segments.length - 1];
	}

}
