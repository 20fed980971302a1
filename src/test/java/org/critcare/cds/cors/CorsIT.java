package org.critcare.cds.cors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.critcare.cds.support.CdsServerTest;
import org.critcare.cds.support.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Browser apps on another origin reach every endpoint on the embedded default (issue 11):
 * preflights of CDS Hooks and FHIR requests are answered, answers (errors included) carry
 * {@code Access-Control-Allow-Origin} and expose the FHIR headers.
 */
@CdsServerTest
class CorsIT {

	static final String ORIGIN = "http://127.0.0.1:5173";

	@LocalServerPort
	int port;

	Http http;

	@BeforeEach
	void client() {
		http = new Http(port);
	}

	@Test
	void aCdsHooksCallPreflightIsAnswered() {
		Http.Response preflight = preflight("/cds-services/sepsis-perfusion", "POST", "content-type, accept-language");
		assertThat(preflight.status()).isEqualTo(200);
		assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo("*");
		assertThat(preflight.header("Access-Control-Allow-Methods")).contains("POST");
		assertThat(preflight.header("Access-Control-Allow-Headers")).contains("content-type", "accept-language");
		assertThat(preflight.header("Access-Control-Allow-Credentials")).isNull();
	}

	@Test
	void aFhirUpdatePreflightWithAuthorizationAndIfMatchIsAnsweredByTheFilterNotTheFhirServlet() {
		Http.Response preflight = preflight("/fhir/Patient/cors-p1", "PUT", "authorization, content-type, if-match");
		assertThat(preflight.status()).isEqualTo(200);
		assertThat(preflight.header("Access-Control-Allow-Methods")).contains("PUT");
		assertThat(preflight.header("Access-Control-Allow-Headers")).contains("authorization", "if-match");
		assertThat(preflight.body()).isEmpty();
		assertThat(preflight("/.well-known/smart-configuration", "GET", "authorization").status()).isEqualTo(200);
		assertThat(preflight("/app/launch", "GET", null).status()).isEqualTo(200);
	}

	@Test
	void answersAndErrorsCarryTheOriginAndExposeFhirHeaders() {
		Http.Response created = http.send("PUT", "/fhir/Patient/cors-p2",
				"{\"resourceType\":\"Patient\",\"id\":\"cors-p2\"}",
				Map.of("Origin", ORIGIN, "Content-Type", "application/fhir+json"));
		assertThat(created.status()).isIn(200, 201);
		assertThat(created.header("Access-Control-Allow-Origin")).isEqualTo("*");
		assertThat(created.header("Access-Control-Expose-Headers")).contains("Location", "ETag", "Content-Location");
		assertThat(created.header("ETag")).matches("W/\"\\d+\"");
		for (String path : new String[] { "/cds-services", "/cds-services/no-such-service/x",
				"/fhir/Patient/cors-none" }) {
			Http.Response response = http.send("GET", path, null, Map.of("Origin", ORIGIN));
			assertThat(response.header("Access-Control-Allow-Origin")).as(path).isEqualTo("*");
		}
	}

	@Test
	void pathsOutsideTheBrowserEndpointsGetNoCorsHeaders() {
		Http.Response health = http.send("GET", "/actuator/health", null, Map.of("Origin", ORIGIN));
		assertThat(health.header("Access-Control-Allow-Origin")).isNull();
	}

	private Http.Response preflight(String path, String method, String headers) {
		Map<String, String> request = headers == null
				? Map.of("Origin", ORIGIN, "Access-Control-Request-Method", method) : Map.of("Origin", ORIGIN,
						"Access-Control-Request-Method", method, "Access-Control-Request-Headers", headers);
		return http.send("OPTIONS", path, null, request);
	}

}
