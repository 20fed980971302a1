package org.critcare.cds.recommendation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.critcare.cds.scenarios.Scenario;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The cre-stewardship rules (CLINICAL-SPEC §5.9 patient-view, §5.10 order-select /
 * order-sign) evaluated in process on the knowledge content as shipped: every public
 * scenario of the service fires its expected rules and none of its forbidden ones
 * (exactly its expected rules when it names every rule of its hook); every own scenario
 * (src/test/resources/scenarios/scenarios-cre-stewardship.json, written from the spec;
 * and cre-stewardship-in-process.json, reference forms a FHIR store rewrites) fires
 * exactly the set of rule ids it lists, with their indicators.
 */
class CreRulesTests {

	static final String SERVICE = "cre-stewardship";

	@TestFactory
	Stream<DynamicTest> publicScenariosFireTheExpectedRulesAndNoForbiddenOne() {
		return Scenario.publicScenarios()
			.stream()
			.filter(s -> s.service().equals(SERVICE))
			.map(s -> DynamicTest.dynamicTest(s.toString(), () -> ScenarioEvaluations.assertFiresAsExpected(s)));
	}

	@TestFactory
	Stream<DynamicTest> ownScenariosFireExactlyTheListedRules() {
		List<Scenario> own = new java.util.ArrayList<>(Scenario.load("/scenarios/scenarios-" + SERVICE + ".json"));
		own.addAll(Scenario.load("/scenarios/" + SERVICE + "-in-process.json"));
		return own.stream().map(s -> DynamicTest.dynamicTest(s.toString(), () -> {
			Map<String, String> fired = fired(s);
			assertThat(fired).as(s.id() + ": " + s.description()).isEqualTo(s.fire());
			assertThat(fired).as(s.id()).doesNotContainKeys(s.notFire().toArray(String[]::new));
		}));
	}

	@TestFactory
	Stream<DynamicTest> everyCardOfEveryScenarioHasAShortSummaryInBothLanguages() {
		return ScenarioEvaluations.scenarios(SERVICE)
			.stream()
			.flatMap(s -> Stream.of("en", "ja").map(language -> DynamicTest.dynamicTest(s.id() + " " + language, () -> {
				List<Recommendation> cards = ScenarioEvaluations.cards(s, language);
				cards.forEach(c -> assertThat(c.summary()).as(s.id() + " " + c.rule().id())
					.hasSizeLessThan(140)
					.doesNotContain("n/a"));
			})));
	}

	private static Map<String, String> fired(Scenario scenario) {
		return ScenarioEvaluations.fired(scenario);
	}

}
