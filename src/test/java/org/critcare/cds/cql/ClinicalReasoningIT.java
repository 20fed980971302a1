package org.critcare.cds.cql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.critcare.cds.scenarios.Scenario;
import org.critcare.cds.support.CdsServerTest;
import org.critcare.cds.support.Http;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * {@code PlanDefinition/$apply} and {@code Library/$evaluate} (clinical-reasoning) answer
 * the same as the CDS Hooks service for the same stored patient: the RequestGroup holds
 * exactly the actions of the rules whose cards the hook returns, and {@code $evaluate}
 * gives each rule's condition. Run for the sepsis-perfusion scenarios: clinical-reasoning
 * needs 14–115 s for one cre-stewardship {@code $apply} (it compiles the CRE libraries
 * from their CQL and reads every retrieve from the store), which the suite cannot afford;
 * making {@code $apply} read the knowledge the hook runtime reads is issue 9's work.
 */
@CdsServerTest
class ClinicalReasoningIT {

	@LocalServerPort
	int port;

	@TestFactory
	Stream<DynamicTest> applyAndEvaluateAgreeWithTheHookForEverySepsisPerfusionScenario() {
		Http http = new Http(port);
		return Scenario.publicScenarios()
			.stream()
			.filter(s -> s.hook().equals("patient-view") && s.service().equals("sepsis-perfusion"))
			.map(s -> DynamicTest.dynamicTest(s.id(), () -> {
				assumeTrue(http.get("/cds-services").json().findValuesAsText("id").contains(s.service()),
						s.service() + " is not offered yet");
				assertSameAnswer(http, s.prefixed().at(Instant.now()));
			}));
	}

	private static void assertSameAnswer(Http http, Scenario scenario) {
		assertThat(http.post("/fhir", scenario.transaction("PUT")).status()).isEqualTo(200);
		String patient = scenario.patientId();

		JsonNode cards = http.post("/cds-services/" + scenario.service(),
				Http.json("{\"hook\":\"patient-view\","
						+ "\"hookInstance\":\"8b7e0f7e-0000-4000-8000-000000000001\",\"context\":{\"patientId\":\""
						+ patient + "\",\"userId\":\"Practitioner/x\"}}"))
			.json()
			.path("cards");
		Set<String> hookRules = new TreeSet<>();
		cards.forEach(card -> hookRules.add(card.path("source").path("topic").path("code").asText()));

		JsonNode carePlan = http
			.get("/fhir/PlanDefinition/" + scenario.service() + "/$apply?subject=Patient/" + patient)
			.json();
		Set<String> applied = new TreeSet<>();
		for (JsonNode contained : carePlan.path("contained")) {
			if (contained.path("resourceType").asText().equals("RequestGroup")) {
				contained.path("action").forEach(a -> applied.add(a.path("id").asText()));
			}
			assertThat(contained.path("resourceType").asText()).as(contained.toString())
				.isNotEqualTo("OperationOutcome");
		}
		assertThat(applied).as(scenario.id()).isEqualTo(hookRules);
		assertThat(hookRules).containsAll(scenario.fire().keySet());

		JsonNode evaluated = http
			.get("/fhir/Library/" + toLibrary(scenario.service()) + "/$evaluate?subject=Patient/" + patient)
			.json();
		assertThat(evaluated.toString()).doesNotContain("evaluation error");
	}

	private static String toLibrary(String service) {
		StringBuilder name = new StringBuilder();
		for (String part : service.split("-")) {
			name.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
		}
		return name.toString();
	}

}
