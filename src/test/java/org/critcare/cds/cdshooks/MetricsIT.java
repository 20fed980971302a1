package org.critcare.cds.cdshooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.critcare.cds.support.Fhir.map;
import static org.critcare.cds.support.Fhir.norepinephrineRunning;
import static org.critcare.cds.support.Fhir.patient;
import static org.critcare.cds.support.Fhir.patientView;
import static org.critcare.cds.support.Fhir.searchset;
import static org.critcare.cds.support.Fhir.septicShock;
import static org.critcare.cds.support.Fhir.transaction;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.critcare.cds.support.CdsServerTest;
import org.critcare.cds.support.Http;
import org.critcare.cds.support.StubFhirServer;
import org.critcare.cds.support.StubFhirServer.Answer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The metrics an operator scrapes from {@code /actuator/prometheus} (issue 14): hook
 * calls by service, hook, outcome and status with latency buckets, cards by rule,
 * feedback by outcome, reads of the client's fhirServer, the connection pool and the JVM.
 * Tests share one server, so each test compares a scrape before with one after its own
 * requests.
 */
@CdsServerTest
class MetricsIT {

	static final String SERVICE = "/cds-services/sepsis-perfusion";

	@LocalServerPort
	int port;

	Http http;

	@BeforeEach
	void client() {
		http = new Http(port);
	}

	@Test
	void twoCallsOfASepticPatientWithMap58CountTwoSuccessesAndTwoCardsPerRule() {
		store("metrics-cards");
		Map<String, Double> before = scrape();
		for (int i = 0; i < 2; i++) {
			assertThat(http.post(SERVICE, patientView("metrics-cards"), json()).status()).isEqualTo(200);
		}
		Map<String, Double> after = scrape();
		String success = "outcome=\"success\",service=\"sepsis-perfusion\",status=\"200\"}";
		assertThat(delta(before, after, "cds_hook_calls_seconds_count{hook=\"patient-view\"," + success)).isEqualTo(2);
		String bucket = "cds_hook_calls_seconds_bucket{hook=\"patient-view\",le=\"%s\"," + success;
		assertThat(delta(before, after, bucket.formatted("+Inf"))).isEqualTo(2);
		assertThat(after).containsKey(bucket.formatted("0.005")).containsKey(bucket.formatted("10.0"));
		assertThat(delta(before, after, "cds_hook_calls_seconds_sum{hook=\"patient-view\"," + success)).isPositive();
		assertThat(delta(before, after,
				"cds_cards_total{rule=\"SEPTIC-SHOCK-MAP-BELOW-TARGET\",service=\"sepsis-perfusion\"}"))
			.isEqualTo(2);
		assertThat(delta(before, after,
				"cds_cards_total{rule=\"SEPSIS-LACTATE-NOT-AVAILABLE\",service=\"sepsis-perfusion\"}"))
			.isEqualTo(2);
		assertThat(changed(before, after, "cds_cards_total")).hasSize(2);
		assertThat(changed(before, after, "cds_hook_calls_seconds_count")).hasSize(1);
	}

	@Test
	void failedCallsAreCountedByErrorCodeAndStatusWithUnknownForWhatTheKnowledgeDoesNotKnow() {
		Map<String, Double> before = scrape();
		CdsHooksHttpIT.assertError(http.post(SERVICE, "{\"hook\":", json()), CdsHooksError.MALFORMED_JSON);
		CdsHooksHttpIT.assertError(
				http.post("/cds-services/no-such-service-" + System.nanoTime(), patientView("metrics-x"), json()),
				CdsHooksError.UNKNOWN_SERVICE);
		CdsHooksHttpIT.assertError(
				http.post(SERVICE, patientView("metrics-x").replace("patient-view", "made-up-hook-1"), json()),
				CdsHooksError.UNSUPPORTED_HOOK);
		Map<String, Double> after = scrape();
		assertThat(delta(before, after,
				"cds_hook_calls_seconds_count{hook=\"unknown\",outcome=\"MALFORMED_JSON\",service=\"sepsis-perfusion\",status=\"400\"}"))
			.isEqualTo(1);
		assertThat(delta(before, after,
				"cds_hook_calls_seconds_count{hook=\"unknown\",outcome=\"UNKNOWN_SERVICE\",service=\"unknown\",status=\"404\"}"))
			.isEqualTo(1);
		assertThat(delta(before, after,
				"cds_hook_calls_seconds_count{hook=\"unknown\",outcome=\"UNSUPPORTED_HOOK\",service=\"sepsis-perfusion\",status=\"400\"}"))
			.isEqualTo(1);
		assertThat(changed(before, after, "cds_hook_calls_seconds_count")).hasSize(3);
		assertThat(after.keySet())
			.noneMatch(series -> series.contains("no-such-service") || series.contains("made-up"));
		assertThat(changed(before, after, "cds_cards_total")).isEmpty();
	}

	@Test
	void storedFeedbackIsCountedByRuleAndOutcomeAndRejectedFeedbackIsNot() {
		store("metrics-feedback");
		String card = null;
		for (var c : http.post(SERVICE, patientView("metrics-feedback"), json()).json().path("cards")) {
			if (c.path("source").path("topic").path("code").asText().equals("SEPTIC-SHOCK-MAP-BELOW-TARGET")) {
				card = c.path("uuid").asText();
			}
		}
		assertThat(card).as("uuid of the MAP-below-target card")
			.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
		Map<String, Double> before = scrape();
		assertThat(http.post(SERVICE + "/feedback", feedback(card, "overridden", ""), json()).status()).isEqualTo(200);
		assertThat(http
			.post(SERVICE + "/feedback",
					feedback("9b2d7c1e-3f4a-4e8b-8c6d-1a2b3c4d5e6f", "accepted",
							",\"acceptedSuggestions\":[{\"id\":\"s\"}]"),
					json())
			.status()).isEqualTo(200);
		assertThat(http
			.post(SERVICE + "/feedback", feedback("4f1f3c9e-8f7a-4c59-9a55-0c1c2b1e7d42", "overridden", ""), json())
			.status()).isEqualTo(200);
		assertThat(http.post(SERVICE + "/feedback", feedback(card, "maybe", ""), json()).status()).isEqualTo(400);
		Map<String, Double> after = scrape();
		String rule = "rule=\"SEPTIC-SHOCK-MAP-BELOW-TARGET\",service=\"sepsis-perfusion\"}";
		assertThat(delta(before, after, "cds_feedback_total{outcome=\"overridden\"," + rule)).isEqualTo(1);
		// the sepsis cards offer no suggestion, so an accepted entry names a card the
		// server no longer remembers
		assertThat(delta(before, after,
				"cds_feedback_total{outcome=\"accepted\",rule=\"unknown\",service=\"sepsis-perfusion\"}"))
			.isEqualTo(1);
		assertThat(delta(before, after,
				"cds_feedback_total{outcome=\"overridden\",rule=\"unknown\",service=\"sepsis-perfusion\"}"))
			.isEqualTo(1);
		assertThat(changed(before, after, "cds_feedback_total")).hasSize(3);
		assertThat(changed(before, after, "cds_hook_calls_seconds_count")).isEmpty();
	}

	@Test
	void readsOfTheClientsFhirServerAreTimedByOutcome() {
		try (StubFhirServer ehr = new StubFhirServer()) {
			ehr.answer("Patient", Answer.json(patient("metrics-ehr")))
				.answer("Condition", Answer.json(searchset(septicShock("metrics-ehr-shock", "metrics-ehr"))))
				.answer("MedicationAdministration",
						Answer.json(searchset(norepinephrineRunning("metrics-ehr-vp", "metrics-ehr"))))
				.answer("Observation",
						Answer.json(searchset(map("metrics-ehr-map", "metrics-ehr", "58", Duration.ofMinutes(5)))));
			Map<String, Double> before = scrape();
			String call = patientView("metrics-ehr", "\"fhirServer\":\"" + ehr.base() + "\"");
			assertThat(http.post(SERVICE, call, json()).status()).isEqualTo(200);
			Map<String, Double> after = scrape();
			assertThat(ehr.paths()).hasSize(4);
			assertThat(delta(before, after, "cds_remote_fhir_reads_seconds_count{outcome=\"ok\"}")).isEqualTo(4);
			assertThat(delta(before, after, "cds_remote_fhir_reads_seconds_bucket{le=\"+Inf\",outcome=\"ok\"}"))
				.isEqualTo(4);
			assertThat(changed(before, after, "cds_remote_fhir_reads_seconds_count")).hasSize(1);
		}
	}

	@Test
	void theConnectionPoolTheJvmAndHttpRequestsArePublished() {
		Http.Response response = prometheus();
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.header("Content-Type")).startsWith("text/plain");
		Map<String, Double> series = parse(response.body());
		assertThat(series.get("hikaricp_connections_max{pool=\"HikariPool-1\"}")).isEqualTo(10);
		assertThat(series).containsKey("hikaricp_connections_active{pool=\"HikariPool-1\"}")
			.containsKey("hikaricp_connections_pending{pool=\"HikariPool-1\"}")
			.containsKey("hikaricp_connections_timeout_total{pool=\"HikariPool-1\"}")
			.containsKey("jvm_memory_used_bytes{area=\"heap\",id=\"" + oldGeneration(series) + "\"}")
			.containsKey("jvm_threads_live_threads")
			.containsKey("process_cpu_usage");
		assertThat(series.keySet()).anyMatch(s -> s.startsWith("http_server_requests_seconds_count{"));
	}

	private static String oldGeneration(Map<String, Double> series) {
		Matcher old = Pattern.compile("jvm_memory_used_bytes\\{area=\"heap\",id=\"([^\"]*Old Gen[^\"]*)\"}")
			.matcher(String.join("\n", series.keySet()));
		assertThat(old.find()).as("an old-generation heap pool").isTrue();
		return old.group(1);
	}

	private void store(String patient) {
		Http.Response stored = http.post("/fhir",
				transaction(patient(patient), septicShock(patient + "-shock", patient),
						norepinephrineRunning(patient + "-vp", patient),
						map(patient + "-map", patient, "58", Duration.ofMinutes(10))),
				Map.of("Content-Type", "application/fhir+json"));
		assertThat(stored.status()).isEqualTo(200);
	}

	/** A scrape as Prometheus asks for it. */
	private Http.Response prometheus() {
		return http.send("GET", "/actuator/prometheus", null,
				Map.of("Accept", "text/plain;version=0.0.4;q=0.3,*/*;q=0.1"));
	}

	private Map<String, Double> scrape() {
		Http.Response response = prometheus();
		assertThat(response.status()).isEqualTo(200);
		return parse(response.body());
	}

	private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)$");

	private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

	/**
	 * The samples of a Prometheus text exposition, keyed by name and labels (labels
	 * sorted by name).
	 */
	static Map<String, Double> parse(String exposition) {
		Map<String, Double> samples = new HashMap<>();
		for (String line : exposition.split("\n")) {
			Matcher sample = SAMPLE.matcher(line);
			if (line.startsWith("#") || !sample.matches()) {
				continue;
			}
			Map<String, String> labels = new TreeMap<>();
			if (sample.group(3) != null) {
				Matcher label = LABEL.matcher(sample.group(3));
				while (label.find()) {
					labels.put(label.group(1), label.group(2));
				}
			}
			StringBuilder key = new StringBuilder(sample.group(1));
			if (!labels.isEmpty()) {
				key.append('{');
				labels.forEach((name, value) -> key.append(name).append("=\"").append(value).append("\","));
				key.setCharAt(key.length() - 1, '}');
			}
			samples.put(key.toString(), Double.parseDouble(sample.group(4)));
		}
		return samples;
	}

	private static double delta(Map<String, Double> before, Map<String, Double> after, String series) {
		assertThat(after).as("published series").containsKey(series);
		return after.get(series) - before.getOrDefault(series, 0.0);
	}

	/** The series of a metric whose value changed between the scrapes. */
	private static Map<String, Double> changed(Map<String, Double> before, Map<String, Double> after, String name) {
		Map<String, Double> changed = new TreeMap<>();
		after.forEach((series, value) -> {
			if (series.startsWith(name + "{") && value - before.getOrDefault(series, 0.0) != 0) {
				changed.put(series, value - before.getOrDefault(series, 0.0));
			}
		});
		return changed;
	}

	private static String feedback(String card, String outcome, String extra) {
		return """
				{"feedback":[{"card":"%s","outcome":"%s","outcomeTimestamp":"2026-11-21T10:00:00Z"%s}]}"""
			.formatted(card, outcome, extra);
	}

	private static Map<String, String> json() {
		return Map.of("Content-Type", "application/json");
	}

}
