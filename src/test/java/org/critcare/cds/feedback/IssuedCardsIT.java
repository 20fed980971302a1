package org.critcare.cds.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.critcare.cds.support.Fhir.map;
import static org.critcare.cds.support.Fhir.norepinephrineRunning;
import static org.critcare.cds.support.Fhir.patient;
import static org.critcare.cds.support.Fhir.patientView;
import static org.critcare.cds.support.Fhir.septicShock;
import static org.critcare.cds.support.Fhir.transaction;
import static org.critcare.cds.support.StoredFeedback.overridden;
import static org.critcare.cds.support.StoredFeedback.rulesOf;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.critcare.cds.support.CdsServerTest;
import org.critcare.cds.support.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Issued cards are shared through the database (issue 14): a card this node issues is
 * written to {@code cds_issued_cards} off the request thread, and feedback on a card
 * another node wrote there (a row this node never had in memory) keeps its rule.
 * PostgreSQL only (profile {@code postgres-it}): on the embedded H2 database, which one
 * process owns, cards are remembered in memory only.
 */
@CdsServerTest
class IssuedCardsIT {

	static final String SERVICE = "/cds-services/sepsis-perfusion";

	@LocalServerPort
	int port;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	IssuedCards issuedCards;

	Http http;

	@BeforeEach
	void client() {
		http = new Http(port);
	}

	@Test
	void theCardsOfASepticPatientWithMap58AreWrittenToTheTableWithTheirRules() {
		JsonNode cards = cards("issued-table");
		issuedCards.flush();
		List<String> written = new ArrayList<>();
		for (JsonNode card : cards) {
			written.addAll(jdbc.queryForList(
					"SELECT rule_id FROM cds_issued_cards WHERE card_uuid = ? " + "AND service_id = 'sepsis-perfusion'",
					String.class, card.path("uuid").asText()));
		}
		assertThat(written).containsExactlyInAnyOrder("SEPTIC-SHOCK-MAP-BELOW-TARGET", "SEPSIS-LACTATE-NOT-AVAILABLE");
	}

	@Test
	void anOverrideOfACardAnotherNodeIssuedIsStoredWithItsRuleAndReasonsChecked() {
		String card = UUID.randomUUID().toString();
		jdbc.update(
				"INSERT INTO cds_issued_cards (card_uuid, service_id, rule_id, suggestion_ids, issued_at) "
						+ "VALUES (?, 'sepsis-perfusion', 'SEPTIC-SHOCK-MAP-BELOW-TARGET', '', ?)",
				card, System.currentTimeMillis());
		assertThat(http.post(SERVICE + "/feedback", overridden(card, "data-not-current"), json()).status())
			.isEqualTo(200);
		assertThat(rulesOf(http, card)).containsExactly("SEPTIC-SHOCK-MAP-BELOW-TARGET");
	}

	@Test
	void anOverrideOfAnInfoCardAnotherNodeIssuedWithAReasonIs400() {
		String card = UUID.randomUUID().toString();
		jdbc.update(
				"INSERT INTO cds_issued_cards (card_uuid, service_id, rule_id, suggestion_ids, issued_at) "
						+ "VALUES (?, 'sepsis-perfusion', 'SEPSIS-LACTATE-NOT-AVAILABLE', '', ?)",
				card, System.currentTimeMillis());
		Http.Response refused = http.post(SERVICE + "/feedback", overridden(card, "data-not-current"), json());
		assertThat(refused.status()).isEqualTo(400);
		assertThat(refused.json().path("error").asText()).isEqualTo("INVALID_FEEDBACK");
		assertThat(rulesOf(http, card)).isEmpty();
	}

	@Test
	void aCardOlderThanTheRetentionIsNoLongerRemembered() {
		String card = UUID.randomUUID().toString();
		jdbc.update(
				"INSERT INTO cds_issued_cards (card_uuid, service_id, rule_id, suggestion_ids, issued_at) "
						+ "VALUES (?, 'sepsis-perfusion', 'SEPTIC-SHOCK-MAP-BELOW-TARGET', '', ?)",
				card, System.currentTimeMillis() - Duration.ofDays(8).toMillis());
		assertThat(http.post(SERVICE + "/feedback", overridden(card, "data-not-current"), json()).status())
			.isEqualTo(200);
		assertThat(rulesOf(http, card)).containsExactly("(none)");
	}

	private JsonNode cards(String patient) {
		assertThat(http
			.post("/fhir",
					transaction(patient(patient), septicShock(patient + "-shock", patient),
							norepinephrineRunning(patient + "-vp", patient),
							map(patient + "-map", patient, "58", Duration.ofMinutes(10))),
					Map.of("Content-Type", "application/fhir+json"))
			.status()).isEqualTo(200);
		Http.Response response = http.post(SERVICE, patientView(patient), json());
		assertThat(response.status()).isEqualTo(200);
		return response.json().path("cards");
	}

	private static Map<String, String> json() {
		return Map.of("Content-Type", "application/json");
	}

}
