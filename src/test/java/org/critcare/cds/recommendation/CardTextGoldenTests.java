package org.critcare.cds.recommendation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.critcare.cds.cdshooks.HookCalls;
import org.critcare.cds.patientdata.PatientData;
import org.critcare.cds.scenarios.Scenario;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.critcare.cds.knowledge.Knowledge;
import org.critcare.cds.knowledge.ServiceDefinition;

/**
 * Golden cards: the whole summary, detail and suggestion texts of every scenario of every
 * service, in English and Japanese, at a fixed evaluation time with times shown in
 * Asia/Tokyo, compared with {@code src/test/resources/golden/cards-<service>.json}; every
 * summary under 140 characters (CDS Hooks 2.0 §Card Attributes). A change of card wording
 * changes the golden file in the same commit, so a reviewer reads the new texts;
 * {@code -Dgolden.write=true} rewrites the files from the knowledge as it is.
 */
class CardTextGoldenTests {

	private static final Instant NOW = Instant.parse("2026-01-15T03:00:00Z");

	private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");

	private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

	private static final List<String> SERVICES = List.of("sepsis-perfusion", "sepsis-adjunct-therapy",
			"bao-rescue-stenting", "cre-stewardship");

	@TestFactory
	Stream<DynamicTest> everyScenarioGivesItsGoldenCardsInEnglishAndJapanese() {
		return SERVICES.stream().map(service -> DynamicTest.dynamicTest(service, () -> assertGolden(service)));
	}

	private static void assertGolden(String service) throws IOException {
		ObjectNode actual = JSON.createObjectNode();
		for (Scenario scenario : ScenarioEvaluations.scenarios(service)) {
			ObjectNode languages = actual.putObject(scenario.id());
			for (String language : List.of("en", "ja")) {
				ArrayNode cards = languages.putArray(language);
				for (Recommendation card : cards(scenario, language)) {
					assertThat(card.summary()).as(scenario.id() + " " + language + " summary").hasSizeLessThan(140);
					ObjectNode node = cards.addObject();
					node.put("rule", card.rule().id());
					node.put("summary", card.summary());
					node.put("detail", card.detail());
					card.suggestions()
						.forEach(s -> node.withArray("suggestions")
							.addObject()
							.put("label", s.label())
							.put("description", s.description()));
				}
			}
		}
		Path golden = Path.of("src/test/resources/golden/cards-" + service + ".json");
		if (Boolean.getBoolean("golden.write")) {
			Files.writeString(golden, JSON.writeValueAsString(actual) + "\n");
		}
		assertThat(JSON.writeValueAsString(actual)).isEqualTo(JSON.writeValueAsString(JSON.readTree(golden.toFile())));
	}

	private static List<Recommendation> cards(Scenario template, String language) {
		Scenario scenario = template.at(NOW);
		HookCall call = HookCalls.of(scenario, language);
		Knowledge knowledge = ScenarioEvaluations.knowledge();
		ServiceDefinition service = knowledge.service(scenario.service()).orElseThrow();
		PatientData data = PatientData.of(scenario.resources(ScenarioEvaluations.FHIR)).withFirst(call.draftOrders());
		Map<String, Object> parameters = new HashMap<>(call.cqlParameters());
		return Recommendations.recommend(knowledge, service, call.hook(), call.patientId(), data, parameters,
				ZonedDateTime.ofInstant(NOW, ZoneOffset.UTC), language, TOKYO);
	}

}
