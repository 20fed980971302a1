package org.critcare.cds.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.critcare.cds.support.CdsServerTest;
import org.critcare.cds.support.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * {@code ValueSet/$expand}, {@code ValueSet/$validate-code} and
 * {@code CodeSystem/$lookup} answer for every ValueSet and CodeSystem under
 * {@code fhir-resources/} (issue 11), without Hibernate Search.
 */
@CdsServerTest
class TerminologyIT {

	@LocalServerPort
	int port;

	Http http;

	@BeforeEach
	void client() {
		http = new Http(port);
	}

	@Test
	void everyStoredValueSetExpandsToExactlyTheCodesItsComposeIncludes() throws IOException {
		List<JsonNode> valueSets = resources("ValueSet");
		assertThat(valueSets).hasSizeGreaterThanOrEqualTo(58);
		for (JsonNode valueSet : valueSets) {
			String id = valueSet.path("id").asText();
			Http.Response expanded = http.get("/fhir/ValueSet/" + id + "/$expand");
			assertThat(expanded.status()).as(id + ": " + expanded.body()).isEqualTo(200);
			Set<String> codes = new HashSet<>();
			expanded.json()
				.path("expansion")
				.path("contains")
				.forEach(c -> codes.add(c.path("system").asText() + "|" + c.path("code").asText()));
			assertThat(codes).as(id).isEqualTo(composed(valueSet));
		}
	}

	/**
	 * Codes of the CodeSystems stored here validate; codes of external systems (LOINC,
	 * SNOMED CT, RxNorm), which the server does not hold, get an answer too, never a 5xx.
	 */
	@Test
	void everyComposedCodeOfAStoredCodeSystemValidatesAgainstItsValueSetAndAnUnknownCodeDoesNot() throws IOException {
		Set<String> stored = new HashSet<>();
		resources("CodeSystem").forEach(c -> stored.add(c.path("url").asText()));
		for (JsonNode valueSet : resources("ValueSet")) {
			String url = valueSet.path("url").asText();
			for (String code : composed(valueSet)) {
				String[] parts = code.split("\\|", 2);
				JsonNode result = validate(url, parts[0], parts[1]);
				if (stored.contains(parts[0])) {
					assertThat(result.path("parameter").get(0).path("valueBoolean").asBoolean()).as(url + " " + code)
						.isTrue();
				}
			}
			String system = composed(valueSet).iterator().next().split("\\|")[0];
			assertThat(validate(url, system, "no-such-code").path("parameter").get(0).path("valueBoolean").asBoolean())
				.as(url)
				.isFalse();
		}
	}

	@Test
	void everyConceptOfEveryStoredCodeSystemIsLookedUpWithItsDisplay() throws IOException {
		for (JsonNode codeSystem : resources("CodeSystem")) {
			String system = codeSystem.path("url").asText();
			for (JsonNode concept : codeSystem.path("concept")) {
				Http.Response lookup = http.get("/fhir/CodeSystem/$lookup?system=" + encode(system) + "&code="
						+ encode(concept.path("code").asText()));
				assertThat(lookup.status()).as(system + " " + concept.path("code") + lookup.body()).isEqualTo(200);
				assertThat(parameter(lookup.json(), "display").path("valueString").asText())
					.isEqualTo(concept.path("display").asText());
			}
		}
	}

	private JsonNode validate(String url, String system, String code) {
		Http.Response response = http.get("/fhir/ValueSet/$validate-code?url=" + encode(url) + "&system="
				+ encode(system) + "&code=" + encode(code));
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		assertThat(response.json().path("parameter").get(0).path("name").asText()).isEqualTo("result");
		return response.json();
	}

	private static JsonNode parameter(JsonNode parameters, String name) {
		for (JsonNode parameter : parameters.path("parameter")) {
			if (parameter.path("name").asText().equals(name)) {
				return parameter;
			}
		}
		return MissingNode.getInstance();
	}

	private static Set<String> composed(JsonNode valueSet) {
		Set<String> codes = new HashSet<>();
		for (JsonNode include : valueSet.path("compose").path("include")) {
			include.path("concept")
				.forEach(c -> codes.add(include.path("system").asText() + "|" + c.path("code").asText()));
		}
		return codes;
	}

	private static List<JsonNode> resources(String type) throws IOException {
		List<JsonNode> resources = new ArrayList<>();
		try (Stream<Path> files = Files.list(Path.of("fhir-resources", type))) {
			for (Path file : files.sorted().toList()) {
				resources.add(Http.json(Files.readString(file)));
			}
		}
		return resources;
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
