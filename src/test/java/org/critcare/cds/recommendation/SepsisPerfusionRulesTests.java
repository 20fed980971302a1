package org.critcare.cds.recommendation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.critcare.cds.scenarios.Scenario;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The sepsis-perfusion rules (CLINICAL-SPEC §1.4, §1.5, with the data-quality rules of §6
 * and §10) evaluated in process, on the knowledge content as shipped: every public
 * scenario of the service and every scenario of scenarios-sepsis-perfusion.json (the
 * thresholds MAP 49.9 / 50 / 64.9 / 65 and lactate 2.0 / 2.01 / 3.0 / 3.01, the 1 h and 6
 * h windows, statuses, units, derived MAP) fires exactly its expected rules; every card
 * summary is under 140 characters in English and Japanese.
 */
class SepsisPerfusionRulesTests {

	static final String SERVICE = "sepsis-perfusion";

	static final String FLOOR = "SEPTIC-SHOCK-MAP-BELOW-PERMISSIVE-FLOOR";

	static final String BELOW_TARGET = "SEPTIC-SHOCK-MAP-BELOW-TARGET";

	static final String HTN_CAUTION = "SEPTIC-SHOCK-CHRONIC-HTN-MAP-CAUTION";

	static final String CRITERIA_MET = "SEPTIC-SHOCK-CRITERIA-MET";

	static final String TARTARE = "SEPTIC-SHOCK-TARTARE2S-EVIDENCE";

	static final String NO_LACTATE = "SEPSIS-LACTATE-NOT-AVAILABLE";

	@TestFactory
	Stream<DynamicTest> everyScenarioFiresExactlyTheExpectedRules() {
		return ScenarioEvaluations.scenarios(SERVICE)
			.stream()
			.map(s -> DynamicTest.dynamicTest(s.toString(), () -> ScenarioEvaluations.assertFiresAsExpected(s)));
	}

	@Test
	void everyThresholdScenarioNamesAllSixRulesSoItsFiredSetIsCheckedExactly() {
		assertThat(ScenarioEvaluations.ruleIds(SERVICE, "patient-view")).containsExactlyInAnyOrder(FLOOR, BELOW_TARGET,
				HTN_CAUTION, CRITERIA_MET, TARTARE, NO_LACTATE);
		List<Scenario> own = Scenario.load("/scenarios/scenarios-" + SERVICE + ".json");
		assertThat(own).isNotEmpty()
			.allSatisfy(s -> assertThat(ScenarioEvaluations.namesEveryRule(s)).as(s.id()).isTrue());
	}

	@TestFactory
	Stream<DynamicTest> everyCardOfEveryScenarioHasASummaryUnder140CharactersInBothLanguages() {
		return ScenarioEvaluations.scenarios(SERVICE)
			.stream()
			.flatMap(s -> Stream.of("en", "ja").map(language -> DynamicTest.dynamicTest(s.id() + " " + language, () -> {
				List<Recommendation> cards = ScenarioEvaluations.cards(s, language);
				assertThat(cards).extracting(c -> c.rule().id())
					.as(s.id() + " " + language)
					.containsExactlyInAnyOrderElementsOf(ScenarioEvaluations.fired(s).keySet());
				cards.forEach(c -> assertThat(c.summary()).as(s.id() + " " + language + " " + c.rule().id())
					.isNotBlank()
					.hasSizeLessThan(140));
			})));
	}

	@Test
	void septicPatientWithMapJustUnder50GetsTheFloorCardAndAt50TheBelowTargetCardOnly() {
		assertThat(fired("SEP-THR-01")).isEqualTo(Map.of(FLOOR, "critical"));
		assertThat(fired("SEP-THR-02")).isEqualTo(Map.of(BELOW_TARGET, "warning"));
		assertThat(fired("SEP-THR-05")).isEqualTo(Map.of(FLOOR, "critical"));
		assertThat(fired("SEP-THR-06")).isEqualTo(Map.of(BELOW_TARGET, "warning"));
	}

	@Test
	void septicPatientWithMapJustUnder65GetsTheBelowTargetCardAndAt65NoCard() {
		assertThat(fired("SEP-THR-03")).isEqualTo(Map.of(BELOW_TARGET, "warning"));
		assertThat(fired("SEP-THR-04")).isEmpty();
		assertThat(fired("SEP-THR-07")).isEqualTo(Map.of(BELOW_TARGET, "warning"));
		assertThat(fired("SEP-THR-08")).isEmpty();
	}

	@Test
	void septicPatientWhoseOnlyMapIsOlderThanAnHourOrInvalidGetsNoMapCard() {
		assertThat(fired("SEP-THR-10")).isEqualTo(Map.of(BELOW_TARGET, "warning"));
		assertThat(fired("SEP-THR-11")).isEmpty();
		assertThat(fired("SEP-THR-12")).isEmpty();
		assertThat(fired("SEP-THR-21")).isEmpty();
		assertThat(fired("SEP-THR-22")).isEmpty();
	}

	@Test
	void septicPatientWithChronicHypertensionGetsTheCautionOnlyBetween50And65() {
		assertThat(fired("SEP-THR-26")).isEqualTo(Map.of(BELOW_TARGET, "warning", HTN_CAUTION, "info"));
		assertThat(fired("SEP-THR-27")).isEmpty();
		assertThat(fired("SEP-THR-28")).isEqualTo(Map.of(FLOOR, "critical"));
		assertThat(fired("SEP-THR-32")).isEmpty();
	}

	@Test
	void patientOnVasopressorWithoutDocumentedShockGetsTheCriteriaCardAboveLactate2AndTartareAbove3() {
		assertThat(fired("SEP-THR-33")).isEmpty();
		assertThat(fired("SEP-THR-34")).isEqualTo(Map.of(CRITERIA_MET, "warning"));
		assertThat(fired("SEP-THR-35")).isEqualTo(Map.of(CRITERIA_MET, "warning"));
		assertThat(fired("SEP-THR-36")).isEqualTo(Map.of(CRITERIA_MET, "warning", TARTARE, "info"));
	}

	@Test
	void lactateInMgPerDlIsConvertedBeforeTheThresholds() {
		assertThat(fired("SEP-THR-37")).isEmpty();
		assertThat(fired("SEP-THR-38")).isEqualTo(Map.of(CRITERIA_MET, "warning"));
		assertThat(fired("SEP-THR-39")).isEqualTo(Map.of(CRITERIA_MET, "warning"));
		assertThat(fired("SEP-THR-40")).isEqualTo(Map.of(CRITERIA_MET, "warning", TARTARE, "info"));
	}

	@Test
	void patientInShockWithoutAValidLactateInSixHoursGetsTheLactateNotAvailableCard() {
		assertThat(fired("SEP-THR-41")).isEqualTo(Map.of(NO_LACTATE, "info"));
		assertThat(fired("SEP-THR-45")).isEqualTo(Map.of(NO_LACTATE, "info"));
		assertThat(fired("SEP-THR-48")).isEqualTo(Map.of(CRITERIA_MET, "warning", TARTARE, "info"));
		assertThat(fired("SEP-THR-49")).isEqualTo(Map.of(NO_LACTATE, "info"));
		assertThat(fired("SEP-THR-53")).isEqualTo(Map.of(NO_LACTATE, "info"));
	}

	@Test
	void patientWithoutShockContextGetsNoLactateCardWhateverTheLactate() {
		assertThat(fired("SEP-THR-46")).isEmpty();
		assertThat(fired("SEP-THR-47")).isEmpty();
	}

	@Test
	void patientWithDocumentedSepticShockNeverGetsTheCriteriaCard() {
		assertThat(fired("SEP-THR-42")).isEqualTo(Map.of(TARTARE, "info"));
		assertThat(fired("SEP-THR-43")).isEmpty();
		assertThat(fired("SEP-THR-44")).isEmpty();
	}

	private static Map<String, String> fired(String id) {
		return ScenarioEvaluations.fired(ScenarioEvaluations.scenario(SERVICE, id));
	}

}
