package org.critcare.cds.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.critcare.cds.support.CdsServerTest;
import org.critcare.cds.support.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Hostile or mistaken FHIR requests get a 4xx OperationOutcome that describes the
 * request, never a 5xx and never a Java class or SQL name (issue 8 §6, issue 11), and a
 * stale {@code If-Match} is 412 (FHIR R4 §3.1.0.8.1).
 */
@CdsServerTest
class FhirErrorsIT {

	static final String DIGITS = "1".repeat(400);

	@LocalServerPort
	int port;

	Http http;

	@BeforeEach
	void client() {
		http = new Http(port);
	}

	@Test
	void badPagingParametersAre400() {
		for (String query : new String[] { "_offset=-1", "_offset=" + DIGITS, "_count=" + DIGITS, "_count=abc" }) {
			assertOutcome(http.get("/fhir/Patient?" + query), 400);
		}
	}

	@Test
	void aLoneOrMalformedPercentInTheQueryIs400() {
		assertOutcome(http.raw("GET", "/fhir/Patient?name=%"), 400);
		assertOutcome(http.raw("GET", "/fhir/Patient?name:contains=%"), 400);
		assertOutcome(http.raw("GET", "/fhir/Patient?name=%ZZ"), 400);
		assertThat(http.get("/fhir/Patient?name=a%25").status()).isEqualTo(200);
	}

	@Test
	void aFourHundredDigitNumberIsAnsweredWithoutA5xx() {
		assertOutcome(http.get("/fhir/Patient?birthdate=" + DIGITS), 400);
		assertOutcome(http.get("/fhir/Observation?date=" + DIGITS), 400);
		assertOutcome(http.get("/fhir/Patient?_lastUpdated=gt" + DIGITS), 400);
		assertOutcome(http.get("/fhir/Patient?_sort=" + DIGITS), 400);
		assertOutcome(http.get("/fhir/Patient/" + DIGITS), 404);
		assertOutcome(http.get("/fhir/Patient/errors-no-such/_history/" + DIGITS), 404);
		assertThat(http.get("/fhir/Observation?value-quantity=" + DIGITS).status()).isEqualTo(200);
	}

	@Test
	void aLoneSurrogateInAQueryIsReplacedAndInABodyIs400() {
		assertThat(http.get("/fhir/Patient?name=%ED%A0%80").status()).isEqualTo(200);
		Http.Response created = http.put("/fhir/Patient/errors-surrogate",
				"{\"resourceType\":\"Patient\",\"id\":\"errors-surrogate\",\"name\":[{\"family\":\"\\ud800\"}]}");
		assertThat(diagnostics(assertOutcome(created, 400))).contains("surrogate");
		assertThat(http.get("/fhir/Patient/errors-surrogate").status()).isEqualTo(404);
	}

	@Test
	void applyWithoutASubjectIs400() {
		assertThat(diagnostics(assertOutcome(http.get("/fhir/PlanDefinition/sepsis-perfusion/$apply"), 400)))
			.contains("subject");
		assertThat(diagnostics(assertOutcome(http.post("/fhir/PlanDefinition/sepsis-perfusion/$apply",
				"{\"resourceType\":\"Parameters\"}", Map.of("Content-Type", "application/fhir+json")), 400)))
			.contains("subject");
	}

	/** CPG $evaluate: subject is optional (0..1), so a library evaluates without one. */
	@Test
	void evaluateWithoutASubjectEvaluatesTheLibraryWithoutOne() {
		assertThat(http.get("/fhir/Library/SepsisPerfusion/$evaluate").json().path("resourceType").asText())
			.isEqualTo("Parameters");
	}

	@Test
	void applyAndEvaluateOfAnUnknownOrMissingArtifactAre4xx() {
		assertOutcome(http.get("/fhir/PlanDefinition/$apply?url=http://example.org/none&subject=Patient/x"), 404);
		assertOutcome(http.get("/fhir/Library/$evaluate?url=http://example.org/none&subject=Patient/x"), 404);
		Map<String, String> fhirJson = Map.of("Content-Type", "application/fhir+json");
		assertThat(diagnostics(assertOutcome(
				http.post("/fhir/PlanDefinition/$apply", "{\"resourceType\":\"Parameters\"}", fhirJson), 400)))
			.startsWith("Name the PlanDefinition in exactly one way");
		assertThat(diagnostics(assertOutcome(http.get("/fhir/Library/$evaluate?subject=Patient/x"), 400)))
			.startsWith("Name the Library in exactly one way");
	}

	@Test
	void aStaleIfMatchIs412AndChangesNothing() {
		String v1 = "{\"resourceType\":\"Patient\",\"id\":\"errors-if-match\",\"gender\":\"female\"}";
		assertThat(http.put("/fhir/Patient/errors-if-match", v1).status()).isIn(200, 201);
		assertThat(http.put("/fhir/Patient/errors-if-match", v1.replace("female", "male")).status()).isEqualTo(200);
		Http.Response stale = http.send("PUT", "/fhir/Patient/errors-if-match", v1.replace("female", "other"),
				Map.of("Content-Type", "application/fhir+json", "If-Match", "W/\"1\""));
		assertOutcome(stale, 412);
		assertThat(http.get("/fhir/Patient/errors-if-match").json().path("gender").asText()).isEqualTo("male");
	}

	@Test
	void aNarrativeThatIsNotXhtmlInADivIs400AndIsNotStored() {
		String patient = "{\"resourceType\":\"Patient\",\"id\":\"errors-div\",\"text\":{\"status\":\"generated\","
				+ "\"div\":\"<p>x</p>\"}}";
		assertOutcome(http.put("/fhir/Patient/errors-div", patient), 400);
		assertOutcome(http.post("/fhir/Patient", patient, Map.of("Content-Type", "application/fhir+json")), 400);
		assertThat(http.get("/fhir/Patient/errors-div").status()).isEqualTo(404);
	}

	@Test
	void aPatchWhosePathDoesNotParseIs400AndChangesNothing() {
		String v1 = "{\"resourceType\":\"Patient\",\"id\":\"errors-patch\",\"gender\":\"female\"}";
		assertThat(http.put("/fhir/Patient/errors-patch", v1).status()).isIn(200, 201);
		String patch = """
				{"resourceType":"Parameters","parameter":[{"name":"operation","part":[
				 {"name":"type","valueCode":"delete"},{"name":"path","valueString":"Patient.$$$"}]}]}""";
		assertOutcome(http.send("PATCH", "/fhir/Patient/errors-patch", patch,
				Map.of("Content-Type", "application/fhir+json")), 400);
		assertThat(http.get("/fhir/Patient/errors-patch").json().path("meta").path("versionId").asText())
			.isEqualTo("1");
	}

	@Test
	void jsonNestedTooDeeplyIs400WithoutNamingTheParsersInternals() {
		String nested = "{\"resourceType\":\"Patient\",\"extension\":" + "[".repeat(1100) + "]".repeat(1100) + "}";
		assertOutcome(http.post("/fhir/Patient", nested, Map.of("Content-Type", "application/fhir+json")), 400);
	}

	@Test
	void aValidateBodyThatRepeatsAKeyIs400() {
		StringBuilder body = new StringBuilder("{\"resourceType\":\"Patient\"");
		for (int i = 0; i < 5000; i++) {
			body.append(",\"a\":1");
		}
		body.append('}');
		JsonNode outcome = assertOutcome(
				http.post("/fhir/Patient/$validate", body.toString(), Map.of("Content-Type", "application/fhir+json")),
				400);
		assertThat(diagnostics(outcome)).contains("repeats a JSON key");
		assertThat(http
			.post("/fhir/Patient/$validate", "{\"resourceType\":\"Patient\",\"gender\":\"female\"}",
					Map.of("Content-Type", "application/fhir+json"))
			.status()).isEqualTo(200);
	}

	@Test
	void noOpenApiDocumentIsServed() {
		assertThat(http.get("/v3/api-docs").status()).isEqualTo(404);
		assertThat(http.get("/swagger-ui/index.html").status()).isEqualTo(404);
	}

	private static JsonNode assertOutcome(Http.Response response, int status) {
		assertThat(response.status()).as(response.body()).isEqualTo(status);
		assertThat(response.json().path("resourceType").asText()).as(response.body()).isEqualTo("OperationOutcome");
		assertNoInternalNames(response);
		return response.json();
	}

	private static void assertNoInternalNames(Http.Response response) {
		assertThat(FhirErrorInterceptor.isInternal(response.body())).as(response.body()).isFalse();
	}

	private static String diagnostics(JsonNode outcome) {
		return outcome.path("issue").get(0).path("diagnostics").asText();
	}

}
