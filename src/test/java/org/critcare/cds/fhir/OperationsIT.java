package org.critcare.cds.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import org.critcare.cds.support.CdsServerTest;
import org.critcare.cds.support.Http;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * What an operator sees: liveness, readiness and the Prometheus metrics (MetricsIT), and
 * nothing else of actuator (issues 2 and 14).
 */
@CdsServerTest
class OperationsIT {

	@LocalServerPort
	int port;

	@Test
	void livenessAndReadinessAreUpOnceTheContentIsLoaded() {
		Http http = new Http(port);
		assertThat(http.get("/actuator/health/liveness").json().path("status").asText()).isEqualTo("UP");
		assertThat(http.get("/actuator/health/readiness").json().path("status").asText()).isEqualTo("UP");
		assertThat(http.get("/cds-services").json().findValuesAsText("id")).contains("sepsis-perfusion");
	}

	@Test
	void noOtherActuatorEndpointIsExposed() {
		Http http = new Http(port);
		for (String endpoint : new String[] { "env", "beans", "metrics", "configprops", "heapdump", "loggers" }) {
			assertThat(http.get("/actuator/" + endpoint).status()).as(endpoint).isEqualTo(404);
		}
	}

}
