package org.critcare.cds.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Feedback on sepsis-perfusion cards, sent and read back as the AuditEvents it stores.
 */
public final class StoredFeedback {

	static final String RULE_SYSTEM = "http://example.org/cds/CodeSystem/rule-id";

	static final String REASONS = "http://example.org/cds/CodeSystem/override-reason";

	private StoredFeedback() {
	}

	/** A feedback body: the card overridden now, for the reason with this code. */
	public static String overridden(String card, String reason) {
		return """
				{"feedback":[{"card":"%s","outcome":"overridden","outcomeTimestamp":"%s",
				 "overrideReason":{"reason":{"system":"%s","code":"%s"}}}]}""".formatted(card, Instant.now(), REASONS,
				reason);
	}

	/**
	 * The rule-id subtype of each stored feedback AuditEvent naming the card, "(none)"
	 * for an event without one.
	 */
	public static List<String> rulesOf(Http http, String card) {
		JsonNode bundle = http.get("/fhir/AuditEvent?entity=PlanDefinition/sepsis-perfusion&_count=500").json();
		List<String> rules = new ArrayList<>();
		for (JsonNode entry : bundle.path("entry")) {
			JsonNode event = entry.path("resource");
			if (event.findValuesAsText("value").contains("urn:uuid:" + card)) {
				String rule = "(none)";
				for (JsonNode subtype : event.path("subtype")) {
					if (subtype.path("system").asText().equals(RULE_SYSTEM)) {
						rule = subtype.path("code").asText();
					}
				}
				rules.add(rule);
			}
		}
		return rules;
	}

}
