package org.critcare.cds.cql;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.critcare.cds.scenarios.Scenario;
import org.critcare.cds.support.CdsServerTest;
import org.critcare.cds.support.Http;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * {@code PlanDefinition/$apply} (clinical-reasoning) reads the PlanDefinition the way the
 * CDS Hooks service does (issue 9): for every public patient-view scenario, stored, the
 * RequestGroup holds exactly the actions of the rules whose cards the hook returns, each
 * with the card's whole summary as its title and whole detail as its description, in
 * English and in Japanese (both chosen by {@code Accept-Language});
 * {@code Library/$evaluate} evaluates the service's library without error.
 */
@CdsServerTest
class ClinicalReasoningIT {

	@LocalServerPort
	int port;

	@TestFactory
	Stream<DynamicTest> applyGivesTheHooksCardTextsForEveryStorablePublicScenarioInBothLanguages() {
		Http http = new Http(port);
		return Scenario.publicScenarios()
			.stream()
			.filter(s -> s.hook().equals("patient-view"))
			.map(s -> DynamicTest.dynamicTest(s.id(), () -> assertSameAnswer(http, s.prefixed().at(Instant.now()))));
	}

	private static void assertSameAnswer(Http http, Scenario scenario) {
		assertThat(http.post("/fhir", scenario.transaction("PUT")).status()).isEqualTo(200);
		String patient = scenario.patientId();
		for (String language : List.of("en", "ja")) {
			Map<String, String> headers = Map.of("Content-Type", "application/json", "Accept-Language", language);
			JsonNode cards = http.post("/cds-services/" + scenario.service(),
					"{\"hook\":\"patient-view\","
							+ "\"hookInstance\":\"8b7e0f7e-0000-4000-8000-000000000001\",\"context\":{\"patientId\":\""
							+ patient + "\",\"userId\":\"Practitioner/x\"}}",
					headers)
				.json()
				.path("cards");
			Map<String, List<String>> hookTexts = new TreeMap<>();
			cards.forEach(card -> hookTexts.put(card.path("source").path("topic").path("code").asText(),
					List.of(card.path("summary").asText(), card.path("detail").asText())));

			JsonNode carePlan = http
				.send("GET", "/fhir/PlanDefinition/" + scenario.service() + "/$apply?subject=Patient/" + patient, null,
						Map.of("Accept-Language", language))
				.json();
			Map<String, List<String>> applied = new TreeMap<>();
			for (JsonNode contained : carePlan.path("contained")) {
				assertThat(contained.path("resourceType").asText()).as(contained.toString())
					.isNotEqualTo("OperationOutcome");
				if (contained.path("resourceType").asText().equals("RequestGroup")) {
					contained.path("action")
						.forEach(a -> applied.put(a.path("id").asText(),
								List.of(a.path("title").asText(), a.path("description").asText())));
				}
			}
			assertThat(applied).as(scenario.id() + " " + language).isEqualTo(hookTexts);
			assertThat(hookTexts).as(scenario.id()).containsKeys(scenario.fire().keySet().toArray(String[]::new));
		}
		JsonNode evaluated = http
			.get("/fhir/Library/" + toLibrary(scenario.service()) + "/$evaluate?subject=Patient/" + patient)
			.json();
		assertThat(evaluated.path("resourceType").asText()).isEqualTo("Parameters");
		assertThat(evaluated.path("parameter").findValuesAsText("name")).doesNotContain("evaluation error");
	}

	private static String toLibrary(String service) {
		StringBuilder name = new StringBuilder();
		for (String part : service.split("-")) {
			name.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
		}
		return name.toString();
	}

}
