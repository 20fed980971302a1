package org.critcare.cds.recommendation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * The formulary flag {@code cazAviAvailable} of CLINICAL-SPEC §5.3 item 7 as the setting
 * {@code cds.cre.ceftazidime-avibactam-available}: bound from configuration (default
 * true), passed to the CQL on every call, and changing the wording of the two cards that
 * name ceftazidime-avibactam as an option — never which rules fire.
 */
class CreSiteSettingsTests {

	static final String NOT_ON_FORMULARY = " Ceftazidime-avibactam is not available on this formulary.";

	static final String MBL_ADVICE = "ESCMID/IDSA as cited by MHLW guide. Cefiderocol dose per package insert. "
			+ "Consultation is required by the MHLW notice.";

	static final String NONCP_ADVICE = "Only when other agents cannot be used. Avoid cefiderocol (reserve for MBL). "
			+ "Confirm susceptibility. Imipenem/cilastatin/relebactam: 1.25 g every 6 h, each over 30 min (Table 6).";

	@Test
	void theSettingDefaultsToAvailableAndIsReadFromItsKey() {
		assertThat(bind(Map.of()).ceftazidimeAvibactamAvailable()).isTrue();
		assertThat(bind(Map.of("cds.cre.ceftazidime-avibactam-available", "false")).ceftazidimeAvibactamAvailable())
			.isFalse();
		assertThat(bind(Map.of("cds.cre.ceftazidime-avibactam-available", "true")).cqlParameters())
			.isEqualTo(Map.of("CAZ-AVI Is Available", true));
	}

	@Test
	void anMblCpePatientIsToldCazAviIsNotOnTheFormularyOnlyWhenTheSettingIsFalse() {
		assertThat(advice("CRE-CP-MBL-IMP", "CRE-OPTION-MBL-NOVEL-BETALACTAM", true)).isEqualTo(MBL_ADVICE);
		assertThat(advice("CRE-CP-MBL-IMP", "CRE-OPTION-MBL-NOVEL-BETALACTAM", false))
			.isEqualTo(MBL_ADVICE + NOT_ON_FORMULARY);
	}

	@Test
	void aNonCpCrePatientIsToldCazAviIsNotOnTheFormularyOnlyWhenTheSettingIsFalse() {
		assertThat(advice("CRE-CP-NONCP", "CRE-OPTION-NONCP-NOVEL-BETALACTAM", true)).isEqualTo(NONCP_ADVICE);
		assertThat(advice("CRE-CP-NONCP", "CRE-OPTION-NONCP-NOVEL-BETALACTAM", false))
			.isEqualTo(NONCP_ADVICE + NOT_ON_FORMULARY);
	}

	@Test
	void theSettingChangesNoRuleThatFires() {
		for (String id : List.of("CRE-CP-MBL-IMP", "CRE-CP-NONCP", "PUB-CRE-02", "PUB-CRE-03")) {
			var scenario = ScenarioEvaluations.scenario("cre-stewardship", id);
			assertThat(rules(scenario, false)).as(id).isEqualTo(rules(scenario, true));
		}
	}

	private static List<String> rules(org.critcare.cds.scenarios.Scenario scenario, boolean available) {
		return cards(scenario, available).stream().map(c -> c.rule().id()).toList();
	}

	/** The first paragraph of the card's detail: the advice before the values used. */
	private static String advice(String scenarioId, String rule, boolean available) {
		var scenario = ScenarioEvaluations.scenario("cre-stewardship", scenarioId);
		Recommendation card = cards(scenario, available).stream()
			.filter(c -> c.rule().id().equals(rule))
			.findFirst()
			.orElseThrow(() -> new AssertionError(rule + " did not fire for " + scenarioId));
		return card.detail().substring(0, card.detail().indexOf("\n\n"));
	}

	/**
	 * The cards as a call gets them with the setting: the service adds it to the call's
	 * parameters.
	 */
	private static List<Recommendation> cards(org.critcare.cds.scenarios.Scenario scenario, boolean available) {
		RecommendationService service = new RecommendationService(null, null, Clock.systemUTC(),
				new CreProperties(available), new DisplayProperties(java.time.ZoneId.of("UTC")));
		return ScenarioEvaluations.cards(scenario, "en", service.withSiteParameters(Map.of()));
	}

	private static CreProperties bind(Map<String, String> properties) {
		return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("cds.cre",
				Bindable.of(CreProperties.class));
	}

}
