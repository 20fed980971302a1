package org.critcare.cds.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.critcare.cds.support.Fhir;
import org.critcare.cds.support.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The SMART app with security on (issues 12 and 13): its files and settings load without
 * a token (the SMART launch gets one), its rule-fire counts need a SMART access token as
 * {@code /fhir} does, a patient's cards a token that may read that patient's record, and
 * the cards' smart links are plain SMART launch URLs (the authorization server gives the
 * app the patient and the appContext).
 */
class SecuredAppIT extends SecuredServer {

	static final String PATIENT = "sec-app-shock";

	static final String OTHER_PATIENT = "sec-app-other";

	static final String MAP_RULE = "SEPTIC-SHOCK-MAP-BELOW-TARGET";

	static final String EVIDENCE_RULE = "SEPTIC-SHOCK-TARTARE2S-EVIDENCE";

	@LocalServerPort
	int port;

	Http http;

	@BeforeEach
	void client() {
		http = new Http(port);
		storePatientWithSepticShockAndMap58();
	}

	@Test
	void theAppAndItsSettingsLoadWithoutAToken() {
		assertThat(http.get("/app/").status()).isEqualTo(200);
		assertThat(http.get("/app/launch.html").status()).isEqualTo(200);
		assertThat(http.get("/app/api/config").status()).isEqualTo(200);
	}

	@Test
	void theSmartConfigurationIsAlsoUnderTheFhirBaseWhereTheAppsLaunchLooksForIt() {
		Http.Response smart = http.get("/fhir/.well-known/smart-configuration");
		assertThat(smart.status()).isEqualTo(200);
		assertThat(smart.header("Content-Type")).startsWith("application/json");
		assertThat(smart.json().path("authorization_endpoint").asText()).isEqualTo("https://auth.test/authorize");
		assertThat(smart.json().path("token_endpoint").asText()).isEqualTo("https://auth.test/token");
		assertThat(smart.json().path("code_challenge_methods_supported").get(0).asText()).isEqualTo("S256");
	}

	@Test
	void ruleFiresNeedAValidSmartAccessToken() {
		String today = LocalDate.now().toString();
		String path = "/app/api/rule-fires?from=" + today + "&to=" + today;
		assertThat(get(http, path, null).status()).isEqualTo(401);
		assertThat(get(http, path, "not-a-jwt").status()).isEqualTo(401);
		assertThat(get(http, path, accessToken("user/AuditEvent.rs", null)).status()).isEqualTo(200);
	}

	@Test
	void aPatientsCardsNeedATokenThatMayReadThatPatientsRecord() {
		String path = "/app/api/patients/" + PATIENT + "/cards";
		assertThat(get(http, path, null).status()).isEqualTo(401);
		assertThat(get(http, path, "not-a-jwt").status()).isEqualTo(401);
		assertThat(get(http, path, accessToken("patient/*.rs", OTHER_PATIENT)).status()).isEqualTo(403);
		assertThat(get(http, path, accessToken("patient/*.rs", null)).status()).isEqualTo(403);
		assertThat(get(http, path, accessToken("patient/Observation.rs", PATIENT)).status()).isEqualTo(403);
		assertThat(get(http, path, accessToken("user/AuditEvent.rs", null)).status()).isEqualTo(403);
		assertThat(get(http, path, accessToken("patient/*.cud", PATIENT)).status()).isEqualTo(403);
	}

	@Test
	void aTokenForThePatientGetsThePatientViewCardsFromTheStore() {
		for (String token : List.of(accessToken("patient/*.rs", PATIENT), accessToken("patient/*.read", PATIENT),
				accessToken("user/*.rs", null))) {
			Http.Response answer = get(http, "/app/api/patients/" + PATIENT + "/cards", token);
			assertThat(answer.status()).isEqualTo(200);
			assertThat(ruleIds(answer.json())).containsExactly(MAP_RULE, EVIDENCE_RULE);
		}
	}

	@Test
	void withSecurityOnTheCardsSmartLinkIsThePlainLaunchUrl() {
		String url = http.base() + "/cds-services/sepsis-perfusion";
		Http.Response answer = http.post("/cds-services/sepsis-perfusion", Fhir.patientView(PATIENT),
				hookHeaders(hookToken(url)));
		assertThat(answer.status()).isEqualTo(200);
		assertThat(ruleIds(answer.json())).containsExactly(MAP_RULE, EVIDENCE_RULE);
		for (JsonNode card : answer.json().path("cards")) {
			List<JsonNode> smart = new ArrayList<>();
			card.path("links").forEach(link -> {
				if (link.path("type").asText().equals("smart")) {
					smart.add(link);
				}
			});
			assertThat(smart).hasSize(1);
			assertThat(smart.get(0).path("url").asText()).isEqualTo("http://localhost:" + port + "/app/launch.html");
			JsonNode context = Http.json(smart.get(0).path("appContext").asText());
			assertThat(context.path("patient").asText()).isEqualTo(PATIENT);
			assertThat(context.path("rule").asText())
				.isEqualTo(card.path("source").path("topic").path("code").asText());
		}
	}

	private void storePatientWithSepticShockAndMap58() {
		String bundle = Fhir.transaction(Fhir.patient(PATIENT), Fhir.septicShock(PATIENT + "-shock", PATIENT),
				Fhir.norepinephrineRunning(PATIENT + "-ne", PATIENT),
				Fhir.map(PATIENT + "-map", PATIENT, "58", Duration.ofMinutes(10)),
				Fhir.lactate(PATIENT + "-lac", PATIENT, "4.2", Duration.ofMinutes(10)));
		assertThat(http.send("POST", "/fhir", bundle, bearer(accessToken("system/*.cruds", null))).status())
			.isEqualTo(200);
	}

	private static List<String> ruleIds(JsonNode response) {
		List<String> ids = new ArrayList<>();
		response.path("cards").forEach(card -> ids.add(card.path("source").path("topic").path("code").asText()));
		return ids;
	}

}
