package org.critcare.cds.recommendation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.critcare.cds.scenarios.Scenario;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.critcare.cds.knowledge.RuleSource;

/**
 * The sepsis-adjunct-therapy rules (CLINICAL-SPEC §2.3, §4.3) evaluated in process, on
 * the knowledge content as shipped: every public scenario of the service and every
 * scenario of scenarios-sepsis-adjunct-therapy.json fires exactly its expected rules; the
 * cards say what the spec says, in English and Japanese.
 */
class SepsisAdjunctTherapyRulesTests {

	static final String SERVICE = "sepsis-adjunct-therapy";

	static final String IVIG = "IVIG-SEPSIS-NO-MORTALITY-BENEFIT";

	static final String TM_SEPTIC_DIC = "THROMBOMODULIN-SEPSIS-DIC-PRELIMINARY";

	static final String TM_NO_DIC = "THROMBOMODULIN-NO-DIC-DOCUMENTED";

	@TestFactory
	Stream<DynamicTest> everyScenarioFiresExactlyTheExpectedRules() {
		return ScenarioEvaluations.scenarios(SERVICE)
			.stream()
			.map(s -> DynamicTest.dynamicTest(s.toString(),
					() -> assertThat(ScenarioEvaluations.fired(s)).as(s.id()).isEqualTo(s.fire())));
	}

	@Test
	void orderSelectEvaluatesOnlyTheSelectedDraftAndOrderSignEveryDraft() {
		// IVIG and thrombomodulin alfa drafted together for a septic patient without DIC
		assertThat(fired("OWN-ADJ-01")).isEqualTo(Map.of(IVIG, "warning"));
		assertThat(fired("OWN-ADJ-02")).isEqualTo(Map.of(IVIG, "warning", TM_NO_DIC, "warning"));
		assertThat(fired("OWN-ADJ-03")).isEqualTo(Map.of(TM_SEPTIC_DIC, "info"));
		assertThat(fired("OWN-ADJ-04")).isEmpty();
	}

	@Test
	void thrombomodulinWithDicButNoSepsisFiresNothingAndWithoutDicWarnsWhetherOrNotSepsis() {
		assertThat(fired("OWN-ADJ-05")).isEmpty();
		assertThat(fired("OWN-ADJ-06")).isEqualTo(Map.of(TM_NO_DIC, "warning"));
		assertThat(fired("PUB-ADJ-03")).isEqualTo(Map.of(TM_NO_DIC, "warning"));
	}

	@Test
	void patientInSepticShockOrderedIvigGetsTheJsepticDicCardInEnglishAndJapanese() {
		Scenario scenario = ScenarioEvaluations.scenario(SERVICE, "PUB-ADJ-01");
		Recommendation en = only(ScenarioEvaluations.cards(scenario, "en"));
		assertThat(en.rule().id()).isEqualTo(IVIG);
		assertThat(en.summary()).isEqualTo("IVIG for sepsis: no ICU or hospital mortality benefit in a large Japanese "
				+ "cohort (adjusted OR 0.883, 95% CI 0.655–1.192).");
		assertThat(en.detail()).isEqualTo("JSEPTIC-DIC (653 matched pairs): IVIgG not associated with lower ICU or "
				+ "in-hospital mortality (OR 0.957, 0.724–1.265); high-quality RCTs also neutral; SSC 2016 suggests "
				+ "against. Costly blood product, anaphylaxis risk. Check for a non-sepsis indication.\n\n"
				+ "**Values used**\n\n- Ordered: immune globulin IV (IVIgG)\n- Sepsis diagnosis: Septic shock");
		assertThat(en.sources()).extracting(RuleSource::label)
			.containsExactly("JSEPTIC-DIC IVIgG cohort (Iizuka 2020)");
		Recommendation ja = only(ScenarioEvaluations.cards(scenario, "ja"));
		assertThat(ja.summary())
			.isEqualTo("敗血症に対するIVIG：国内の大規模コホートでICU死亡・院内死亡の低下はみられませんでした" + "（調整オッズ比0.883、95%信頼区間0.655–1.192）。");
		assertThat(ja.detail()).endsWith("**使用した値**\n\n- 指示：immune globulin IV (IVIgG)\n- 敗血症の診断：Septic shock");
	}

	@Test
	void patientWithSepticDicSelectingThrombomodulinGetsThePreliminaryTrialNumbersOnly() {
		Recommendation card = only(
				ScenarioEvaluations.cards(ScenarioEvaluations.scenario(SERVICE, "PUB-ADJ-02"), "en"));
		assertThat(card.rule().id()).isEqualTo(TM_SEPTIC_DIC);
		assertThat(card.summary())
			.isEqualTo("Thrombomodulin alfa in septic DIC: only small preliminary data (DIC score "
					+ "improved; no 28-day mortality benefit shown).");
		// the trial's own numbers, never the IVIgG study's covariate ORs (0.779, 0.656)
		assertThat(card.detail()).isEqualTo("Preliminary trial (18 vs 24 enrolled; 21-patient analysis): DIC score "
				+ "5→3, SOFA 12→8 by day 10; 28-day mortality 46.9%, no significant 28-day improvement; no major "
				+ "bleeding seen. Efficacy unproven.\n\n**Values used**\n\n"
				+ "- Ordered: thrombomodulin alfa (recombinant)\n- DIC diagnosis: Disseminated intravascular coagulation\n"
				+ "- Sepsis diagnosis: Sepsis");
		assertThat(card.sources()).extracting(RuleSource::label).containsExactly("rTM grant report (preliminary)");
	}

	@Test
	void patientWithSepsisButNoDicOrderingThrombomodulinGetsTheNoDicWarning() {
		Recommendation card = only(
				ScenarioEvaluations.cards(ScenarioEvaluations.scenario(SERVICE, "PUB-ADJ-03"), "en"));
		assertThat(card.summary()).isEqualTo(
				"Thrombomodulin alfa ordered but no DIC diagnosis is documented; it is approved in Japan for DIC.");
		assertThat(card.detail()).isEqualTo("The seed describes thrombomodulin alfa as approved for DIC, and the "
				+ "available sepsis data concern sepsis-induced DIC only. Document DIC (e.g. JAAM score) or reconsider."
				+ "\n\n**Values used**\n\n- Ordered: thrombomodulin alfa (recombinant)\n"
				+ "- No valid DIC Condition (DIC or sepsis-induced DIC) on record");
	}

	@Test
	void twoIvigDraftsMakeOneCardNamingTheOrder() {
		List<Recommendation> cards = ScenarioEvaluations.cards(ScenarioEvaluations.scenario(SERVICE, "OWN-ADJ-15"),
				"en");
		assertThat(cards).extracting(c -> c.rule().id()).containsExactly(IVIG);
	}

	@Test
	void ivigGivenByAMedicationElsewhereInTheRequestIsRecognised() {
		assertThat(fired("OWN-ADJ-16")).isEqualTo(Map.of(IVIG, "warning"));
		assertThat(fired("OWN-ADJ-17")).isEqualTo(Map.of(TM_NO_DIC, "warning"));
	}

	private static Map<String, String> fired(String id) {
		return ScenarioEvaluations.fired(ScenarioEvaluations.scenario(SERVICE, id));
	}

	private static Recommendation only(List<Recommendation> cards) {
		assertThat(cards).hasSize(1);
		return cards.get(0);
	}

}
