package org.critcare.cds.cdshooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.critcare.cds.support.Fhir.map;
import static org.critcare.cds.support.Fhir.norepinephrineRunning;
import static org.critcare.cds.support.Fhir.patient;
import static org.critcare.cds.support.Fhir.patientView;
import static org.critcare.cds.support.Fhir.septicShock;
import static org.critcare.cds.support.Fhir.transaction;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.critcare.cds.support.CdsServerTest;
import org.critcare.cds.support.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Feedback as CDS Hooks 2.0 §Feedback defines it (issue 11): an accepted card names its
 * accepted suggestions, an override reason is one the card offered, and a rejected
 * request stores nothing. Info cards offer no override reasons.
 */
@CdsServerTest
class FeedbackIT {

	static final String SERVICE = "/cds-services/sepsis-perfusion";

	static final String REASONS = "http://example.org/cds/CodeSystem/override-reason";

	@LocalServerPort
	int port;

	Http http;

	@BeforeEach
	void client() {
		http = new Http(port);
	}

	@Test
	void aPatientWithMap58AndNoLactateGetsOverrideReasonsOnTheWarningCardOnly() {
		Map<String, JsonNode> cards = cards("feedback-reasons");
		assertThat(cards).containsOnlyKeys("SEPTIC-SHOCK-MAP-BELOW-TARGET", "SEPSIS-LACTATE-NOT-AVAILABLE");
		assertThat(cards.get("SEPTIC-SHOCK-MAP-BELOW-TARGET").path("indicator").asText()).isEqualTo("warning");
		assertThat(cards.get("SEPTIC-SHOCK-MAP-BELOW-TARGET").path("overrideReasons").findValuesAsText("code"))
			.containsExactly("individualized-target-documented", "already-addressed", "data-not-current",
					"not-applicable", "specialist-consulted");
		assertThat(cards.get("SEPSIS-LACTATE-NOT-AVAILABLE").path("indicator").asText()).isEqualTo("info");
		assertThat(cards.get("SEPSIS-LACTATE-NOT-AVAILABLE").has("overrideReasons")).isFalse();
	}

	@Test
	void anOverrideWithAReasonTheCardOfferedIsStored() {
		String card = cards("feedback-offered").get("SEPTIC-SHOCK-MAP-BELOW-TARGET").path("uuid").asText();
		int before = stored(card);
		assertThat(http.post(SERVICE + "/feedback", overridden(card, REASONS, "already-addressed"), json()).status())
			.isEqualTo(200);
		assertThat(stored(card)).isEqualTo(before + 1);
	}

	@Test
	void anOverrideReasonTheCardDidNotOfferIs400AndStoresNothing() {
		Map<String, JsonNode> cards = cards("feedback-not-offered");
		String warning = cards.get("SEPTIC-SHOCK-MAP-BELOW-TARGET").path("uuid").asText();
		String info = cards.get("SEPSIS-LACTATE-NOT-AVAILABLE").path("uuid").asText();
		assertInvalid(overridden(warning, REASONS, "patient-specific-target"), warning);
		assertInvalid(overridden(warning, "http://example.org/other", "already-addressed"), warning);
		assertInvalid(overridden(info, REASONS, "already-addressed"), info);
		String notAnObject = """
				{"feedback":[{"card":"%s","outcome":"overridden","outcomeTimestamp":"2026-11-21T10:00:00Z",
				 "overrideReason":"already-addressed"}]}""".formatted(warning);
		assertInvalid(notAnObject, warning);
	}

	@Test
	void anOverrideOfACardNoLongerRememberedMustNameAReasonTheServiceOffers() {
		String card = "0b5a9c64-3f1e-4a43-9d6e-5a1f0c2d7e11";
		assertInvalid(overridden(card, REASONS, "made-up"), card);
		assertThat(http.post(SERVICE + "/feedback", overridden(card, REASONS, "not-applicable"), json()).status())
			.isEqualTo(200);
	}

	@Test
	void anAcceptedCardWithoutAcceptedSuggestionsOrWithOnesItDidNotOfferIs400AndStoresNothing() {
		String card = cards("feedback-accepted").get("SEPTIC-SHOCK-MAP-BELOW-TARGET").path("uuid").asText();
		assertInvalid(accepted(card, ""), card);
		assertInvalid(accepted(card, ",\"acceptedSuggestions\":[]"), card);
		assertInvalid(accepted(card, ",\"acceptedSuggestions\":[{\"label\":\"no id\"}]"), card);
		assertInvalid(accepted(card, ",\"acceptedSuggestions\":[{\"id\":\"s1\"}],\"overrideReason\":{\"reason\":"
				+ "{\"system\":\"" + REASONS + "\",\"code\":\"already-addressed\"}}"), card);
		assertInvalid(accepted(card, ",\"acceptedSuggestions\":[{\"id\":\"s1\"}]"), card);
		assertThat(stored(card)).isZero();
	}

	@Test
	void aRequestWithOneInvalidEntryStoresNoneOfItsEntries() {
		String card = cards("feedback-mixed").get("SEPTIC-SHOCK-MAP-BELOW-TARGET").path("uuid").asText();
		String mixed = """
				{"feedback":[{"card":"%1$s","outcome":"overridden","outcomeTimestamp":"2026-11-21T10:00:00Z"},
				 {"card":"%1$s","outcome":"accepted","outcomeTimestamp":"2026-11-21T10:00:00Z"}]}""".formatted(card);
		assertInvalid(mixed, card);
	}

	private void assertInvalid(String feedback, String card) {
		int before = stored(card);
		CdsHooksHttpIT.assertError(http.post(SERVICE + "/feedback", feedback, json()), CdsHooksError.INVALID_FEEDBACK);
		assertThat(stored(card)).isEqualTo(before);
	}

	/** How many stored AuditEvents of the service name the card. */
	private int stored(String card) {
		JsonNode bundle = http.get("/fhir/AuditEvent?entity=PlanDefinition/sepsis-perfusion&_count=500").json();
		int found = 0;
		for (JsonNode entry : bundle.path("entry")) {
			if (entry.path("resource").findValuesAsText("value").contains("urn:uuid:" + card)) {
				found++;
			}
		}
		return found;
	}

	private static String overridden(String card, String system, String code) {
		return """
				{"feedback":[{"card":"%s","outcome":"overridden","outcomeTimestamp":"2026-11-21T10:00:00Z",
				 "overrideReason":{"reason":{"system":"%s","code":"%s"},"userComment":"checked"}}]}""".formatted(card,
				system, code);
	}

	private static String accepted(String card, String extra) {
		return """
				{"feedback":[{"card":"%s","outcome":"accepted","outcomeTimestamp":"2026-11-21T10:00:00Z"%s}]}"""
			.formatted(card, extra);
	}

	/** The cards of a stored septic-shock patient with a MAP of 58 mmHg, by rule id. */
	private Map<String, JsonNode> cards(String patient) {
		Http.Response stored = http.post("/fhir",
				transaction(patient(patient), septicShock(patient + "-shock", patient),
						norepinephrineRunning(patient + "-vp", patient),
						map(patient + "-map", patient, "58", Duration.ofMinutes(10))),
				Map.of("Content-Type", "application/fhir+json"));
		assertThat(stored.status()).isEqualTo(200);
		Http.Response response = http.post(SERVICE, patientView(patient), json());
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		Map<String, JsonNode> cards = new HashMap<>();
		response.json()
			.path("cards")
			.forEach(card -> cards.put(card.path("source").path("topic").path("code").asText(), card));
		return cards;
	}

	private static Map<String, String> json() {
		return Map.of("Content-Type", "application/json");
	}

}
