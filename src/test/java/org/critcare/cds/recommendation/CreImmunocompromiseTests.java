package org.critcare.cds.recommendation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Table 7 criterion I from antineoplastic MedicationAdministrations (CLINICAL-SPEC §5.7
 * I, §10.2, §10.3): an administration tagged antineoplastic (or of a medication in
 * ValueSet antineoplastic-medications), in progress or completed within 183 days, makes a
 * non-urinary CRE infection severe; the scenarios SEV-ANTINEOPLASTIC-* of
 * scenarios-cre-stewardship.json show it firing, its near misses and the window. Here:
 * the prefetch stays narrow — administrations are searched by tag and by code, never all
 * of them.
 */
class CreImmunocompromiseTests {

	static final String LOCAL = "http://example.org/cds/CodeSystem/local";

	@Test
	void theCreServiceSearchesAdministrationsByTheAntineoplasticTagAndByCodeOnly() {
		Map<String, String> prefetch = ScenarioEvaluations.knowledge()
			.service("cre-stewardship")
			.orElseThrow()
			.prefetch();
		assertThat(prefetch).containsEntry("medicationAdministrationByTag",
				"MedicationAdministration?patient={{context.patientId}}&_tag=" + LOCAL + "|antineoplastic");
		String byCode = prefetch.get("medicationAdministration");
		String prefix = "MedicationAdministration?patient={{context.patientId}}&code=";
		assertThat(byCode).startsWith(prefix);
		assertThat(List.of(byCode.substring(prefix.length()).split(","))).contains(LOCAL + "|antineoplastic",
				LOCAL + "|rituximab", "http://www.nlm.nih.gov/research/umls/rxnorm|121191");
	}

	@Test
	void theAntineoplasticScenariosGiveTheSeverityTheSpecDefines() {
		Map<String, Boolean> severe = Map.of("SEV-ANTINEOPLASTIC", true, "SEV-ANTINEOPLASTIC-IN-PROGRESS", true,
				"SEV-ANTINEOPLASTIC-BY-CODE", true, "SEV-ANTINEOPLASTIC-OLD", false, "SEV-ANTINEOPLASTIC-NOT-DONE",
				false, "SEV-ANTINEOPLASTIC-UNTAGGED", false);
		severe.forEach((id, isSevere) -> {
			Map<String, String> fired = ScenarioEvaluations.fired(ScenarioEvaluations.scenario("cre-stewardship", id));
			assertThat(fired).as(id)
				.containsOnlyKeys(isSevere ? "CRE-OPTION-SEVERE-COMBINATION" : "CRE-OPTION-NONBETALACTAM-MONOTHERAPY");
		});
	}

}
