package org.critcare.cds.cdshooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.critcare.cds.limits.RequestLimits;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/**
 * A CDS client may only name the {@code fhirServer} bases it is trusted for (issue 12,
 * {@code cds.security.cds-clients[n].fhir-servers}): compared as origin and whole path
 * segments, refused with 400 while the request is parsed, before any connection.
 */
class TrustedFhirServersTests {

	static final Optional<List<String>> TRUSTED = Optional.of(List.of("https://ehr.example/r4"));

	final HookRequestParser parser = new HookRequestParser(new CdsHooksJson(FhirContext.forR4Cached()),
			FhirContext.forR4Cached(), new CdsHooksProperties("en", List.of("en", "ja"), 0, Duration.ZERO),
			new PrefetchParser(FhirContext.forR4Cached(), new RequestLimits(DataSize.ofMegabytes(8), 5000, 500, 100)));

	@Test
	void aFhirServerUnderATrustedBaseIsAccepted() {
		assertThat(parse("https://ehr.example/r4", TRUSTED).call().fhirServer()).isPresent();
		assertThat(parse("https://EHR.example:443/r4/", TRUSTED).call().fhirServer()).isPresent();
	}

	@Test
	void aFhirServerElsewhereIsRefused() {
		for (String server : List.of("https://evil.example/r4", "https://ehr.example/r4x", "http://ehr.example/r4",
				"https://ehr.example:8443/r4", "https://ehr.example/")) {
			assertThatThrownBy(() -> parse(server, TRUSTED)).as(server)
				.isInstanceOfSatisfying(InvalidHookRequestException.class,
						e -> assertThat(e.error()).isEqualTo(CdsHooksError.FHIR_SERVER_NOT_ALLOWED));
		}
	}

	@Test
	void aClientTrustedForNoFhirServerMayNameNone() {
		assertThatThrownBy(() -> parse("https://ehr.example/r4", Optional.of(List.of()))).isInstanceOfSatisfying(
				InvalidHookRequestException.class,
				e -> assertThat(e.error()).isEqualTo(CdsHooksError.FHIR_SERVER_NOT_ALLOWED));
	}

	@Test
	void withSecurityOffAnyFhirServerIsParsed() {
		assertThat(parse("https://anywhere.example/fhir", Optional.empty()).call().fhirServer()).isPresent();
	}

	HookRequest parse(String fhirServer, Optional<List<String>> trusted) {
		String body = """
				{"hook":"patient-view","hookInstance":"0e2c9a3e-8a4f-4b7e-9a51-3f1d2c4b5a6e",
				 "context":{"patientId":"p"},"fhirServer":"%s"}""".formatted(fhirServer);
		return parser.parse("s", body.getBytes(StandardCharsets.UTF_8), null, trusted);
	}

}
