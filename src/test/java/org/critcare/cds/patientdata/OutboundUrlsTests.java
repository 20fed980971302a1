package org.critcare.cds.patientdata;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutboundUrlsTests {

	@Test
	void urlsWithUserInformationOrOtherSchemesAreNotReadable() {
		assertThat(OutboundUrls.parse("http://localhost@127.0.0.1:8080/fhir")).isNull();
		assertThat(OutboundUrls.parse("http://a:b@ehr.example.org/fhir")).isNull();
		assertThat(OutboundUrls.parse("file:///etc/passwd")).isNull();
		assertThat(OutboundUrls.parse("ftp://ehr/fhir")).isNull();
		assertThat(OutboundUrls.parse("/fhir")).isNull();
		assertThat(OutboundUrls.parse("https://EHR.example.org/fhir"))
			.isEqualTo(URI.create("https://EHR.example.org/fhir"));
	}

	@Test
	void allowedBasesAreComparedAsOriginsAndWholePathSegments() {
		List<String> allowed = List.of("https://ehr.example.org/fhir");
		assertThat(OutboundUrls.isAllowed(URI.create("https://EHR.example.org:443/fhir/"), allowed)).isTrue();
		assertThat(OutboundUrls.isAllowed(URI.create("https://ehr.example.org/fhir/r4"), allowed)).isTrue();
		assertThat(OutboundUrls.isAllowed(URI.create("https://ehr.example.org/fhirx"), allowed)).isFalse();
		assertThat(OutboundUrls.isAllowed(URI.create("https://ehr.example.org.evil.test/fhir"), allowed)).isFalse();
		assertThat(OutboundUrls.isAllowed(URI.create("http://ehr.example.org/fhir"), allowed)).isFalse();
		assertThat(OutboundUrls.isAllowed(URI.create("https://ehr.example.org:8443/fhir"), allowed)).isFalse();
		assertThat(OutboundUrls.isAllowed(URI.create("https://other.example.org/fhir"), List.of())).isTrue();
	}

	@Test
	void aLinkIsUnderItsBaseOnlyOnTheSameOriginAndPath() {
		URI base = URI.create("http://127.0.0.1:9000/fhir");
		assertThat(OutboundUrls.isUnder(URI.create("http://127.0.0.1:9000/fhir?_getpages=x"), base)).isTrue();
		assertThat(OutboundUrls.isUnder(URI.create("http://127.0.0.1:9000/fhir/Observation?page=2"), base)).isTrue();
		assertThat(OutboundUrls.isUnder(URI.create("http://127.0.0.1:9001/fhir/Observation"), base)).isFalse();
		assertThat(OutboundUrls.isUnder(URI.create("http://localhost:9000/fhir/Observation"), base)).isFalse();
		assertThat(OutboundUrls.isUnder(URI.create("http://127.0.0.1:9000/other"), base)).isFalse();
	}

}
