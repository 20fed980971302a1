package org.critcare.cds.content;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Base64;
import java.util.List;
import org.critcare.cds.support.CdsServerTest;
import org.critcare.cds.support.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The loaded knowledge is findable over {@code /fhir} (issue 3): Evidence by title or
 * topic, a PlanDefinition by url, ValueSet {@code $expand}, CodeSystem {@code $lookup} of
 * a rule id, and the CQL Libraries with their CQL, ELM and data requirements.
 */
@CdsServerTest
class KnowledgeSearchIT {

	@LocalServerPort
	int port;

	Http http;

	@BeforeEach
	void client() {
		http = new Http(port);
	}

	@Test
	void evidenceIsFoundByTitleAndByTopic() {
		assertThat(ids("/fhir/Evidence?title=TARTARE")).containsExactly("tartare-2s");
		assertThat(ids("/fhir/Evidence?title:contains=IVIgG")).contains("jseptic-dic-ivig");
		assertThat(ids("/fhir/Evidence?topic=http://snomed.info/sct%7C76571007")).contains("tartare-2s");
	}

	@Test
	void everyServicePlanDefinitionIsFoundByUrl() {
		for (String service : List.of("sepsis-perfusion", "sepsis-adjunct-therapy", "bao-rescue-stenting",
				"cre-stewardship")) {
			assertThat(ids("/fhir/PlanDefinition?url=http://example.org/cds/PlanDefinition/" + service))
				.containsExactly(service);
		}
	}

	@Test
	void aValueSetExpandsToItsCodes() {
		JsonNode expansion = http.get("/fhir/ValueSet/lactate/$expand").json().path("expansion");
		assertThat(expansion.findValuesAsText("code")).containsExactlyInAnyOrder("2518-9", "2519-7", "2524-7",
				"32693-4", "14118-4", "59032-3");
	}

	@Test
	void aRuleIdIsLookedUpInTheRuleCodeSystem() {
		JsonNode lookup = http
			.get("/fhir/CodeSystem/$lookup?system=http://example.org/cds/CodeSystem/rule-id"
					+ "&code=SEPTIC-SHOCK-MAP-BELOW-TARGET")
			.json();
		String display = null;
		for (JsonNode parameter : lookup.path("parameter")) {
			if (parameter.path("name").asText().equals("display")) {
				display = parameter.path("valueString").asText();
			}
		}
		assertThat(display).isEqualTo("MAP below the usual 65 mmHg target in sepsis");
	}

	@Test
	void theCqlLibrariesCarryCqlElmAndDataRequirements() {
		JsonNode library = http.get("/fhir/Library/SepsisPerfusion").json();
		assertThat(library.path("url").asText()).isEqualTo("http://example.org/cds/Library/SepsisPerfusion");
		assertThat(library.path("version").asText()).isEqualTo("1.0.0");
		assertThat(library.path("content").findValuesAsText("contentType")).containsExactly("text/cql",
				"application/elm+json");
		String cql = new String(Base64.getDecoder().decode(library.path("content").get(0).path("data").asText()));
		assertThat(cql).contains("library SepsisPerfusion version '1.0.0'").contains("define \"MAP Below Target\"");
		String elm = new String(Base64.getDecoder().decode(library.path("content").get(1).path("data").asText()));
		assertThat(Http.json(elm).path("library").path("identifier").path("id").asText()).isEqualTo("SepsisPerfusion");
		assertThat(library.path("dataRequirement").findValuesAsText("type")).contains("Observation", "Condition",
				"MedicationAdministration");
		assertThat(ids("/fhir/Library?name=FHIRHelpers")).containsExactly("FHIRHelpers");
	}

	private List<String> ids(String search) {
		JsonNode bundle = http.get(search).json();
		assertThat(bundle.path("resourceType").asText()).as(bundle.toString()).isEqualTo("Bundle");
		List<String> ids = new java.util.ArrayList<>();
		bundle.path("entry").forEach(e -> ids.add(e.path("resource").path("id").asText()));
		return ids;
	}

}
