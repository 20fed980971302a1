package org.critcare.cds.demo;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;

/**
 * The demo data (issue 13): relative times resolve against the loading moment, and the
 * demo Bundles are valid transactions whose references all point into the Bundle.
 */
class DemoDataTests {

	static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

	final ObjectMapper mapper = new ObjectMapper();

	@Test
	void relativeTimesInTimeFieldsBecomeInstantsAndOtherStringsStay() throws IOException {
		JsonNode node = mapper.readTree("""
				{"effectiveDateTime":"-3h","onsetDateTime":"-2d","authoredOn":"0m","period":{"start":"-20m","end":"5m"},
				 "code":"-3h","valueString":"-3h","issued":"2026-01-01T00:00:00Z"}
				""");
		DemoDataLoader.resolveTimes(node, NOW);
		assertThat(node.path("effectiveDateTime").asText()).isEqualTo("2026-12-01T09:00:00Z");
		assertThat(node.path("onsetDateTime").asText()).isEqualTo("2026-11-29T12:00:00Z");
		assertThat(node.path("authoredOn").asText()).isEqualTo("2026-12-01T12:00:00Z");
		assertThat(node.path("period").path("start").asText()).isEqualTo("2026-12-01T11:40:00Z");
		assertThat(node.path("period").path("end").asText()).isEqualTo("2026-12-01T12:05:00Z");
		assertThat(node.path("code").asText()).isEqualTo("-3h");
		assertThat(node.path("valueString").asText()).isEqualTo("-3h");
		assertThat(node.path("issued").asText()).isEqualTo("2026-01-01T00:00:00Z");
	}

	@Test
	void demoPatientsAreATransactionOfThreePatientsWhoseReferencesResolveInside() throws IOException {
		Bundle bundle = bundle("demo/demo-patients.json");
		assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.TRANSACTION);
		Set<String> ids = new HashSet<>();
		bundle.getEntry().forEach(e -> ids.add(e.getRequest().getUrl()));
		assertThat(ids).contains("Patient/demo-sepsis", "Patient/demo-cre", "Patient/demo-bao",
				"MedicationRequest/demo-cre-draft-cefiderocol", "ServiceRequest/demo-bao-draft-stenting");
		var terser = FhirContext.forR4Cached().newTerser();
		List<String> references = bundle.getEntry()
			.stream()
			.flatMap(e -> terser.getAllPopulatedChildElementsOfType(e.getResource(), Reference.class).stream())
			.map(Reference::getReference)
			.filter(r -> r != null && !r.startsWith("PlanDefinition/"))
			.toList();
		assertThat(references).isNotEmpty().allMatch(ids::contains);
	}

	@Test
	void demoFeedbackIsStoredAsFeedbackAuditEventsNamingServiceAndRule() throws IOException {
		Bundle bundle = bundle("demo/demo-feedback.json");
		assertThat(bundle.getEntry()).isNotEmpty().allSatisfy(entry -> {
			var event = (org.hl7.fhir.r4.model.AuditEvent) entry.getResource();
			assertThat(event.getType().getCode()).isEqualTo("card-feedback");
			assertThat(event.getSubtype()).extracting(c -> c.getSystem())
				.contains("http://example.org/cds/CodeSystem/rule-id",
						"http://example.org/cds/CodeSystem/cds-feedback-outcome");
			assertThat(event.getEntityFirstRep().getWhat().getReference()).startsWith("PlanDefinition/");
		});
	}

	private Bundle bundle(String path) throws IOException {
		try (InputStream in = new ClassPathResource(path).getInputStream()) {
			JsonNode json = mapper.readTree(in);
			DemoDataLoader.resolveTimes(json, NOW);
			return FhirContext.forR4Cached().newJsonParser().parseResource(Bundle.class, json.toString());
		}
	}

}
