package org.critcare.cds.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Date;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.critcare.cds.support.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * {@code /fhir} as a SMART resource server (issue 12): every token that is not valid for
 * this server is 401; a valid token lacking scope is 403; a {@code patient/} token never
 * sees another patient's data, by read, search, count, {@code _include},
 * {@code _revinclude}, chained search, {@code _history}, operation or batch entry.
 */
class SecuredFhirIT extends SecuredServer {

	static final String ME = "sec-me";

	static final String OTHER = "sec-other";

	/** The other patient's name and value: must never reach a patient/ token of ME. */
	static final String OTHER_NAME = "Zebulonsecret";

	static final String SYSTEM = "system/*.cruds";

	@LocalServerPort
	int port;

	Http http;

	@BeforeEach
	void twoPatients() {
		http = new Http(port);
		String bundle = """
				{"resourceType":"Bundle","type":"transaction","entry":[
				 {"resource":{"resourceType":"Patient","id":"sec-me","name":[{"family":"Mine"}]},
				  "request":{"method":"PUT","url":"Patient/sec-me"}},
				 {"resource":{"resourceType":"Patient","id":"sec-other","name":[{"family":"%s"}]},
				  "request":{"method":"PUT","url":"Patient/sec-other"}},
				 {"resource":{"resourceType":"Observation","id":"sec-me-obs","status":"final",
				   "code":{"text":"MAP"},"subject":{"reference":"Patient/sec-me"},
				   "performer":[{"reference":"Patient/sec-other"}],"valueQuantity":{"value":61}},
				  "request":{"method":"PUT","url":"Observation/sec-me-obs"}},
				 {"resource":{"resourceType":"Observation","id":"sec-other-obs","status":"final",
				   "code":{"text":"MAP"},"subject":{"reference":"Patient/sec-other"},"valueQuantity":{"value":987.65}},
				  "request":{"method":"PUT","url":"Observation/sec-other-obs"}}]}""".formatted(OTHER_NAME);
		assertThat(http.send("POST", "/fhir", bundle, bearer(accessToken(SYSTEM, null))).status()).isEqualTo(200);
	}

	@Test
	void aRequestWithoutATokenIs401WithAnOperationOutcome() {
		Http.Response response = get(http, "/fhir/Patient/" + ME, null);
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
		assertThat(response.json().path("resourceType").asText()).isEqualTo("OperationOutcome");
		assertThat(http.send("DELETE", "/fhir/Patient/" + OTHER, null, Map.of()).status()).isEqualTo(401);
	}

	static Stream<Arguments> invalidTokens() {
		Instant now = Instant.now();
		Supplier<JWTClaimsSet> good = () -> accessClaims(c -> c.claim("scope", SYSTEM));
		return Stream.of(
				Arguments.of("expired",
						(Supplier<String>) () -> accessToken(c -> c.claim("scope", SYSTEM)
							.issueTime(Date.from(now.minusSeconds(900)))
							.expirationTime(Date.from(now.minusSeconds(600))))),
				Arguments.of("not yet valid",
						(Supplier<String>) () -> accessToken(
								c -> c.claim("scope", SYSTEM).notBeforeTime(Date.from(now.plusSeconds(600))))),
				Arguments.of("without exp",
						(Supplier<String>) () -> accessToken(c -> c.claim("scope", SYSTEM).expirationTime(null))),
				Arguments.of("wrong issuer",
						(Supplier<String>) () -> accessToken(
								c -> c.claim("scope", SYSTEM).issuer("https://evil.test"))),
				Arguments.of("wrong audience",
						(Supplier<String>) () -> accessToken(
								c -> c.claim("scope", SYSTEM).audience("https://other-server.test/fhir"))),
				Arguments.of("bad signature",
						(Supplier<String>) () -> TestKeys.sign(TestKeys.IMPOSTOR, JWSAlgorithm.RS384, good.get())),
				Arguments.of("alg none", (Supplier<String>) () -> TestKeys.unsigned(good.get())),
				Arguments.of("HS256 with the public key",
						(Supplier<String>) () -> TestKeys.hmacWithPublicKey(TestKeys.AUTH_SERVER, good.get())),
				Arguments.of("unknown kid",
						(Supplier<String>) () -> TestKeys.sign(TestKeys.UNKNOWN, JWSAlgorithm.RS384, good.get())),
				Arguments.of("not a JWT", (Supplier<String>) () -> "opaque-token-value"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("invalidTokens")
	void anInvalidTokenIs401(String what, Supplier<String> token) {
		Http.Response response = get(http, "/fhir/Patient/" + ME, token.get());
		assertThat(response.status()).as(what).isEqualTo(401);
		assertThat(response.body()).doesNotContain("Mine");
	}

	@Test
	void aPatientTokenReadsItsPatientAndItsObservations() {
		String token = accessToken("patient/*.rs", ME);
		assertThat(get(http, "/fhir/Patient/" + ME, token).status()).isEqualTo(200);
		Http.Response search = get(http, "/fhir/Observation", token);
		assertThat(search.status()).isEqualTo(200);
		assertThat(search.json().findValuesAsText("id")).contains("sec-me-obs").doesNotContain("sec-other-obs");
		assertThat(get(http, "/fhir/metadata", null).status()).isEqualTo(200);
	}

	@Test
	void aPatientTokenCannotReadAnotherPatient() {
		Http.Response read = get(http, "/fhir/Patient/" + OTHER, accessToken("patient/*.rs", ME));
		assertThat(read.status()).isEqualTo(403);
		assertThat(read.body()).doesNotContain(OTHER_NAME);
		Http.Response observation = get(http, "/fhir/Observation/sec-other-obs", accessToken("patient/*.read", ME));
		assertThat(observation.status()).isEqualTo(403);
		assertThat(observation.body()).doesNotContain("987.65");
	}

	@Test
	void aPatientTokenSearchingAnotherPatientFindsNothingOfTheirs() {
		String token = accessToken("patient/Observation.rs patient/Patient.rs", ME);
		for (String search : new String[] { "/fhir/Observation?subject=Patient/" + OTHER,
				"/fhir/Observation?patient=" + OTHER, "/fhir/Patient?name=" + OTHER_NAME,
				"/fhir/Observation?subject.name=" + OTHER_NAME, "/fhir/Observation?_include=Observation:performer",
				"/fhir/Observation?_include=Observation:subject&_id=sec-other-obs",
				"/fhir/Patient?_revinclude=Observation:subject", "/fhir/Patient?_revinclude=Observation:performer",
				"/fhir/Patient?_has:Observation:subject:_id=sec-other-obs" }) {
			Http.Response response = get(http, search, token);
			assertThat(response.status()).as(search).isIn(200, 403);
			assertThat(returnedIds(response)).as(search).doesNotContain(OTHER, "sec-other-obs");
			assertThat(response.body()).as(search).doesNotContain("987.65");
		}
	}

	/** The ids of the resources a search or history Bundle returns. */
	static List<String> returnedIds(Http.Response response) {
		List<String> ids = new ArrayList<>();
		if (response.json() != null) {
			response.json().path("entry").forEach(entry -> ids.add(entry.path("resource").path("id").asText()));
		}
		return ids;
	}

	/** The strings of a JSON array. */
	static List<String> texts(JsonNode array) {
		List<String> texts = new ArrayList<>();
		array.forEach(t -> texts.add(t.asText()));
		return texts;
	}

	@Test
	void aPatientTokenCountsOnlyItsOwnPatientsResources() {
		Http.Response count = get(http, "/fhir/Observation?_summary=count", accessToken("patient/*.rs", ME));
		assertThat(count.status()).isEqualTo(200);
		Http.Response all = get(http, "/fhir/Observation?patient=" + ME + "&_summary=count", accessToken(SYSTEM, null));
		assertThat(count.json().path("total").asInt()).isEqualTo(all.json().path("total").asInt());
	}

	@Test
	void aPatientTokenSeesNoHistoryOfAnotherPatient() {
		String token = accessToken("patient/*.rs", ME);
		assertThat(get(http, "/fhir/Patient/" + OTHER + "/_history", token).status()).isEqualTo(403);
		for (String history : new String[] { "/fhir/Observation/_history", "/fhir/_history",
				"/fhir/Observation/sec-other-obs/_history/1" }) {
			Http.Response response = get(http, history, token);
			assertThat(response.status()).as(history).isIn(200, 403);
			assertThat(response.body()).as(history).doesNotContain("987.65").doesNotContain(OTHER_NAME);
		}
	}

	@Test
	void aPatientTokenRunsNoOperationOnAnotherPatient() {
		String token = accessToken("patient/*.rs", ME);
		Http.Response everything = get(http, "/fhir/Patient/" + OTHER + "/$everything", token);
		assertThat(everything.status()).isEqualTo(403);
		assertThat(everything.body()).doesNotContain("987.65");
		Http.Response own = get(http, "/fhir/Patient/" + ME + "/$everything", token);
		assertThat(own.body()).doesNotContain("987.65").doesNotContain(OTHER_NAME);
		assertThat(get(http, "/fhir/Patient/$everything", token).body()).doesNotContain("987.65");
	}

	@Test
	void aPatientTokenGetsNoOtherPatientThroughBatchOrTransactionEntries() {
		String token = accessToken("patient/*.cruds", ME);
		for (String type : new String[] { "batch", "transaction" }) {
			String bundle = """
					{"resourceType":"Bundle","type":"%s","entry":[
					 {"request":{"method":"GET","url":"Patient/sec-other"}},
					 {"request":{"method":"GET","url":"Observation?subject=Patient/sec-other"}}]}""".formatted(type);
			Http.Response response = http.send("POST", "/fhir", bundle, bearer(token));
			assertThat(response.body()).as(type).doesNotContain(OTHER_NAME).doesNotContain("987.65");
		}
		String write = """
				{"resourceType":"Bundle","type":"transaction","entry":[
				 {"resource":{"resourceType":"Observation","id":"sec-other-obs","status":"final","code":{"text":"MAP"},
				   "subject":{"reference":"Patient/sec-other"},"valueQuantity":{"value":1}},
				  "request":{"method":"PUT","url":"Observation/sec-other-obs"}}]}""";
		assertThat(http.send("POST", "/fhir", write, bearer(token)).status()).isEqualTo(403);
		Http.Response stored = get(http, "/fhir/Observation/sec-other-obs", accessToken(SYSTEM, null));
		assertThat(stored.status()).isEqualTo(200);
		assertThat(stored.json().path("valueQuantity").path("value").decimalValue()).isEqualByComparingTo("987.65");
	}

	@Test
	void aWriteWithoutWriteScopeIs403() {
		String observation = """
				{"resourceType":"Observation","id":"sec-me-obs2","status":"final","code":{"text":"MAP"},
				 "subject":{"reference":"Patient/sec-me"}}""";
		assertThat(
				http.send("PUT", "/fhir/Observation/sec-me-obs2", observation, bearer(accessToken("patient/*.rs", ME)))
					.status())
			.isEqualTo(403);
		assertThat(http
			.send("PUT", "/fhir/Observation/sec-me-obs2", observation,
					bearer(accessToken("patient/Observation.cu", ME)))
			.status()).isIn(200, 201);
		assertThat(http.send("DELETE", "/fhir/Observation/sec-me-obs2", null, bearer(accessToken("patient/*.cru", ME)))
			.status()).isEqualTo(403);
	}

	@Test
	void destructiveOperationsNeedTheAdminScope() {
		String user = accessToken("user/*.cruds", null);
		assertThat(http.send("POST", "/fhir/$expunge", "{\"resourceType\":\"Parameters\"}", bearer(user)).status())
			.isEqualTo(403);
		assertThat(http
			.send("POST", "/fhir/Observation/sec-me-obs/$expunge", "{\"resourceType\":\"Parameters\"}", bearer(user))
			.status()).isEqualTo(403);
		assertThat(http.send("DELETE", "/fhir/Patient/" + ME + "?_cascade=delete", null, bearer(user)).status())
			.isEqualTo(403);
		assertThat(http.send("DELETE", "/fhir/PlanDefinition/sepsis-perfusion", null, bearer(user)).status())
			.isEqualTo(403);
		String admin = accessToken("user/*.cruds cds/admin", null);
		assertThat(http.send("POST", "/fhir/$expunge", "{\"resourceType\":\"Parameters\"}", bearer(admin)).status())
			.isNotIn(401, 403);
	}

	@Test
	void theCapabilityStatementAndSmartConfigurationDescribeTheAuthorization() {
		Http.Response metadata = get(http, "/fhir/metadata", null);
		assertThat(metadata.json()
			.path("rest")
			.get(0)
			.path("security")
			.path("service")
			.get(0)
			.path("coding")
			.get(0)
			.path("code")
			.asText()).isEqualTo("SMART-on-FHIR");
		Http.Response smart = http.send("GET", "/.well-known/smart-configuration", null, Map.of("Accept", "text/html"));
		assertThat(smart.status()).isEqualTo(200);
		assertThat(smart.header("Content-Type")).startsWith("application/json");
		assertThat(smart.json().path("token_endpoint").asText()).isEqualTo("https://auth.test/token");
		assertThat(smart.json().path("authorization_endpoint").asText()).isEqualTo("https://auth.test/authorize");
		assertThat(texts(smart.json().path("code_challenge_methods_supported"))).containsExactly("S256");
		assertThat(texts(smart.json().path("grant_types_supported"))).contains("authorization_code");
		assertThat(texts(smart.json().path("capabilities"))).contains("launch-ehr", "permission-v2");
	}

	@Test
	void browsersOfConfiguredOriginsOnlyMaySendTokens() {
		Map<String, String> preflight = Map.of("Origin", APP_ORIGIN, "Access-Control-Request-Method", "GET",
				"Access-Control-Request-Headers", "authorization");
		Http.Response allowed = http.send("OPTIONS", "/fhir/Patient/" + ME, null, preflight);
		assertThat(allowed.status()).isEqualTo(200);
		assertThat(allowed.header("Access-Control-Allow-Origin")).isEqualTo(APP_ORIGIN);
		assertThat(allowed.header("Access-Control-Allow-Headers")).containsIgnoringCase("authorization");
		assertThat(allowed.header("Access-Control-Allow-Credentials")).isNull();
		Http.Response refused = http.send("OPTIONS", "/cds-services", null,
				Map.of("Origin", "https://evil.test", "Access-Control-Request-Method", "GET"));
		assertThat(refused.status()).isEqualTo(403);
		assertThat(refused.header("Access-Control-Allow-Origin")).isNull();
	}

}
