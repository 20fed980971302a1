package org.critcare.cds.knowledge;

import ca.uhn.fhir.context.FhirContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.critcare.cds.cql.DataQuery;
import org.critcare.cds.knowledge.PrefetchTemplates;

/**
 * CDS Hooks prefetch templates derived from what a service's CQL reads (CDS Hooks
 * §Prefetch, CDS on FHIR: DataRequirement → query): one search per resource type, by
 * patient and, where the logic narrows by code, by those codes as {@code system|code}
 * tokens. A type the logic narrows on another search parameter too (an isolate found by
 * its organism: {@code value-concept}) gets a second key, e.g.
 * {@code observationByValueConcept}; MedicationAdministrations found by their tag
 * ({@code _tag}) get {@code medicationAdministrationByTag}.
 */
final class PrefetchTemplates {

	static final String PATIENT_TOKEN = "{{context.patientId}}";

	private PrefetchTemplates() {
	}

	/**
	 * The templates of the queries; a resource type that cannot be searched by patient
	 * (e.g. Medication, reached only through a reference) has none.
	 */
	static Map<String, String> from(List<DataQuery> queries, FhirContext fhirContext) {
		Map<String, String> templates = new LinkedHashMap<>();
		for (DataQuery query : queries) {
			String type = query.resourceType();
			if (!"Patient".equals(type) && fhirContext.getResourceDefinition(type).getSearchParam("patient") == null) {
				continue;
			}
			String key = type.substring(0, 1).toLowerCase(Locale.ROOT) + type.substring(1)
					+ ("code".equals(query.searchParameter()) ? "" : "By" + camel(query.searchParameter()));
			if ("Patient".equals(type)) {
				templates.put(key, "Patient/" + PATIENT_TOKEN);
				continue;
			}
			StringBuilder search = new StringBuilder(type).append("?patient=").append(PATIENT_TOKEN);
			if (query.narrowedByCode()) {
				search.append('&').append(query.searchParameter()).append('=').append(String.join(",", query.codes()));
			}
			templates.put(key, search.toString());
		}
		return templates;
	}

	/** {@code value-concept} → {@code ValueConcept}, {@code _tag} → {@code Tag}. */
	private static String camel(String parameter) {
		StringBuilder camel = new StringBuilder();
		for (String part : parameter.replaceFirst("^_", "").split("-")) {
			camel.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
		}
		return camel.toString();
	}

}
