package org.critcare.cds.patientdata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.critcare.cds.support.Fhir.lactate;
import static org.critcare.cds.support.Fhir.map;
import static org.critcare.cds.support.Fhir.norepinephrineRunning;
import static org.critcare.cds.support.Fhir.patient;
import static org.critcare.cds.support.Fhir.patientView;
import static org.critcare.cds.support.Fhir.septicShock;
import static org.critcare.cds.support.Fhir.transaction;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.critcare.cds.support.CdsServerTest;
import org.critcare.cds.support.Http;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A call without prefetch or {@code fhirServer} reads the whole record from the server's
 * own store, however many resources a search finds up to
 * {@code cds.patient-data.max-store-resources}: found by the soak benchmark (issue 14),
 * where a patient with more MAP values than HAPI's largest page (500) made every call
 * fail with 500.
 */
@CdsServerTest
class OwnStoreReadsIT {

	@LocalServerPort
	int port;

	@Test
	void aBusyIcuRecordWithSixHundredMapValuesIsReadWholeAndTheLatestMapDecides() {
		Http http = new Http(port);
		String patient = "busy-icu";
		List<String> resources = new ArrayList<>(List.of(patient(patient), septicShock(patient + "-shock", patient),
				norepinephrineRunning(patient + "-vp", patient)));
		// a MAP every 5 minutes for 50 hours, all at target but the latest
		for (int i = 0; i < 600; i++) {
			String mmHg = i == 0 ? "58" : "72";
			resources.add(map(patient + "-map-" + i, patient, mmHg, Duration.ofMinutes(2 + 5L * i)));
		}
		// two transactions: a Bundle holds at most 500 entries
		// (cds.limits.max-bundle-entries)
		for (List<String> part : List.of(resources.subList(0, 300), resources.subList(300, resources.size()))) {
			Http.Response stored = http.post("/fhir", transaction(part.toArray(String[]::new)),
					Map.of("Content-Type", "application/fhir+json"));
			assertThat(stored.status()).as(stored.body()).isEqualTo(200);
		}

		Http.Response answer = http.post("/cds-services/sepsis-perfusion", patientView(patient),
				Map.of("Content-Type", "application/json"));

		assertThat(answer.status()).as(answer.body()).isEqualTo(200);
		Map<String, String> summaries = new LinkedHashMap<>();
		for (JsonNode card : answer.json().path("cards")) {
			summaries.put(card.path("source").path("topic").path("code").asText(), card.path("summary").asText());
		}
		// shock documented, vasopressor running, no lactate: the latest MAP (58) decides
		assertThat(summaries).containsOnlyKeys("SEPTIC-SHOCK-MAP-BELOW-TARGET", "SEPSIS-LACTATE-NOT-AVAILABLE");
		assertThat(summaries.get("SEPTIC-SHOCK-MAP-BELOW-TARGET")).startsWith("MAP 58 mmHg is below");
	}

	@Test
	void aPatientWhoseIdAnotherResourceTypeAlsoHasIsReadAsThePatient() {
		// FHIR ids are unique per resource type only, and the prefetch templates name the
		// patient by id alone (patient={{context.patientId}}): the store reads the
		// Patient's records, not the Practitioner's of the same id
		Http http = new Http(port);
		String id = "shared-id";
		String practitioner = """
				{"resourceType":"Practitioner","id":"%s","name":[{"family":"Tanaka"}]}""".formatted(id);
		Http.Response stored = http.post("/fhir",
				transaction(patient(id), practitioner, septicShock(id + "-shock", id),
						norepinephrineRunning(id + "-vp", id), map(id + "-map", id, "58", Duration.ofMinutes(10))),
				Map.of("Content-Type", "application/fhir+json"));
		assertThat(stored.status()).as(stored.body()).isEqualTo(200);

		Http.Response answer = http.post("/cds-services/sepsis-perfusion", patientView(id),
				Map.of("Content-Type", "application/json"));

		assertThat(answer.status()).as(answer.body()).isEqualTo(200);
		List<String> rules = new ArrayList<>();
		answer.json().path("cards").forEach(card -> rules.add(card.path("source").path("topic").path("code").asText()));
		assertThat(rules).containsExactlyInAnyOrder("SEPTIC-SHOCK-MAP-BELOW-TARGET", "SEPSIS-LACTATE-NOT-AVAILABLE");
	}

	@Test
	void aPatientTheStoreDoesNotHaveGetsNoCards() {
		// found when the reads were tried in one transaction: the Patient read that finds
		// nothing marked it for rollback, and the call failed with 500
		Http.Response answer = new Http(port).post("/cds-services/sepsis-perfusion", patientView("not-stored"),
				Map.of("Content-Type", "application/json"));

		assertThat(answer.status()).as(answer.body()).isEqualTo(200);
		assertThat(answer.json().path("cards").size()).isZero();
	}

	@Test
	void aRememberedRecordIsReadAgainAfterEachCreateUpdateAndDelete() {
		// the record is remembered between calls (StoredRecordCache) and must never be
		// answered from after it changed
		Http http = new Http(port);
		String id = "remembered";
		Http.Response stored = http.post("/fhir",
				transaction(patient(id), septicShock(id + "-shock", id), norepinephrineRunning(id + "-vp", id),
						map(id + "-map", id, "58", Duration.ofMinutes(10))),
				Map.of("Content-Type", "application/fhir+json"));
		assertThat(stored.status()).as(stored.body()).isEqualTo(200);
		assertThat(rules(http, id)).containsExactly("SEPSIS-LACTATE-NOT-AVAILABLE", "SEPTIC-SHOCK-MAP-BELOW-TARGET");

		double hits = remembered(http, "hit");
		assertThat(rules(http, id)).containsExactly("SEPSIS-LACTATE-NOT-AVAILABLE", "SEPTIC-SHOCK-MAP-BELOW-TARGET");
		assertThat(remembered(http, "hit") - hits).as("an unchanged record is answered from memory").isEqualTo(1);

		// update: the MAP is now at target
		assertThat(http.put("/fhir/Observation/" + id + "-map", map(id + "-map", id, "72", Duration.ofMinutes(5)))
			.status()).isEqualTo(200);
		assertThat(rules(http, id)).containsExactly("SEPSIS-LACTATE-NOT-AVAILABLE");

		// create: a normal lactate
		assertThat(http
			.put("/fhir/Observation/" + id + "-lactate", lactate(id + "-lactate", id, "1.2", Duration.ofMinutes(20)))
			.status()).isEqualTo(201);
		assertThat(rules(http, id)).isEmpty();

		// delete: no lactate again
		assertThat(http.delete("/fhir/Observation/" + id + "-lactate").status()).isEqualTo(200);
		assertThat(rules(http, id)).containsExactly("SEPSIS-LACTATE-NOT-AVAILABLE");

		// a newer MAP of 50 moved from another patient's record into this one, and back
		String other = "other-" + id;
		assertThat(http.put("/fhir/Patient/" + other, patient(other)).status()).isEqualTo(201);
		assertThat(
				http.put("/fhir/Observation/" + id + "-map-2", map(id + "-map-2", other, "50", Duration.ofMinutes(1)))
					.status())
			.isEqualTo(201);
		assertThat(rules(http, id)).containsExactly("SEPSIS-LACTATE-NOT-AVAILABLE");
		assertThat(http.put("/fhir/Observation/" + id + "-map-2", map(id + "-map-2", id, "50", Duration.ofMinutes(1)))
			.status()).isEqualTo(200);
		assertThat(rules(http, id)).containsExactly("SEPSIS-LACTATE-NOT-AVAILABLE", "SEPTIC-SHOCK-MAP-BELOW-TARGET");
		assertThat(
				http.put("/fhir/Observation/" + id + "-map-2", map(id + "-map-2", other, "50", Duration.ofMinutes(1)))
					.status())
			.isEqualTo(200);
		assertThat(rules(http, id)).containsExactly("SEPSIS-LACTATE-NOT-AVAILABLE");
	}

	/** The rule ids of the patient's cards, sorted. */
	private static List<String> rules(Http http, String patient) {
		Http.Response answer = http.post("/cds-services/sepsis-perfusion", patientView(patient),
				Map.of("Content-Type", "application/json"));
		assertThat(answer.status()).as(answer.body()).isEqualTo(200);
		List<String> rules = new ArrayList<>();
		answer.json().path("cards").forEach(card -> rules.add(card.path("source").path("topic").path("code").asText()));
		return rules.stream().sorted().toList();
	}

	/** How many own-store reads were answered from memory ("hit") or not ("miss"). */
	private static double remembered(Http http, String result) {
		Http.Response scrape = http.send("GET", "/actuator/prometheus", null, Map.of("Accept", "text/plain"));
		assertThat(scrape.status()).isEqualTo(200);
		Matcher sample = Pattern
			.compile("(?m)^cache_gets_total\\{cache=\"cds.patient.store\",result=\"" + result + "\"} (\\S+)$")
			.matcher(scrape.body());
		assertThat(sample.find()).as("cache_gets_total of cds.patient.store").isTrue();
		return Double.parseDouble(sample.group(1));
	}

}
