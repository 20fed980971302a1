package org.critcare.cds.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.stream.Stream;
import org.critcare.cds.support.CdsServerTest;
import org.critcare.cds.support.Http;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Japanese cards for every public scenario (issue 13): with {@code Accept-Language: ja}
 * the same rules fire with the same indicators as in English, every summary is under 140
 * characters and is Japanese (not the English text), and the scenario's expectations
 * hold.
 */
@CdsServerTest
class JapaneseCardsIT {

	@LocalServerPort
	int port;

	@TestFactory
	Stream<DynamicTest> everyPublicScenarioAnswersInJapaneseWithTheSameRulesAndIndicators() {
		ScenarioRunner runner = new ScenarioRunner(new Http(port));
		return Scenario.publicScenarios()
			.stream()
			.map(s -> DynamicTest.dynamicTest(s.id() + " [ja] " + s.description(), () -> {
				ScenarioRunner.Answer english = runner.cards(s, "en");
				ScenarioRunner.Answer japanese = runner.cards(s, "ja");
				assertThat(japanese.problems()).as(s.id()).isEmpty();
				assertThat(rulesAndIndicators(japanese.cards())).isEqualTo(rulesAndIndicators(english.cards()));
				for (int i = 0; i < japanese.cards().size(); i++) {
					String summary = japanese.cards().get(i).path("summary").asText();
					assertThat(summary.length()).as(summary).isLessThan(140);
					assertThat(summary).as("Japanese script in " + summary)
						.containsPattern("[\\p{IsHiragana}\\p{IsKatakana}\\p{IsHan}]");
					assertThat(summary).isNotEqualTo(english.cards().get(i).path("summary").asText());
				}
			}));
	}

	private static List<String> rulesAndIndicators(List<JsonNode> cards) {
		return cards.stream()
			.map(c -> c.path("source").path("topic").path("code").asText() + " " + c.path("indicator").asText())
			.toList();
	}

}
