package org.critcare.cds.cdshooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.critcare.cds.support.Fhir.map;
import static org.critcare.cds.support.Fhir.norepinephrineRunning;
import static org.critcare.cds.support.Fhir.patient;
import static org.critcare.cds.support.Fhir.patientView;
import static org.critcare.cds.support.Fhir.searchset;
import static org.critcare.cds.support.Fhir.septicShock;
import static org.critcare.cds.support.Fhir.transaction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
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
 * Requests that used to leak a token, hang a call, fill the heap or forge a log line
 * (issue 8 §4–§6): each is refused with a 4xx in the documented shape, or answered within
 * the call's deadline, and stores nothing.
 */
@CdsServerTest
@ExtendWith(OutputCaptureExtension.class)
class HostileRequestsIT {

	static final String SERVICE = "/cds-services/sepsis-perfusion";

	@LocalServerPort
	int port;

	Http http;

	@BeforeEach
	void client() {
		http = new Http(port);
	}

	@Test
	void aNextLinkToAnotherOriginIsNotFollowedAndGetsNoToken() {
		try (StubFhirServer ehr = new StubFhirServer(); StubFhirServer elsewhere = new StubFhirServer()) {
			ehr.answer("Patient", Answer.json(patient("x-p")))
				.answer("Condition", Answer.json(searchset(septicShock("x-shock", "x-p"))))
				.answer("MedicationAdministration", Answer.json(searchset()))
				.answer("Observation", Answer.json(searchset(map("x-map", "x-p", "58", Duration.ofMinutes(5))).replace(
						"\"entry\"",
						"\"link\":[{\"relation\":\"next\",\"url\":\"" + elsewhere.base() + "/page2\"}],\"entry\"")));
			elsewhere.answer("page2", Answer.json(searchset()));
			String call = patientView("x-p", "\"fhirServer\":\"" + ehr.base() + "\"",
					"\"fhirAuthorization\":{\"access_token\":\"ehr-token-1\",\"token_type\":\"Bearer\","
							+ "\"expires_in\":300,\"scope\":\"patient/*.read\",\"subject\":\"cds\"}");
			assertError(http.post(SERVICE, call, json()), 412, "DATA_UNAVAILABLE");
			assertThat(elsewhere.paths()).isEmpty();
			assertThat(elsewhere.authorizations()).isEmpty();
		}
	}

	@Test
	void aPrefetchNextLinkIsNotFollowedWithoutFhirServer() {
		try (StubFhirServer elsewhere = new StubFhirServer()) {
			String prefetch = "\"prefetch\":{\"observation\":"
					+ searchset(map("y-map", "y-p", "58", Duration.ofMinutes(5))).replace("\"entry\"",
							"\"link\":[{\"relation\":\"next\",\"url\":\"" + elsewhere.base() + "/page2\"}],\"entry\"")
					+ "}";
			assertError(http.post(SERVICE, patientView("y-p", prefetch), json()), 412, "DATA_UNAVAILABLE");
			assertThat(elsewhere.paths()).isEmpty();
		}
	}

	@Test
	void aServerThatDripsItsAnswerIsCutOffAtTheDeadline() {
		try (StubFhirServer ehr = new StubFhirServer()) {
			ehr.answer("Patient", Answer.drip(patient("d-p"), Duration.ofMillis(200)))
				.answer("Condition", Answer.json(searchset()))
				.answer("MedicationAdministration", Answer.json(searchset()))
				.answer("Observation", Answer.json(searchset()));
			long started = System.nanoTime();
			assertError(http.post(SERVICE, patientView("d-p", "\"fhirServer\":\"" + ehr.base() + "\""), json()), 412,
					"DATA_UNAVAILABLE");
			// the test server's fhirServer timeout is 2 s
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(3500));
		}
	}

	@Test
	void anAnswerWhoseValuesReadingWouldLeaveOutIs412() {
		// the MAP would be evaluated as absent, and the call answered as if it were
		try (StubFhirServer ehr = new StubFhirServer()) {
			ehr.answer("Patient", Answer.json(patient("v-p")))
				.answer("Condition", Answer.json(searchset(septicShock("v-shock", "v-p"))))
				.answer("MedicationAdministration", Answer.json(searchset()))
				.answer("Observation", Answer.json(searchset(map("v-map", "v-p", "58", Duration.ofMinutes(5)))
					.replace("\"valueQuantity\":{", "\"valueQuantity\":\"58\",\"x\":{")));
			Http.Response answer = http.post(SERVICE, patientView("v-p", "\"fhirServer\":\"" + ehr.base() + "\""),
					json());
			assertError(answer, 412, "DATA_UNAVAILABLE");
			assertThat(answer.json().path("message").asText()).isEqualTo("The FHIR server's answer has content that "
					+ "reading it would leave out: 'valueQuantity': expected an object, found a value");
		}
	}

	@Test
	void anAnswerOverTheSizeCapIs412() {
		String huge = "{\"resourceType\":\"Patient\",\"id\":\"h-p\",\"text\":{\"status\":\"generated\",\"div\":\"<div>"
				+ "x".repeat(17 * 1024 * 1024) + "</div>\"}}";
		try (StubFhirServer ehr = new StubFhirServer()) {
			ehr.answer("Patient", Answer.json(huge))
				.answer("Condition", Answer.json(searchset()))
				.answer("MedicationAdministration", Answer.json(searchset()))
				.answer("Observation", Answer.json(searchset()));
			assertError(http.post(SERVICE, patientView("h-p", "\"fhirServer\":\"" + ehr.base() + "\""), json()), 412,
					"DATA_UNAVAILABLE");
		}
	}

	@Test
	void callsToASilentServerDoNotStarveCallsToAnother() {
		try (StubFhirServer silent = new StubFhirServer(); StubFhirServer ehr = new StubFhirServer()) {
			for (String type : List.of("Patient", "Condition", "MedicationAdministration", "Observation")) {
				silent.answer(type, new Answer(200, searchset(), Duration.ofSeconds(8)));
			}
			ehr.answer("Patient", Answer.json(patient("s-p")))
				.answer("Condition", Answer.json(searchset(septicShock("s-shock", "s-p"))))
				.answer("MedicationAdministration", Answer.json(searchset(norepinephrineRunning("s-vp", "s-p"))))
				.answer("Observation", Answer.json(searchset(map("s-map", "s-p", "58", Duration.ofMinutes(5)))));
			List<CompletableFuture<Http.Response>> hanging = new ArrayList<>();
			for (int i = 0; i < 6; i++) {
				hanging.add(CompletableFuture.supplyAsync(() -> new Http(port).post(SERVICE,
						patientView("s-p", "\"fhirServer\":\"" + silent.base() + "\""), json())));
			}
			for (int i = 0; i < 10; i++) {
				Http.Response response = http.post(SERVICE, patientView("s-p", "\"fhirServer\":\"" + ehr.base() + "\""),
						json());
				assertThat(response.status()).as(response.body()).isEqualTo(200);
			}
			hanging.forEach(h -> assertThat(h.join().status()).isEqualTo(412));
		}
	}

	@Test
	void applyAndEvaluateDoNotReadEndpointsAClientNames() {
		try (StubFhirServer elsewhere = new StubFhirServer()) {
			Http.Response query = http
				.get("/fhir/PlanDefinition/sepsis-perfusion/$apply?subject=Patient/nobody&dataEndpoint="
						+ elsewhere.base());
			assertThat(query.status()).isEqualTo(400);
			assertThat(query.json().path("resourceType").asText()).isEqualTo("OperationOutcome");
			String parameters = """
					{"resourceType":"Parameters","parameter":[{"name":"subject","valueString":"Patient/nobody"},
					 {"name":"contentEndpoint","resource":{"resourceType":"Endpoint","status":"active",
					  "connectionType":{"code":"hl7-fhir-rest"},"payloadType":[{"text":"x"}],"address":"%s"}}]}"""
				.formatted(elsewhere.base());
			assertThat(http
				.post("/fhir/Library/SepsisPerfusion/$evaluate", parameters,
						Map.of("Content-Type", "application/fhir+json"))
				.status()).isEqualTo(400);
			assertThat(elsewhere.paths()).isEmpty();
		}
	}

	@Test
	void aBodyOverTheSizeLimitIs413InThePathsShape() {
		String big = "{\"hook\":\"patient-view\",\"pad\":\"" + "x".repeat(9 * 1024 * 1024) + "\"}";
		assertError(http.post(SERVICE, big, json()), 413, "PAYLOAD_TOO_LARGE");
		Http.Response fhir = http.post("/fhir/Patient", big, Map.of("Content-Type", "application/fhir+json"));
		assertThat(fhir.status()).isEqualTo(413);
		assertThat(fhir.json().path("resourceType").asText()).isEqualTo("OperationOutcome");

		// a browser app can read these errors too (CORS, as on every other answer)
		Http.Response fromApp = http.raw("POST", SERVICE + "%2Fx", Map.of("Origin", "https://app.example.org"));
		assertThat(fromApp.status()).isEqualTo(400);
		assertThat(fromApp.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
		assertThat(fromApp.headers().firstValue("Vary")).hasValue("Origin");
		assertThat(http.raw("POST", SERVICE + "%2Fx").headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
	}

	@Test
	void aTransactionOrBatchOverTheEntryLimitIs413AndStoresNothing() {
		List<String> patients = new ArrayList<>();
		for (int i = 0; i < 2000; i++) {
			patients.add(patient("big-tx-" + i));
		}
		Http.Response response = http.post("/fhir", transaction(patients.toArray(String[]::new)),
				Map.of("Content-Type", "application/fhir+json"));
		assertThat(response.status()).isEqualTo(413);
		assertThat(response.json().path("resourceType").asText()).isEqualTo("OperationOutcome");
		assertThat(http.get("/fhir/Patient/big-tx-0").status()).isEqualTo(404);

		StringBuilder batch = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[");
		for (int i = 0; i < 1000; i++) {
			batch.append(i == 0 ? "" : ",")
				.append("{\"request\":{\"method\":\"GET\",\"url\":\"Observation?code=x")
				.append(i)
				.append("\"}}");
		}
		batch.append("]}");
		assertThat(http.post("/fhir", batch.toString(), Map.of("Content-Type", "application/fhir+json")).status())
			.isEqualTo(413);
	}

	@Test
	void feedbackOverTheEntryLimitIs413AndStoresNothing() {
		int before = http.get("/fhir/AuditEvent?_summary=count").json().path("total").asInt();
		StringBuilder entries = new StringBuilder();
		for (int i = 0; i < 101; i++) {
			entries.append(i == 0 ? "" : ",")
				.append("{\"card\":\"")
				.append(UUID.randomUUID())
				.append("\",\"outcome\":\"overridden\",\"outcomeTimestamp\":\"2026-11-21T10:00:00Z\"}");
		}
		assertError(http.post(SERVICE + "/feedback", "{\"feedback\":[" + entries + "]}", json()), 413,
				"FEEDBACK_TOO_LARGE");
		assertThat(http.get("/fhir/AuditEvent?_summary=count").json().path("total").asInt()).isEqualTo(before);
	}

	@Test
	void aBodyWithAnythingAfterItsJsonIs400AndStoresNothing() {
		int before = http.get("/fhir/AuditEvent?_summary=count").json().path("total").asInt();
		for (String junk : List.of(" xyz", "}", "]]]", ",", " {\"broken", " {}")) {
			assertError(http.post(SERVICE, patientView("junk-p") + junk, json()), 400, "MALFORMED_JSON");
			assertError(http.post(SERVICE + "/feedback",
					"{\"feedback\":[{\"card\":\"" + UUID.randomUUID()
							+ "\",\"outcome\":\"overridden\",\"outcomeTimestamp\":\"2026-11-21T10:00:00Z\"}]}" + junk,
					json()), 400, "MALFORMED_JSON");
		}
		assertThat(http.get("/fhir/AuditEvent?_summary=count").json().path("total").asInt()).isEqualTo(before);
	}

	@Test
	void aNarrativeThatIsNotXhtmlInADivIs400() {
		ObjectNode call = (ObjectNode) Http.json(patientView("div-p"));
		call.putObject("prefetch").set("patient", Http.json("""
				{"resourceType":"Patient","id":"div-p","text":{"status":"generated","div":"<p>x</p>"}}"""));
		assertError(http.post(SERVICE, call.toString(), json()), 400, "INVALID_PREFETCH");
		String order = """
				{"hook":"order-sign","hookInstance":"%s","context":{"patientId":"div-p","userId":"Practitioner/u",
				 "draftOrders":{"resourceType":"Bundle","type":"collection","entry":[{"resource":
				  {"resourceType":"MedicationRequest","id":"mr","status":"draft","intent":"order",
				   "subject":{"reference":"Patient/div-p"},"text":{"status":"generated","div":"<script>x</script>"}}}]}}}"""
			.formatted(UUID.randomUUID());
		assertError(http.post("/cds-services/cre-stewardship", order, json()), 400, "INVALID_CONTEXT");
	}

	@Test
	void aUrlTheContainerRefusesIsAnsweredInThePathsErrorShape() {
		for (String target : List.of(SERVICE + "%2Fx", "/cds-services/a%00b", "/cds-services/%ff")) {
			assertError(http.raw("POST", target), 400, "MALFORMED_REQUEST");
		}
		Http.Response fhir = http.raw("GET", "/fhir/Patient/a%2Fb");
		assertThat(fhir.status()).as(fhir.body()).isEqualTo(400);
		assertThat(fhir.json().path("resourceType").asText()).isEqualTo("OperationOutcome");
	}

	@Test
	void cardLinksDoNotComeFromTheHostHeader() throws IOException {
		http.post("/fhir",
				transaction(patient("host-p"), septicShock("host-shock", "host-p"),
						map("host-map", "host-p", "58", Duration.ofMinutes(5))),
				Map.of("Content-Type", "application/fhir+json"));
		byte[] body = patientView("host-p").getBytes(StandardCharsets.UTF_8);
		String response;
		try (Socket socket = new Socket("127.0.0.1", port)) {
			OutputStream out = socket.getOutputStream();
			out.write(("POST " + SERVICE + " HTTP/1.1\r\nHost: evil.invalid\r\nContent-Type: application/json\r\n"
					+ "Connection: close\r\nContent-Length: " + body.length + "\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.write(body);
			out.flush();
			InputStream in = socket.getInputStream();
			ByteArrayOutputStream read = new ByteArrayOutputStream();
			in.transferTo(read);
			response = read.toString(StandardCharsets.UTF_8);
		}
		assertThat(response).startsWith("HTTP/1.1 200").contains("/fhir/Evidence/").doesNotContain("evil.invalid");
	}

	@Test
	void aClientCannotHideItsCallsFromTheLog(CapturedOutput output) {
		String call = patientView("log-p");
		String instance = Http.json(call).path("hookInstance").asText();
		Http.Response response = http.post(SERVICE, call,
				Map.of("Content-Type", "application/json", "X-Critcare-Warmup", "true"));
		assertThat(response.status()).isEqualTo(200);
		assertThat(output.getAll()).contains("hookInstance=" + instance);
	}

	private static void assertError(Http.Response response, int status, String code) {
		assertThat(response.status()).as(response.body()).isEqualTo(status);
		JsonNode json = response.json();
		assertThat(json.path("error").asText()).isEqualTo(code);
		assertThat(json.path("message").asText()).isNotBlank().doesNotContain("Exception").doesNotContain("\tat ");
	}

	private static Map<String, String> json() {
		return Map.of("Content-Type", "application/json");
	}

}
