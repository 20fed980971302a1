package org.critcare.cds.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.critcare.cds.support.CdsServerTest;
import org.critcare.cds.support.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The SMART app's server side (issue 13): the built app is served at {@code /app/}, its
 * settings and the committee view's rule fires are read from {@code /app/api}, fires are
 * counted per card issued, and patient-view cards link to the app with an
 * {@code appContext} naming the rule and the patient.
 */
@CdsServerTest
class AppIT {

	static final String MAP_RULE = "SEPTIC-SHOCK-MAP-BELOW-TARGET";

	static final String EVIDENCE_RULE = "SEPTIC-SHOCK-TARTARE2S-EVIDENCE";

	@LocalServerPort
	int port;

	Http http;

	@BeforeEach
	void client() {
		http = new Http(port);
	}

	@Test
	void theBuiltAppIsServedAtAppSlash() {
		Http.Response index = http.get("/app/");
		assertThat(index.status()).isEqualTo(200);
		assertThat(index.header("Content-Type")).startsWith("text/html");
		assertThat(http.get("/app/launch.html").status()).isEqualTo(200);
		Http.Response bare = http.get("/app?patient=p1");
		assertThat(bare.status()).isEqualTo(302);
		assertThat(bare.header("Location")).endsWith("/app/?patient=p1");
	}

	@Test
	void theAppReadsTheHospitalZoneAndLanguages() {
		JsonNode config = http.get("/app/api/config").json();
		assertThat(config.path("timeZone").asText()).isEqualTo("Asia/Tokyo");
		assertThat(config.path("defaultLanguage").asText()).isEqualTo("en");
		assertThat(config.path("languages")).hasSize(2);
	}

	@Test
	void everyIssuedCardIsCountedAsAFireOfItsRuleAndTheAppShowingItAgainIsNot() {
		String patient = "app-fires-" + UUID.randomUUID();
		storeSepticShockWithMap58(patient);
		Map<String, Long> before = firesToday();
		for (int i = 0; i < 3; i++) {
			Http.Response call = http.post("/cds-services/sepsis-perfusion", patientView(patient));
			assertThat(call.status()).isEqualTo(200);
		}
		Http.Response shown = http.get("/app/api/patients/" + patient + "/cards");
		assertThat(ruleIds(shown.json())).contains(MAP_RULE, EVIDENCE_RULE);
		Map<String, Long> after = firesToday();
		assertThat(after.getOrDefault(MAP_RULE, 0L) - before.getOrDefault(MAP_RULE, 0L)).isEqualTo(3);
		assertThat(after.getOrDefault(EVIDENCE_RULE, 0L) - before.getOrDefault(EVIDENCE_RULE, 0L)).isEqualTo(3);
	}

	@Test
	void patientViewCardsLinkToTheAppWithTheRuleAndPatient() {
		String patient = "app-link-" + UUID.randomUUID();
		storeSepticShockWithMap58(patient);
		JsonNode cards = http.post("/cds-services/sepsis-perfusion", patientView(patient)).json().path("cards");
		assertThat(cards).hasSize(2);
		for (JsonNode card : cards) {
			List<JsonNode> smart = card.path("links")
				.findParents("type")
				.stream()
				.filter(l -> l.path("type").asText().equals("smart"))
				.toList();
			assertThat(smart).hasSize(1);
			String rule = card.path("source").path("topic").path("code").asText();
			// the open server has no authorization server: the URL itself names patient
			// and rule
			assertThat(smart.get(0).path("url").asText())
				.isEqualTo("http://localhost:" + port + "/app/launch.html?patient=" + patient + "&rule=" + rule);
			assertThat(smart.get(0).path("label").asText())
				.isEqualTo("Open the patient view (trend, isolate, evidence)");
			JsonNode context = Http.json(smart.get(0).path("appContext").asText());
			assertThat(context.path("patient").asText()).isEqualTo(patient);
			assertThat(context.path("rule").asText())
				.isEqualTo(card.path("source").path("topic").path("code").asText());
		}
	}

	@Test
	void theAppReadsAPatientsCardsOfEveryPatientViewServiceFromTheStore() {
		String patient = "app-cards-" + UUID.randomUUID();
		storeSepticShockWithMap58(patient);
		Http.Response answer = http.get("/app/api/patients/" + patient + "/cards");
		assertThat(answer.status()).isEqualTo(200);
		assertThat(ruleIds(answer.json())).containsExactly(MAP_RULE, EVIDENCE_RULE);
		JsonNode hook = http.post("/cds-services/sepsis-perfusion", patientView(patient)).json();
		assertThat(ruleIds(answer.json())).isEqualTo(ruleIds(hook));
		JsonNode mapCard = answer.json().path("cards").get(0);
		assertThat(mapCard.path("summary").asText()).isEqualTo(hook.path("cards").get(0).path("summary").asText());
		assertThat(mapCard.path("indicator").asText()).isEqualTo("warning");
	}

	@Test
	void theAppsCardsFollowAcceptLanguage() {
		String patient = "app-cards-ja-" + UUID.randomUUID();
		storeSepticShockWithMap58(patient);
		Http.Response answer = http.send("GET", "/app/api/patients/" + patient + "/cards", null,
				Map.of("Accept-Language", "ja"));
		assertThat(answer.status()).isEqualTo(200);
		assertThat(answer.json().path("cards").get(0).path("summary").asText())
			.isEqualTo("MAP 58 mmHgは通常の目標（≥65 mmHg）を下回っています（敗血症）。組織灌流と昇圧薬の計画を見直してください。");
	}

	@Test
	void theAppsCardsOfAPatientWithoutDataAreNone() {
		Http.Response answer = http.get("/app/api/patients/app-cards-nobody/cards");
		assertThat(answer.status()).isEqualTo(200);
		assertThat(ruleIds(answer.json())).isEmpty();
	}

	@Test
	void theAppsCardsOfAnInvalidPatientIdAre400() {
		Http.Response answer = http.get("/app/api/patients/not_a_fhir_id/cards");
		assertThat(answer.status()).isEqualTo(400);
		assertThat(answer.json().path("error").asText()).isEqualTo("INVALID_CONTEXT");
	}

	@Test
	void japaneseCardsCarryAJapaneseAppLinkLabel() {
		String patient = "app-link-ja-" + UUID.randomUUID();
		storeSepticShockWithMap58(patient);
		JsonNode cards = http
			.post("/cds-services/sepsis-perfusion", patientView(patient).toString(),
					Map.of("Content-Type", "application/json", "Accept-Language", "ja"))
			.json()
			.path("cards");
		assertThat(cards.get(0).path("links").get(1).path("label").asText()).isEqualTo("患者ビューを開く（推移・分離株・エビデンス）");
	}

	@Test
	void aPeriodThatIsNotTwoDatesInOrderIs400AndNamesTheProblem() {
		for (String query : List.of("", "?from=2026-12-01", "?from=yesterday&to=2026-12-01",
				"?from=2026-12-02&to=2026-12-01")) {
			Http.Response answer = http.get("/app/api/rule-fires" + query);
			assertThat(answer.status()).as(query).isEqualTo(400);
			assertThat(answer.json().path("error").asText()).isEqualTo("INVALID_PERIOD");
		}
	}

	private static List<String> ruleIds(JsonNode response) {
		List<String> ids = new ArrayList<>();
		response.path("cards").forEach(card -> ids.add(card.path("source").path("topic").path("code").asText()));
		return ids;
	}

	private Map<String, Long> firesToday() {
		String today = LocalDate.now(ZoneId.of("Asia/Tokyo")).toString();
		JsonNode answer = http.get("/app/api/rule-fires?from=" + today + "&to=" + today).json();
		Map<String, Long> fires = new HashMap<>();
		answer.path("fires").forEach(f -> fires.merge(f.path("rule").asText(), f.path("count").asLong(), Long::sum));
		return fires;
	}

	private void storeSepticShockWithMap58(String patient) {
		String now = java.time.Instant.now().minusSeconds(600).toString();
		String bundle = """
				{"resourceType":"Bundle","type":"transaction","entry":[
				{"resource":{"resourceType":"Patient","id":"%1$s"},"request":{"method":"PUT","url":"Patient/%1$s"}},
				{"resource":{"resourceType":"Condition","id":"%1$s-shock","subject":{"reference":"Patient/%1$s"},
				 "clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":"active"}]},
				 "code":{"coding":[{"system":"http://snomed.info/sct","code":"76571007"}]}},
				 "request":{"method":"PUT","url":"Condition/%1$s-shock"}},
				{"resource":{"resourceType":"MedicationAdministration","id":"%1$s-vp","status":"in-progress",
				 "subject":{"reference":"Patient/%1$s"},"effectivePeriod":{"start":"%2$s"},
				 "medicationCodeableConcept":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"7512"}]}},
				 "request":{"method":"PUT","url":"MedicationAdministration/%1$s-vp"}},
				{"resource":{"resourceType":"Observation","id":"%1$s-map","status":"final","subject":{"reference":"Patient/%1$s"},
				 "code":{"coding":[{"system":"http://loinc.org","code":"8478-0"}]},"effectiveDateTime":"%2$s",
				 "valueQuantity":{"value":58,"unit":"mm[Hg]","system":"http://unitsofmeasure.org","code":"mm[Hg]"}},
				 "request":{"method":"PUT","url":"Observation/%1$s-map"}},
				{"resource":{"resourceType":"Observation","id":"%1$s-lac","status":"final","subject":{"reference":"Patient/%1$s"},
				 "code":{"coding":[{"system":"http://loinc.org","code":"2518-9"}]},"effectiveDateTime":"%2$s",
				 "valueQuantity":{"value":4.2,"unit":"mmol/L","system":"http://unitsofmeasure.org","code":"mmol/L"}},
				 "request":{"method":"PUT","url":"Observation/%1$s-lac"}}]}
				"""
			.formatted(patient, now);
		assertThat(http.post("/fhir", bundle, Map.of("Content-Type", "application/fhir+json")).status()).isEqualTo(200);
	}

	private static JsonNode patientView(String patient) {
		return Http.json("""
				{"hook":"patient-view","hookInstance":"%s","context":{"userId":"Practitioner/app-it","patientId":"%s"}}
				""".formatted(UUID.randomUUID(), patient));
	}

}
