package org.critcare.cds.cdshooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.critcare.cds.support.Fhir.lactate;
import static org.critcare.cds.support.Fhir.map;
import static org.critcare.cds.support.Fhir.norepinephrineRunning;
import static org.critcare.cds.support.Fhir.patient;
import static org.critcare.cds.support.Fhir.patientView;
import static org.critcare.cds.support.Fhir.searchset;
import static org.critcare.cds.support.Fhir.septicShock;
import static org.critcare.cds.support.Fhir.transaction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.critcare.cds.support.CdsServerTest;
import org.critcare.cds.support.Http;
import org.critcare.cds.support.StubFhirServer;
import org.critcare.cds.support.StubFhirServer.Answer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The CDS Hooks protocol of CONTRACT.md and CDS Hooks 2.0, on the sepsis-perfusion
 * service: discovery, request validation (400/404 with a stable JSON error), prefetch as
 * given (null = no data), partial prefetch completed from the store or the client's FHIR
 * server (with its token, following paging), 412 when data cannot be had, languages and
 * feedback.
 */
@CdsServerTest
@ExtendWith(OutputCaptureExtension.class)
class CdsHooksProtocolIT {

	static final String SERVICE = "/cds-services/sepsis-perfusion";

	@LocalServerPort
	int port;

	Http http;

	@BeforeEach
	void client() {
		http = new Http(port);
	}

	@Test
	void discoveryListsSepsisPerfusionForPatientViewWithPrefetchNarrowedByCode() {
		JsonNode services = http.get("/cds-services").json().path("services");
		List<JsonNode> sepsis = new ArrayList<>();
		services.forEach(s -> {
			if (s.path("id").asText().equals("sepsis-perfusion")) {
				sepsis.add(s);
			}
		});
		assertThat(sepsis).hasSize(1);
		JsonNode service = sepsis.get(0);
		assertThat(service.path("hook").asText()).isEqualTo("patient-view");
		assertThat(service.path("title").asText()).isEqualTo("Septic shock perfusion targets (TARTARE-2S)");
		assertThat(service.path("description").asText()).isNotBlank();
		JsonNode prefetch = service.path("prefetch");
		assertThat(prefetch.path("patient").asText()).isEqualTo("Patient/{{context.patientId}}");
		List<String> keys = new ArrayList<>();
		prefetch.fieldNames().forEachRemaining(keys::add);
		assertThat(keys).containsExactlyInAnyOrder("patient", "observation", "condition", "medicationAdministration");
		assertThat(prefetchCodes(prefetch, "observation", "Observation")).containsExactlyInAnyOrder(
				"http://loinc.org|8478-0", "http://loinc.org|8480-6", "http://loinc.org|8462-4",
				"http://loinc.org|85354-9", "http://loinc.org|2518-9", "http://loinc.org|2519-7",
				"http://loinc.org|2524-7", "http://loinc.org|32693-4", "http://loinc.org|14118-4",
				"http://loinc.org|59032-3");
		assertThat(prefetchCodes(prefetch, "condition", "Condition")).containsExactlyInAnyOrder(
				"http://snomed.info/sct|91302008", "http://snomed.info/sct|76571007", "http://snomed.info/sct|38341003",
				"http://example.org/cds/CodeSystem/local|chronic-hypertension");
		String rxnorm = "http://www.nlm.nih.gov/research/umls/rxnorm|";
		String local = "http://example.org/cds/CodeSystem/local|";
		assertThat(prefetchCodes(prefetch, "medicationAdministration", "MedicationAdministration"))
			.containsExactlyInAnyOrder(rxnorm + "7512", rxnorm + "11149", rxnorm + "3992", rxnorm + "3628",
					rxnorm + "8163", local + "norepinephrine", local + "vasopressin", local + "epinephrine",
					local + "dopamine", local + "phenylephrine");
	}

	@Test
	void discoveryFollowsAPlanDefinitionChangedOverFhir() throws InterruptedException {
		String plan = http.get("/fhir/PlanDefinition/sepsis-perfusion").body();
		String title = "Septic shock perfusion targets (TARTARE-2S)";
		try {
			assertThat(http.put("/fhir/PlanDefinition/sepsis-perfusion", plan.replace(title, title + " — revised"))
				.status()).isEqualTo(200);
			assertThat(awaitTitle(title + " — revised")).isTrue();
		}
		finally {
			http.put("/fhir/PlanDefinition/sepsis-perfusion", plan);
			assertThat(awaitTitle(title)).isTrue();
		}
	}

	private boolean awaitTitle(String title) throws InterruptedException {
		for (int i = 0; i < 100; i++) {
			if (http.get("/cds-services").json().findValuesAsText("title").contains(title)) {
				return true;
			}
			Thread.sleep(100);
		}
		return false;
	}

	@Test
	void servicesWhoseLibraryIsNotLoadedAreNotOffered() throws InterruptedException {
		String plan = http.get("/fhir/PlanDefinition/sepsis-perfusion").body();
		String title = "Septic shock perfusion targets (TARTARE-2S)";
		ObjectNode unwritten = (ObjectNode) http.get("/fhir/PlanDefinition/sepsis-perfusion").json();
		unwritten.remove("meta");
		unwritten.put("id", "proto-unwritten")
			.put("url", "http://example.org/cds/PlanDefinition/proto-unwritten")
			.put("title", "A service whose CQL is not written");
		unwritten.putArray("library").add("http://example.org/cds/Library/ProtoUnwritten");
		try {
			assertThat(http.put("/fhir/PlanDefinition/proto-unwritten", unwritten.toString()).status()).isEqualTo(201);
			// a later change that is offered shows that the knowledge was rebuilt since
			http.put("/fhir/PlanDefinition/sepsis-perfusion", plan.replace(title, title + " — rebuilt"));
			assertThat(awaitTitle(title + " — rebuilt")).isTrue();
			assertThat(http.get("/cds-services").json().findValuesAsText("id")).doesNotContain("proto-unwritten");
			assertError(http.post("/cds-services/proto-unwritten", patientView("x"), json()), 404, "UNKNOWN_SERVICE");
		}
		finally {
			http.delete("/fhir/PlanDefinition/proto-unwritten");
			http.put("/fhir/PlanDefinition/sepsis-perfusion", plan);
			assertThat(awaitTitle(title)).isTrue();
		}
	}

	@Test
	void malformedJsonIs400() {
		assertError(http.post(SERVICE, "{\"hook\": \"patient-view\", ", json()), 400, "MALFORMED_JSON");
		assertError(http.post(SERVICE, "", json()), 400, "MALFORMED_JSON");
		assertError(http.post(SERVICE, "[1,2]", json()), 400, "MALFORMED_JSON");
	}

	@Test
	void missingHookHookInstanceContextOrPatientIdIs400() {
		assertError(http.post(SERVICE,
				"{\"hookInstance\":\"0e2c9a3e-8a4f-4b7e-9a51-3f1d2c4b5a6e\",\"context\":{\"patientId\":\"p\"}}",
				json()), 400, "MISSING_HOOK");
		assertError(http.post(SERVICE, "{\"hook\":\"patient-view\",\"context\":{\"patientId\":\"p\"}}", json()), 400,
				"MISSING_HOOK_INSTANCE");
		assertError(http.post(SERVICE,
				"{\"hook\":\"patient-view\",\"hookInstance\":\"0e2c9a3e-8a4f-4b7e-9a51-3f1d2c4b5a6e\"}", json()), 400,
				"MISSING_CONTEXT");
		assertError(http.post(SERVICE,
				"{\"hook\":\"patient-view\",\"hookInstance\":\"0e2c9a3e-8a4f-4b7e-9a51-3f1d2c4b5a6e\",\"context\":{}}",
				json()), 400, "MISSING_PATIENT_ID");
	}

	@Test
	void aHookTheServiceDoesNotAnswerIs400() {
		String orderSign = "{\"hook\":\"order-sign\",\"hookInstance\":\"0e2c9a3e-8a4f-4b7e-9a51-3f1d2c4b5a6e\",\"context\":{\"patientId\":\"p\","
				+ "\"draftOrders\":{\"resourceType\":\"Bundle\",\"type\":\"collection\"}}}";
		assertError(http.post(SERVICE, orderSign, json()), 400, "UNSUPPORTED_HOOK");
	}

	@Test
	void anUnknownServiceIs404() {
		assertError(http.post("/cds-services/no-such-service", patientView("p"), json()), 404, "UNKNOWN_SERVICE");
	}

	@Test
	void fhirAuthorizationWithoutFhirServerOrAPrefetchThatIsNotFhirIs400() {
		assertError(http.post(SERVICE, patientView("p", "\"fhirAuthorization\":{\"access_token\":\"t\"}"), json()), 400,
				"INVALID_FHIR_AUTHORIZATION");
		assertError(http.post(SERVICE, patientView("p", "\"prefetch\":{\"observation\":42}"), json()), 400,
				"INVALID_PREFETCH");
		assertError(http.post(SERVICE, patientView("p", "\"prefetch\":{\"observation\":{\"resourceType\":\"Nope\"}}"),
				json()), 400, "INVALID_PREFETCH");
	}

	@Test
	void prefetchNullMeansTheClientHasNoSuchDataEvenWhenTheStoreHasSome() {
		store("proto-null", "71");
		String allNull = "\"prefetch\":{\"patient\":null,\"condition\":null,\"observation\":null,"
				+ "\"medicationAdministration\":null}";
		assertThat(cards(http.post(SERVICE, patientView("proto-null", allNull), json()))).isEmpty();
	}

	@Test
	void missingPrefetchKeysAreReadFromTheOwnStore() {
		store("proto-partial", "58");
		String partial = "\"prefetch\":{\"patient\":" + patient("proto-partial") + ",\"condition\":"
				+ searchset(septicShock("proto-partial-shock", "proto-partial")) + "}";
		assertThat(ruleIds(http.post(SERVICE, patientView("proto-partial", partial), json())))
			.contains("SEPTIC-SHOCK-MAP-BELOW-TARGET");
	}

	@Test
	void aLactateStoredJustBeforeTheCallCounts() {
		store("proto-fresh", "70");
		assertThat(ruleIds(http.post(SERVICE, patientView("proto-fresh"), json())))
			.containsExactly("SEPSIS-LACTATE-NOT-AVAILABLE");
		assertThat(http
			.put("/fhir/Observation/proto-fresh-lac",
					lactate("proto-fresh-lac", "proto-fresh", "4.4", Duration.ofMinutes(1)))
			.status()).isEqualTo(201);
		assertThat(ruleIds(http.post(SERVICE, patientView("proto-fresh"), json())))
			.containsExactly("SEPTIC-SHOCK-TARTARE2S-EVIDENCE");
	}

	@Test
	void missingKeysAreFetchedFromFhirServerWithTheTokenFollowingPaging(CapturedOutput output) {
		try (StubFhirServer ehr = new StubFhirServer()) {
			String pageTwo = ehr.base() + "/page2";
			ehr.answer("Patient", Answer.json(patient("ehr-p")))
				.answer("Condition", Answer.json(searchset(septicShock("ehr-shock", "ehr-p"))))
				.answer("MedicationAdministration", Answer.json(searchset(norepinephrineRunning("ehr-vp", "ehr-p"))))
				.answer("Observation", Answer.json(searchset(lactate("ehr-lac", "ehr-p", "5.5", Duration.ofHours(1)))
					.replace("\"entry\"", "\"link\":[{\"relation\":\"next\",\"url\":\"" + pageTwo + "\"}],\"entry\"")))
				.answer("page2", Answer.json(searchset(map("ehr-map", "ehr-p", "47", Duration.ofMinutes(5)))));
			String call = patientView("ehr-p", "\"fhirServer\":\"" + ehr.base() + "\"",
					"\"fhirAuthorization\":{\"access_token\":\"secret-token-123\",\"token_type\":\"Bearer\","
							+ "\"expires_in\":300,\"scope\":\"patient/*.read\",\"subject\":\"cds\"}");
			assertThat(ruleIds(http.post(SERVICE, call, json()))).containsExactlyInAnyOrder(
					"SEPTIC-SHOCK-MAP-BELOW-PERMISSIVE-FLOOR", "SEPTIC-SHOCK-TARTARE2S-EVIDENCE");
			assertThat(ehr.authorizations()).hasSize(5).allMatch(a -> a.equals("Bearer secret-token-123"));
			assertThat(ehr.paths()).anyMatch(p -> p.startsWith("/fhir/Observation?patient=ehr-p&code=")
					&& p.contains("http://loinc.org%7C8478-0"));
		}
		assertThat(output.getAll()).doesNotContain("secret-token-123").doesNotContain("ehr-p");
	}

	@Test
	void anUnreachableOrFailingFhirServerIs412WithinTheTimeout() {
		long started = System.nanoTime();
		String unreachable = patientView("p", "\"fhirServer\":\"http://127.0.0.1:9/fhir\"");
		assertError(http.post(SERVICE, unreachable, json()), 412, "DATA_UNAVAILABLE");
		try (StubFhirServer ehr = new StubFhirServer()) {
			ehr.answer("Patient", new Answer(200, patient("p"), Duration.ofSeconds(10)))
				.answer("Condition", Answer.status(401))
				.answer("Observation", Answer.status(500));
			assertError(http.post(SERVICE, patientView("p", "\"fhirServer\":\"" + ehr.base() + "\""), json()), 412,
					"DATA_UNAVAILABLE");
		}
		// the test server's fhirServer timeout is 2 s
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(6));
	}

	@Test
	void cardsAreInJapaneseWhenAcceptLanguagePrefersJa() {
		store("proto-ja", "58");
		Map<String, String> japanese = Map.of("Content-Type", "application/json", "Accept-Language", "ja,en;q=0.5");
		JsonNode card = cards(http.post(SERVICE, patientView("proto-ja"), japanese)).get(0);
		assertThat(card.path("summary").asText())
			.isEqualTo("MAP 58 mmHgは通常の目標（≥65 mmHg）を下回っています（敗血症）。組織灌流と昇圧薬の計画を見直してください。");
		assertThat(card.path("overrideReasons").get(0).path("display").asText()).matches(".*\\p{IsHan}.*");
		JsonNode english = cards(http.post(SERVICE, patientView("proto-ja"), json())).get(0);
		assertThat(english.path("summary").asText()).isEqualTo(
				"MAP 58 mmHg is below the usual ≥65 mmHg target (sepsis). Review perfusion and vasopressor plan.");
	}

	@Test
	void aCardNamesItsRuleAndItsSourceResolvesToTheEvidence() {
		store("proto-card", "58");
		JsonNode card = cards(http.post(SERVICE, patientView("proto-card"), json())).get(0);
		assertThat(card.path("uuid").asText()).matches("[0-9a-f-]{36}");
		assertThat(card.path("indicator").asText()).isEqualTo("warning");
		assertThat(card.path("source").path("label").asText()).isEqualTo("TARTARE-2S (Pettilä 2025)");
		assertThat(card.path("source").path("topic").path("system").asText())
			.isEqualTo("http://example.org/cds/CodeSystem/rule-id");
		assertThat(card.path("source").path("topic").path("code").asText()).isEqualTo("SEPTIC-SHOCK-MAP-BELOW-TARGET");
		String url = card.path("source").path("url").asText();
		assertThat(url).isEqualTo(http.base() + "/fhir/Evidence/tartare-2s");
		assertThat(http.get(url.substring(http.base().length())).json().path("resourceType").asText())
			.isEqualTo("Evidence");
		assertThat(card.path("detail").asText()).contains("95% CI −3 to 4").contains("MAP 58 mmHg (measured)");
		assertThat(card.path("links").get(0).path("type").asText()).isEqualTo("absolute");
		assertThat(card.path("overrideReasons").findValuesAsText("code")).containsExactlyInAnyOrder(
				"individualized-target-documented", "already-addressed", "data-not-current", "not-applicable",
				"specialist-consulted");
	}

	@Test
	void feedbackIsStoredAsAnAuditEventFindableByServiceRuleAndOutcome() {
		store("proto-feedback", "58");
		JsonNode card = cards(http.post(SERVICE, patientView("proto-feedback"), json())).get(0);
		String feedback = """
				{"feedback":[{"card":"%s","outcome":"overridden","outcomeTimestamp":"2026-11-21T10:00:00Z",
				 "overrideReason":{"reason":{"system":"http://example.org/cds/CodeSystem/override-reason",
				 "code":"individualized-target-documented"},"userComment":"chronic MAP target 60"}}]}"""
			.formatted(card.path("uuid").asText());
		Http.Response stored = http.post(SERVICE + "/feedback", feedback, json());
		assertThat(stored.status()).isEqualTo(200);
		JsonNode found = http
			.get("/fhir/AuditEvent?entity=PlanDefinition/sepsis-perfusion"
					+ "&subtype=http://example.org/cds/CodeSystem/rule-id%7CSEPTIC-SHOCK-MAP-BELOW-TARGET"
					+ "&subtype=http://example.org/cds/CodeSystem/cds-feedback-outcome%7Coverridden")
			.json();
		List<String> cardsFound = found.findValuesAsText("value");
		assertThat(cardsFound).contains("urn:uuid:" + card.path("uuid").asText());
	}

	@Test
	void invalidFeedbackIs400AndStoresNothing() {
		int before = http.get("/fhir/AuditEvent?_summary=count").json().path("total").asInt();
		String mixed = """
				{"feedback":[{"card":"a","outcome":"accepted","outcomeTimestamp":"2026-11-21T10:00:00Z"},
				 {"card":"b","outcome":"ignored","outcomeTimestamp":"2026-11-21T10:00:00Z"}]}""";
		assertError(http.post(SERVICE + "/feedback", mixed, json()), 400, "INVALID_FEEDBACK");
		assertError(http.post(SERVICE + "/feedback", "{\"feedback\":[]}", json()), 400, "INVALID_FEEDBACK");
		assertThat(http.get("/fhir/AuditEvent?_summary=count").json().path("total").asInt()).isEqualTo(before);
	}

	private void store(String patient, String mapMmHg) {
		Http.Response response = http.post("/fhir",
				transaction(patient(patient), septicShock(patient + "-shock", patient),
						norepinephrineRunning(patient + "-vp", patient),
						map(patient + "-map", patient, mapMmHg, Duration.ofMinutes(10))),
				Map.of("Content-Type", "application/fhir+json"));
		assertThat(response.status()).isEqualTo(200);
	}

	private static void assertError(Http.Response response, int status, String code) {
		assertThat(response.status()).as(response.body()).isEqualTo(status);
		assertThat(response.json().path("error").asText()).isEqualTo(code);
		assertThat(response.json().path("message").asText()).isNotBlank()
			.doesNotContain("Exception")
			.doesNotContain("\tat ");
	}

	/**
	 * The system|code tokens of a prefetch template that searches the type by patient and
	 * code.
	 */
	private static List<String> prefetchCodes(JsonNode prefetch, String key, String type) {
		String template = prefetch.path(key).asText();
		String search = type + "?patient={{context.patientId}}&code=";
		assertThat(template).as(key).startsWith(search);
		return List.of(template.substring(search.length()).split(","));
	}

	private static List<JsonNode> cards(Http.Response response) {
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		List<JsonNode> cards = new ArrayList<>();
		response.json().path("cards").forEach(cards::add);
		return cards;
	}

	private static List<String> ruleIds(Http.Response response) {
		return cards(response).stream().map(c -> c.path("source").path("topic").path("code").asText()).toList();
	}

	private static Map<String, String> json() {
		return Map.of("Content-Type", "application/json");
	}

}
