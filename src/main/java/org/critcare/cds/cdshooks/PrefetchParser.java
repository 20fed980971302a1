package org.critcare.cds.cdshooks;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.critcare.cds.fhir.NothingDroppedErrorHandler;
import org.critcare.cds.limits.RequestLimits;
import org.critcare.cds.patientdata.Prefetched;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.springframework.stereotype.Component;

/**
 * Reads a CDS Hooks request's {@code prefetch} (§Prefetch): each value is a FHIR
 * resource, a searchset Bundle (its matches, and its next page if any) or {@code null}
 * (no such data); an OperationOutcome means the client could not fetch the key, which the
 * service then fetches itself. Anything else, or more than
 * {@code cds.limits.max-prefetch-entries} resources in all, is
 * {@code 400 INVALID_PREFETCH} / {@code PREFETCH_TOO_LARGE}.
 */
@Component
class PrefetchParser {

	private final FhirContext fhirContext;

	private final RequestLimits limits;

	PrefetchParser(FhirContext fhirContext, RequestLimits limits) {
		this.fhirContext = fhirContext;
		this.limits = limits;
	}

	/** The prefetch values by key; an absent or {@code null} prefetch has none. */
	Map<String, Prefetched> read(JsonNode prefetch) {
		Map<String, Prefetched> values = new LinkedHashMap<>();
		if (prefetch == null || prefetch.isNull()) {
			return values;
		}
		if (!prefetch.isObject()) {
			throw new InvalidHookRequestException(CdsHooksError.INVALID_PREFETCH, "prefetch must be an object");
		}
		requireFewEntries(prefetch);
		prefetch.fields().forEachRemaining(entry -> {
			JsonNode value = entry.getValue();
			if (value.isNull()) {
				values.put(entry.getKey(), new Prefetched.NoData());
				return;
			}
			if (value.path("resourceType").asText().equals("Bundle")) {
				values.put(entry.getKey(), bundle(entry.getKey(), (ObjectNode) value));
				return;
			}
			IBaseResource resource = resource(entry.getKey(), value);
			if (!(resource instanceof OperationOutcome)) {
				values.put(entry.getKey(), new Prefetched.Resources(List.of(resource), null));
			}
			// an OperationOutcome means the client could not fetch the key: the service
			// fetches it itself
		});
		return values;
	}

	/**
	 * At most cds.limits.max-prefetch-entries resources in all prefetch values together;
	 * a {@code null} value (no data) holds none.
	 */
	private void requireFewEntries(JsonNode prefetch) {
		int resources = 0;
		for (JsonNode value : prefetch) {
			if (!value.isNull()) {
				resources += value.path("resourceType").asText().equals("Bundle") ? value.path("entry").size() : 1;
			}
		}
		if (resources > limits.maxPrefetchEntries()) {
			throw new InvalidHookRequestException(CdsHooksError.PREFETCH_TOO_LARGE, "prefetch may hold at most "
					+ limits.maxPrefetchEntries() + " resources (cds.limits.max-prefetch-entries)");
		}
	}

	/**
	 * A Bundle's matches (entries without a search mode or with mode {@code match}) and
	 * its next page. Each entry's resource is parsed on its own: parsing the Bundle whole
	 * would also resolve references between its entries, which the service does not use.
	 */
	private Prefetched.Resources bundle(String key, ObjectNode value) {
		JsonNode entries = value.path("entry");
		if (!entries.isMissingNode() && !entries.isArray()) {
			throw new InvalidHookRequestException(CdsHooksError.INVALID_PREFETCH,
					"prefetch '" + key + "' entry must be an array");
		}
		ObjectNode shell = value.objectNode();
		value.fields().forEachRemaining(field -> {
			if (!field.getKey().equals("entry")) {
				shell.set(field.getKey(), field.getValue());
			}
		});
		Bundle bundle = (Bundle) resource(key, shell);
		List<IBaseResource> matches = new ArrayList<>(entries.size());
		for (JsonNode entry : entries) {
			if (!entry.isObject()) {
				throw new InvalidHookRequestException(CdsHooksError.INVALID_PREFETCH,
						"prefetch '" + key + "' has an entry that is not an object");
			}
			String mode = entry.path("search").path("mode").asText();
			if (entry.hasNonNull("resource") && !mode.equals("include") && !mode.equals("outcome")) {
				matches.add(resource(key, entry.get("resource")));
			}
		}
		Bundle.BundleLinkComponent next = bundle.getLink(Bundle.LINK_NEXT);
		return new Prefetched.Resources(matches, next == null ? null : next.getUrl());
	}

	private IBaseResource resource(String key, JsonNode value) {
		if (!value.isObject() || !value.path("resourceType").isTextual()) {
			throw new InvalidHookRequestException(CdsHooksError.INVALID_PREFETCH,
					"prefetch '" + key + "' must be a FHIR resource or null");
		}
		try {
			return CdsHooksJson.fhirResource((ObjectNode) value, fhirContext);
		}
		catch (NothingDroppedErrorHandler.ElementDroppedException e) {
			throw new InvalidHookRequestException(CdsHooksError.INVALID_PREFETCH,
					"prefetch '" + key + "' is not a valid FHIR R4 resource: " + e.getMessage());
		}
		catch (DataFormatException e) {
			throw new InvalidHookRequestException(CdsHooksError.INVALID_PREFETCH,
					"prefetch '" + key + "' is not a valid FHIR R4 resource");
		}
	}

}
