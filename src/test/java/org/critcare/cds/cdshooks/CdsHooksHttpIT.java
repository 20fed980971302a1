package org.critcare.cds.cdshooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.critcare.cds.support.Fhir.patientView;

import java.util.Map;
import org.critcare.cds.support.CdsServerTest;
import org.critcare.cds.support.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Every answer of {@code /cds-services} has the error shape of CONTRACT "Errors" (issue
 * 11): unknown paths, other methods, Accept headers without JSON, bodies that are not
 * {@code application/json} or are too large. Codes and statuses come from
 * {@link CdsHooksError}.
 */
@CdsServerTest
class CdsHooksHttpIT {

	static final String SERVICE = "/cds-services/sepsis-perfusion";

	@LocalServerPort
	int port;

	Http http;

	@BeforeEach
	void client() {
		http = new Http(port);
	}

	@Test
	void anUnknownPathUnderCdsServicesIs404InTheErrorShape() {
		assertError(http.get("/cds-services/sepsis-perfusion/no/such/path"), CdsHooksError.NOT_FOUND);
		assertError(http.send("POST", "/cds-services/sepsis-perfusion/feedback/extra", "{}", json()),
				CdsHooksError.NOT_FOUND);
	}

	@Test
	void otherMethodsThanTheProtocolsAre405InTheErrorShape() {
		assertError(http.get(SERVICE), CdsHooksError.METHOD_NOT_ALLOWED);
		assertError(http.get(SERVICE + "/feedback"), CdsHooksError.METHOD_NOT_ALLOWED);
		assertError(http.send("PUT", SERVICE, patientView("p"), json()), CdsHooksError.METHOD_NOT_ALLOWED);
		assertError(http.send("DELETE", "/cds-services", null, Map.of()), CdsHooksError.METHOD_NOT_ALLOWED);
		assertError(http.post("/cds-services", "{}", json()), CdsHooksError.METHOD_NOT_ALLOWED);
	}

	@Test
	void anAcceptHeaderWithoutJsonIs406InJson() {
		Map<String, String> xml = Map.of("Accept", "application/xml");
		assertError(http.send("GET", "/cds-services", null, xml), CdsHooksError.NOT_ACCEPTABLE);
		assertError(
				http.send("POST", SERVICE, patientView("p"),
						Map.of("Accept", "application/xml", "Content-Type", "application/json")),
				CdsHooksError.NOT_ACCEPTABLE);
		assertThat(http.send("GET", "/cds-services", null, Map.of("Accept", "*/*")).status()).isEqualTo(200);
		assertThat(http.send("GET", "/cds-services", null, Map.of("Accept", "text/html, application/*;q=0.8")).status())
			.isEqualTo(200);
	}

	@Test
	void aServiceCallOrFeedbackThatIsNotApplicationJsonIs415() {
		for (String type : new String[] { "text/plain", "application/x-www-form-urlencoded", "multipart/form-data",
				"application/json; charset=bogus", "application/json; charset=iso-8859-1", "*/*",
				"application/json, text/plain", "application/fhir+json", ";;", "json" }) {
			assertError(http.post(SERVICE, patientView("p"), Map.of("Content-Type", type)),
					CdsHooksError.UNSUPPORTED_MEDIA_TYPE);
			assertError(http.post(SERVICE + "/feedback", "{\"feedback\":[]}", Map.of("Content-Type", type)),
					CdsHooksError.UNSUPPORTED_MEDIA_TYPE);
		}
		assertError(http.send("POST", SERVICE, patientView("p"), Map.of()), CdsHooksError.UNSUPPORTED_MEDIA_TYPE);
	}

	@Test
	void applicationJsonWithOrWithoutUtf8CharsetIsAccepted() {
		for (String type : new String[] { "application/json", "application/json; charset=utf-8",
				"Application/JSON;charset=\"UTF-8\"" }) {
			assertThat(http
				.post(SERVICE,
						patientView("http-no-data",
								"\"prefetch\":{\"patient\":null,"
										+ "\"condition\":null,\"observation\":null,\"medicationAdministration\":null}"),
						Map.of("Content-Type", type))
				.status()).as(type).isEqualTo(200);
		}
	}

	@Test
	void aBodyOverTheLimitIs413() {
		// the test server's limit is 1 MB
		String huge = "{\"hook\":\"patient-view\",\"padding\":\"" + "x".repeat(1200 * 1024) + "\"}";
		assertError(http.post(SERVICE, huge, json()), CdsHooksError.PAYLOAD_TOO_LARGE);
	}

	@Test
	void discoveryAndCallsAnswerApplicationJson() {
		assertThat(http.get("/cds-services").header("Content-Type")).startsWith("application/json");
		assertThat(http.post(SERVICE, "{", json()).header("Content-Type")).startsWith("application/json");
	}

	static void assertError(Http.Response response, CdsHooksError error) {
		assertThat(response.status()).as(response.body()).isEqualTo(error.status().value());
		assertThat(response.header("Content-Type")).startsWith("application/json");
		assertThat(response.json()).as(response.body()).isNotNull();
		assertThat(response.json().path("error").asText()).isEqualTo(error.name());
		assertThat(response.json().path("message").asText()).isNotBlank()
			.doesNotContain("Exception")
			.doesNotContain("\tat ");
		assertThat(response.json().size()).isEqualTo(2);
	}

	private static Map<String, String> json() {
		return Map.of("Content-Type", "application/json");
	}

}
