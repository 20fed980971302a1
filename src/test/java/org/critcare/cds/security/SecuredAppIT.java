package org.critcare.cds.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.critcare.cds.support.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The SMART app with security on (issues 12 and 13): its files and settings load without
 * a token (the SMART launch gets one), its rule-fire counts need a SMART access token as
 * {@code /fhir} does.
 */
class SecuredAppIT extends SecuredServer {

	@LocalServerPort
	int port;

	Http http;

	@BeforeEach
	void client() {
		http = new Http(port);
	}

	@Test
	void theAppAndItsSettingsLoadWithoutAToken() {
		assertThat(http.get("/app/").status()).isEqualTo(200);
		assertThat(http.get("/app/launch.html").status()).isEqualTo(200);
		assertThat(http.get("/app/api/config").status()).isEqualTo(200);
	}

	@Test
	void ruleFiresNeedAValidSmartAccessToken() {
		String today = LocalDate.now().toString();
		String path = "/app/api/rule-fires?from=" + today + "&to=" + today;
		assertThat(get(http, path, null).status()).isEqualTo(401);
		assertThat(get(http, path, "not-a-jwt").status()).isEqualTo(401);
		assertThat(get(http, path, accessToken("user/AuditEvent.rs", null)).status()).isEqualTo(200);
	}

}
