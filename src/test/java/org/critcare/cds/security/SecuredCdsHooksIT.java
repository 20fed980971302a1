package org.critcare.cds.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.critcare.cds.support.Fhir;
import org.critcare.cds.support.Http;
import org.critcare.cds.support.StubFhirServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * {@code /cds-services} with security on (issue 12, CDS Hooks 2.0 §Trusting CDS Clients):
 * discovery, calls and feedback need a JWT signed by a trusted CDS client for the URL
 * called, used once; anything else is a bare 401. A call naming a {@code fhirServer}
 * outside the client's list is 400 before any connection. Audit lines name client,
 * patient and outcome; no token and no clinical value reaches the log.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecuredCdsHooksIT extends SecuredServer {

	static final String SERVICE = "/cds-services/sepsis-perfusion";

	@LocalServerPort
	int port;

	Http http;

	@BeforeEach
	void client() {
		http = new Http(port);
	}

	String url(String path) {
		return http.base() + path;
	}

	@Test
	void discoveryCallAndFeedbackWithAValidTokenAreServed() {
		assertThat(http.send("GET", "/cds-services", null, hookHeaders(hookToken(url("/cds-services")))).status())
			.isEqualTo(200);
		Http.Response call = http.post(SERVICE, Fhir.patientView("sec-hook-1", "\"prefetch\":{}"),
				hookHeaders(hookToken(url(SERVICE))));
		assertThat(call.status()).isEqualTo(200);
		String feedback = """
				{"feedback":[{"card":"0b5a9c64-3f1e-4a43-9d6e-5a1f0c2d7e11","outcome":"overridden",
				 "outcomeTimestamp":"2026-11-21T10:00:00Z"}]}""";
		assertThat(
				http.post(SERVICE + "/feedback", feedback, hookHeaders(hookToken(url(SERVICE + "/feedback")))).status())
			.isEqualTo(200);
	}

	static Stream<Arguments> invalidTokens() {
		Instant now = Instant.now();
		return Stream.of(Arguments.of("no token", (Function<String, String>) url -> null),
				Arguments.of("expired",
						(Function<String, String>) url -> signed(hookClaims(url,
								c -> c.issueTime(Date.from(now.minusSeconds(900)))
									.expirationTime(Date.from(now.minusSeconds(600)))))),
				Arguments.of("not yet valid",
						(Function<String, String>) url -> signed(
								hookClaims(url, c -> c.notBeforeTime(Date.from(now.plusSeconds(600)))))),
				Arguments.of("issued in the future",
						(Function<String, String>) url -> signed(
								hookClaims(url, c -> c.issueTime(Date.from(now.plusSeconds(600)))))),
				Arguments.of("wrong issuer",
						(Function<String, String>) url -> signed(hookClaims(url, c -> c.issuer("https://evil.test")))),
				Arguments.of("wrong audience",
						(Function<String, String>) url -> signed(hookClaims(url, c -> c.audience(url + "/other")))),
				Arguments.of("without jti",
						(Function<String, String>) url -> signed(hookClaims(url, c -> c.jwtID(null)))),
				Arguments.of("without iat",
						(Function<String, String>) url -> signed(hookClaims(url, c -> c.issueTime(null)))),
				Arguments.of("bad signature",
						(Function<String, String>) url -> TestKeys.sign(TestKeys.ec("ehr-key-1"), JWSAlgorithm.ES384,
								hookClaims(url, c -> c))),
				Arguments.of("alg none", (Function<String, String>) url -> TestKeys.unsigned(hookClaims(url, c -> c))),
				Arguments.of("HS256 with the public key",
						(Function<String, String>) url -> TestKeys.hmacWithPublicKey(TestKeys.EHR,
								hookClaims(url, c -> c))),
				Arguments.of("unknown kid", (Function<String, String>) url -> TestKeys.sign(TestKeys.UNKNOWN,
						JWSAlgorithm.RS384, hookClaims(url, c -> c))));
	}

	private static String signed(JWTClaimsSet claims) {
		return TestKeys.sign(TestKeys.EHR, JWSAlgorithm.ES384, claims);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("invalidTokens")
	void anInvalidTokenIsABare401OnEveryEndpoint(String what, Function<String, String> token) {
		for (String path : new String[] { "/cds-services", SERVICE, SERVICE + "/feedback" }) {
			String jwt = token.apply(url(path));
			Map<String, String> headers = jwt == null ? Map.of("Content-Type", "application/json") : hookHeaders(jwt);
			Http.Response response = path.equals("/cds-services") ? http.send("GET", path, null, headers)
					: http.post(path, Fhir.patientView("sec-hook-2", "\"prefetch\":{}"), headers);
			assertThat(response.status()).as(what + " " + path).isEqualTo(401);
			assertThat(response.body()).as(what + " " + path).isEmpty();
		}
	}

	@Test
	void aReplayedTokenIs401() {
		String token = hookToken(url(SERVICE));
		String request = Fhir.patientView("sec-hook-3", "\"prefetch\":{}");
		assertThat(http.post(SERVICE, request, hookHeaders(token)).status()).isEqualTo(200);
		assertThat(http.post(SERVICE, request, hookHeaders(token)).status()).isEqualTo(401);
	}

	@Test
	void aFhirServerOutsideTheClientsListIs400BeforeAnyConnection() {
		int before = OTHER_FHIR.paths().size();
		String request = Fhir.patientView("sec-hook-4", "\"fhirServer\":\"" + OTHER_FHIR.base() + "\"",
				"\"fhirAuthorization\":{\"access_token\":\"ehr-access-token-never-elsewhere\",\"token_type\":\"Bearer\","
						+ "\"scope\":\"patient/*.rs\",\"subject\":\"cds\",\"expires_in\":300}");
		Http.Response response = http.post(SERVICE, request, hookHeaders(hookToken(url(SERVICE))));
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.json().path("error").asText()).isEqualTo("FHIR_SERVER_NOT_ALLOWED");
		assertThat(OTHER_FHIR.paths()).hasSize(before);
	}

	@Test
	void aFhirServerOnTheClientsListIsReadWithItsToken() {
		EHR_FHIR.answer("Patient", StubFhirServer.Answer.json(Fhir.patient("sec-hook-5")))
			.answer("Observation", StubFhirServer.Answer.json(Fhir.searchset()))
			.answer("Condition", StubFhirServer.Answer.json(Fhir.searchset()))
			.answer("MedicationAdministration", StubFhirServer.Answer.json(Fhir.searchset()));
		String request = Fhir.patientView("sec-hook-5", "\"fhirServer\":\"" + EHR_FHIR.base() + "\"",
				"\"fhirAuthorization\":{\"access_token\":\"ehr-access-token-5\",\"token_type\":\"Bearer\","
						+ "\"scope\":\"patient/*.rs\",\"subject\":\"cds\",\"expires_in\":300}");
		Http.Response response = http.post(SERVICE, request, hookHeaders(hookToken(url(SERVICE))));
		assertThat(response.status()).isIn(200, 412);
		assertThat(EHR_FHIR.authorizations()).contains("Bearer ehr-access-token-5");
	}

	@Test
	void auditLinesNameClientPatientAndOutcomeAndTheLogHoldsNoTokenOrClinicalValue(CapturedOutput output) {
		String token = hookToken(url(SERVICE));
		String request = Fhir.patientView("sec-hook-6",
				"\"prefetch\":{\"patient\":" + Fhir.patient("sec-hook-6") + ",\"map\":"
						+ Fhir.searchset(Fhir.map("sec-hook-6-map", "sec-hook-6", "57.31", java.time.Duration.ZERO))
						+ "}");
		assertThat(http.post(SERVICE, request, hookHeaders(token)).status()).isEqualTo(200);
		assertThat(http.post(SERVICE, request, hookHeaders(token)).status()).isEqualTo(401);
		String fhirToken = accessToken("patient/*.rs", "sec-hook-6");
		assertThat(get(http, "/fhir/Patient/sec-other-audit", fhirToken).status()).isIn(403, 404);
		assertThat(get(http, "/fhir/Patient/sec-hook-6", "garbage.token.value").status()).isEqualTo(401);
		assertThat(output.getOut()).contains(
				"audit event=cds-hooks-call client=https://ehr.test path=/cds-services/sepsis-perfusion "
						+ "patient=Patient/sec-hook-6 outcome=200",
				"audit event=cds-hooks-denied client=https://ehr.test path=/cds-services/sepsis-perfusion "
						+ "outcome=401 reason=jti replayed",
				"audit event=fhir-denied");
		assertThat(output.getAll()).doesNotContain(token)
			.doesNotContain(token.substring(token.lastIndexOf('.') + 1))
			.doesNotContain(fhirToken)
			.doesNotContain("garbage.token.value")
			.doesNotContain("57.31")
			.doesNotContain("ehr-access-token");
	}

}
