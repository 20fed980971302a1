package org.critcare.cds.patientdata;

import static org.assertj.core.api.Assertions.assertThat;
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

}
