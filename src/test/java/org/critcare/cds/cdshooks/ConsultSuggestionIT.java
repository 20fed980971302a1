package org.critcare.cds.cdshooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.critcare.cds.scenarios.Scenario;
import org.critcare.cds.support.CdsServerTest;
import org.critcare.cds.support.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The one card with a suggestion (CLINICAL-SPEC §0, §5.10):
 * CRE-CEFIDEROCOL-CONSULT-REQUIRED offers "order ID/AST consult" as a CDS Hooks 2.0
 * suggestion, built from ActivityDefinition/id-ast-consultation, in the card's language;
 * its card carries {@code selectionBehavior}; feedback accepting it names its uuid, and a
 * uuid the card did not offer is refused.
 */
@CdsServerTest
class ConsultSuggestionIT {

	static final String SERVICE = "/cds-services/cre-stewardship";

	static final String RULE = "CRE-CEFIDEROCOL-CONSULT-REQUIRED";

	static final ObjectMapper JSON = new ObjectMapper();

	@LocalServerPort
	int port;

	Http http;

	@BeforeEach
	void client() {
		http = new Http(port);
	}

	@Test
	void aCrePatientWithCefiderocolAndNoConsultGetsTheConsultSuggestionInEnglish() {
		Scenario scenario = stored("en");
		Instant before = Instant.now().minusSeconds(1);
		JsonNode card = card(scenario, "en");
		assertCardUnchanged(card, "MHLW notice: cefiderocol requires consultation with an ID physician or "
				+ "antimicrobial stewardship team.");
		assertSuggestion(card, scenario, before, "Order ID/AST consultation",
				"Propose a ServiceRequest for consultation with an infectious-disease physician or the antimicrobial "
						+ "stewardship team (MHLW notice item 2).");
	}

	@Test
	void aCrePatientWithCefiderocolAndNoConsultGetsTheConsultSuggestionInJapanese() {
		Scenario scenario = stored("ja");
		Instant before = Instant.now().minusSeconds(1);
		JsonNode card = card(scenario, "ja");
		assertCardUnchanged(card, "厚生労働省の事務連絡：セフィデロコルの投与には感染症医または抗菌薬適正使用支援チーム（AST）への相談が必要です。");
		assertSuggestion(card, scenario, before, "感染症医/ASTへのコンサルテーションを依頼",
				"感染症医または抗菌薬適正使用支援チームへのコンサルテーション依頼（ServiceRequest）を提案します（厚生労働省の事務連絡 項目2）。");
	}

	@Test
	void onlyTheConsultCardOffersASuggestion() {
		Scenario scenario = stored("only");
		List<String> withSuggestions = new ArrayList<>();
		call(scenario, "en").path("cards").forEach(c -> {
			if (c.has("suggestions") || c.has("selectionBehavior")) {
				withSuggestions.add(c.path("source").path("topic").path("code").asText());
			}
		});
		assertThat(withSuggestions).containsExactly(RULE);
	}

	@Test
	void acceptingTheConsultSuggestionByItsUuidIsStored() {
		Scenario scenario = stored("accept");
		JsonNode card = card(scenario, "en");
		String cardId = card.path("uuid").asText();
		String suggestion = card.path("suggestions").get(0).path("uuid").asText();
		Http.Response answer = http.post(SERVICE + "/feedback", accepted(cardId, suggestion), json());
		assertThat(answer.status()).as(answer.body()).isEqualTo(200);
		List<JsonNode> events = auditEvents(cardId);
		assertThat(events).hasSize(1);
		List<String> details = new ArrayList<>();
		for (JsonNode entity : events.get(0).path("entity")) {
			for (JsonNode detail : entity.path("detail")) {
				details.add(detail.path("type").asText() + "=" + detail.path("valueString").asText());
			}
		}
		assertThat(details).containsExactly("acceptedSuggestion=" + suggestion);
		List<String> subtypes = new ArrayList<>();
		events.get(0).path("subtype").forEach(s -> subtypes.add(s.path("code").asText()));
		assertThat(subtypes).containsExactly(RULE, "accepted");
	}

	@Test
	void acceptingASuggestionTheCardDidNotOfferIs400AndStoresNothing() {
		Scenario scenario = stored("unknown");
		String cardId = card(scenario, "en").path("uuid").asText();
		CdsHooksHttpIT.assertError(
				http.post(SERVICE + "/feedback", accepted(cardId, UUID.randomUUID().toString()), json()),
				CdsHooksError.INVALID_FEEDBACK);
		assertThat(auditEvents(cardId)).isEmpty();
	}

	private void assertCardUnchanged(JsonNode card, String summary) {
		List<String> fields = new ArrayList<>();
		card.fieldNames().forEachRemaining(fields::add);
		assertThat(fields).containsExactlyInAnyOrder("uuid", "summary", "detail", "indicator", "source", "links",
				"suggestions", "selectionBehavior");
		assertThat(card.path("summary").asText()).isEqualTo(summary);
		assertThat(card.path("indicator").asText()).isEqualTo("info");
		assertThat(card.path("source").path("topic").path("code").asText()).isEqualTo(RULE);
		assertThat(card.path("source").path("label").asText()).isEqualTo("MHLW CRE guide 2024");
		assertThat(card.path("selectionBehavior").asText()).isEqualTo("at-most-one");
	}

	private static void assertSuggestion(JsonNode card, Scenario scenario, Instant before, String label,
			String description) {
		assertThat(card.path("suggestions")).hasSize(1);
		ObjectNode suggestion = card.path("suggestions").get(0).deepCopy();
		String uuid = suggestion.remove("uuid").asText();
		assertThat(UUID.fromString(uuid).toString()).isEqualTo(uuid).isNotEqualTo(card.path("uuid").asText());
		ObjectNode resource = (ObjectNode) suggestion.path("actions").get(0).path("resource");
		Instant authoredOn = OffsetDateTime.parse(resource.remove("authoredOn").asText()).toInstant();
		assertThat(authoredOn).isBetween(before, Instant.now().plusSeconds(1));
		ObjectNode expected = JSON.createObjectNode().put("label", label);
		ObjectNode action = expected.putArray("actions")
			.addObject()
			.put("type", "create")
			.put("description", description);
		ObjectNode request = action.putObject("resource").put("resourceType", "ServiceRequest");
		request.putArray("instantiatesCanonical")
			.add("http://example.org/cds/ActivityDefinition/id-ast-consultation|1.0.0");
		request.put("status", "draft").put("intent", "proposal").put("priority", "routine");
		ObjectNode code = request.putObject("code");
		code.putArray("coding")
			.addObject()
			.put("system", "http://example.org/cds/CodeSystem/local")
			.put("code", "id-ast-consultation")
			.put("display", "Infectious-disease / antimicrobial stewardship team consultation");
		code.put("text", "Consultation with an infectious-disease physician or the antimicrobial stewardship team");
		request.putObject("subject").put("reference", "Patient/" + scenario.patientId());
		assertThat(suggestion).isEqualTo(expected);
	}

	/**
	 * PUB-CRE-03 (KPC CPE, cefiderocol ordered, no consult), stored under its own ids.
	 */
	private Scenario stored(String variant) {
		Scenario template = Scenario.publicScenarios()
			.stream()
			.filter(s -> s.id().equals("PUB-CRE-03"))
			.findFirst()
			.orElseThrow();
		Scenario renamed = new Scenario("suggestion-" + variant, template.description(), template.service(),
				template.hook(), template.context(), template.data(), template.fire(), template.notFire());
		Scenario scenario = renamed.prefixed().at(Instant.now());
		Http.Response stored = http.post("/fhir", scenario.transaction("PUT"));
		assertThat(stored.status()).as(stored.body()).isEqualTo(200);
		return scenario;
	}

	private JsonNode call(Scenario scenario, String language) {
		ObjectNode request = JSON.createObjectNode()
			.put("hook", scenario.hook())
			.put("hookInstance", UUID.randomUUID().toString());
		request.set("context", scenario.context());
		Http.Response answer = http.post(SERVICE, request.toString(),
				Map.of("Content-Type", "application/json", "Accept-Language", language));
		assertThat(answer.status()).as(answer.body()).isEqualTo(200);
		return answer.json();
	}

	private JsonNode card(Scenario scenario, String language) {
		for (JsonNode card : call(scenario, language).path("cards")) {
			if (card.path("source").path("topic").path("code").asText().equals(RULE)) {
				return card;
			}
		}
		throw new AssertionError(RULE + " did not fire");
	}

	/** The stored AuditEvents that name the card. */
	private List<JsonNode> auditEvents(String card) {
		JsonNode bundle = http.get("/fhir/AuditEvent?entity=PlanDefinition/cre-stewardship&_count=500").json();
		List<JsonNode> found = new ArrayList<>();
		for (JsonNode entry : bundle.path("entry")) {
			if (entry.path("resource").findValuesAsText("value").contains("urn:uuid:" + card)) {
				found.add(entry.path("resource"));
			}
		}
		return found;
	}

	private static String accepted(String card, String suggestion) {
		return """
				{"feedback":[{"card":"%s","outcome":"accepted","outcomeTimestamp":"2026-11-21T10:00:00Z",
				 "acceptedSuggestions":[{"id":"%s"}]}]}""".formatted(card, suggestion);
	}

	private static Map<String, String> json() {
		return Map.of("Content-Type", "application/json");
	}

}
