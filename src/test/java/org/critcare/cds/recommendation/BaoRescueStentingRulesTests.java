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
 * The bao-rescue-stenting rules (CLINICAL-SPEC §3.3) evaluated in process, on the
 * knowledge content as shipped: every public scenario of the service and every scenario
 * of scenarios-bao-rescue-stenting.json fires exactly its expected rules (never more than
 * one of the three); the cards say what the spec says, in English and Japanese.
 */
class BaoRescueStentingRulesTests {

	static final String SERVICE = "bao-rescue-stenting";

	static final String HARM = "BAO-RAS-NON-ATHEROSCLEROTIC-HARM-SIGNAL";

	static final String UNCERTAIN = "BAO-RAS-ATHEROSCLEROTIC-UNCERTAIN-BENEFIT";

	static final String UNDETERMINED = "BAO-RAS-ETIOLOGY-UNDETERMINED";

	@TestFactory
	Stream<DynamicTest> everyScenarioFiresExactlyTheExpectedRules() {
		return ScenarioEvaluations.scenarios(SERVICE).stream().map(s -> DynamicTest.dynamicTest(s.toString(), () -> {
			Map<String, String> fired = ScenarioEvaluations.fired(s);
			assertThat(fired).as(s.id()).isEqualTo(s.fire());
			assertThat(fired).as(s.id() + ": exactly one rule or none").hasSizeLessThanOrEqualTo(1);
		}));
	}

	@Test
	void unrecognisedOrMissingAetiologyCountsAsUndetermined() {
		assertThat(fired("OWN-BAO-01")).isEqualTo(Map.of(UNDETERMINED, "info"));
		assertThat(fired("OWN-BAO-02")).isEqualTo(Map.of(UNDETERMINED, "info"));
		assertThat(fired("OWN-BAO-03")).isEqualTo(Map.of(UNDETERMINED, "info"));
		assertThat(fired("OWN-BAO-04")).isEqualTo(Map.of(UNDETERMINED, "info"));
	}

	@Test
	void withoutARasDraftOrABaoConditionOrWhenTheRasDraftIsOnlyACoOrderNothingFires() {
		assertThat(fired("OWN-BAO-05")).isEmpty();
		assertThat(fired("OWN-BAO-06")).isEmpty();
		assertThat(fired("OWN-BAO-07")).isEmpty();
		assertThat(fired("OWN-BAO-20")).isEmpty();
	}

	@Test
	void theLatestValidAetiologyDecides() {
		assertThat(fired("OWN-BAO-08")).isEqualTo(Map.of(HARM, "warning"));
		assertThat(fired("OWN-BAO-09")).isEqualTo(Map.of(UNCERTAIN, "info"));
		assertThat(fired("OWN-BAO-12")).isEqualTo(Map.of(HARM, "warning"));
		assertThat(fired("OWN-BAO-13")).isEqualTo(Map.of(UNCERTAIN, "info"));
		assertThat(fired("OWN-BAO-14")).isEqualTo(Map.of(HARM, "warning"));
	}

	@Test
	void nonAtheroscleroticBaoWithStentingOrderedGetsTheHarmSignalInEnglishAndJapanese() {
		Scenario scenario = ScenarioEvaluations.scenario(SERVICE, "PUB-BAO-01");
		Recommendation en = only(ScenarioEvaluations.cards(scenario, "en"));
		assertThat(en.rule().id()).isEqualTo(HARM);
		assertThat(en.summary()).isEqualTo("Non-atherosclerotic BAO: rescue angioplasty/stenting was linked to worse "
				+ "90-day function in an ATTENTION post-hoc analysis.");
		assertThat(en.detail()).matches("\\QPost-hoc (n=221; RAS 104): recanalization higher but 90-day mRS 0–3 "
				+ "worse with RAS in non-atherosclerotic BAO. Balloon vs stent no clear difference. Observational; "
				+ "weigh individually.\n\n**Values used**\n\n- Ordered: Rescue intracranial stenting\n"
				+ "- BAO aetiology: non-atherosclerotic, recorded \\E\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC");
		assertThat(en.sources()).extracting(RuleSource::label).containsExactly("ATTENTION post-hoc (2025)");
		Recommendation ja = only(ScenarioEvaluations.cards(scenario, "ja"));
		assertThat(ja.summary()).isEqualTo("非動脈硬化性BAO：ATTENTION試験の事後解析で、救済的血管形成術/ステント留置は90日後の機能予後悪化と関連していました。");
		assertThat(ja.detail()).matches("(?s).*\\Q**使用した値**\n\n- 指示：Rescue intracranial stenting\n"
				+ "- BAOの病因：non-atherosclerotic（\\E\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC記録）");
	}

	@Test
	void missingAetiologyCardSaysNotDocumentedAndAnUnrecognisedOneSaysHowItCounted() {
		Recommendation missing = only(
				ScenarioEvaluations.cards(ScenarioEvaluations.scenario(SERVICE, "OWN-BAO-02"), "en"));
		assertThat(missing.summary()).isEqualTo("BAO aetiology not documented. RAS effect differed by aetiology "
				+ "(possible harm if non-atherosclerotic).");
		assertThat(missing.detail()).isEqualTo("Overall, RAS did not improve 90-day mRS 0–3 and the share achieving "
				+ "it was lower; harm signal in non-atherosclerotic cases. Document aetiology.\n\n**Values used**\n\n"
				+ "- Ordered: Rescue intracranial stenting\n- BAO aetiology: not documented");
		Recommendation unrecognised = only(
				ScenarioEvaluations.cards(ScenarioEvaluations.scenario(SERVICE, "OWN-BAO-03"), "en"));
		assertThat(unrecognised.detail()).matches("(?s).*\\Q- BAO aetiology: embolic (not a recognised value; "
				+ "counted as undetermined), recorded \\E.*");
		Recommendation text = only(
				ScenarioEvaluations.cards(ScenarioEvaluations.scenario(SERVICE, "OWN-BAO-21"), "en"));
		assertThat(text.rule().id()).isEqualTo(UNDETERMINED);
		assertThat(text.detail()).matches("(?s).*\\Q- BAO aetiology: atherosclerotic (not a recognised value; "
				+ "counted as undetermined), recorded \\E.*");
	}

	@Test
	void twoRasDraftsMakeOneCardNamingBoth() {
		Recommendation card = only(
				ScenarioEvaluations.cards(ScenarioEvaluations.scenario(SERVICE, "OWN-BAO-17"), "en"));
		assertThat(card.rule().id()).isEqualTo(UNCERTAIN);
		assertThat(card.detail()).contains("- Ordered: Rescue balloon angioplasty, Rescue intracranial stenting\n");
	}

	private static Map<String, String> fired(String id) {
		return ScenarioEvaluations.fired(ScenarioEvaluations.scenario(SERVICE, id));
	}

	private static Recommendation only(List<Recommendation> cards) {
		assertThat(cards).hasSize(1);
		return cards.get(0);
	}

}
