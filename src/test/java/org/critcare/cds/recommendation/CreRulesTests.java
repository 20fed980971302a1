package org.critcare.cds.recommendation;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.critcare.cds.content.ContentFiles;
import org.critcare.cds.cql.CqlCompiler;
import org.critcare.cds.patientdata.PatientData;
import org.critcare.cds.scenarios.Scenario;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The cre-stewardship rules (CLINICAL-SPEC §5.9, §5.10) evaluated in process, on the
 * knowledge content as shipped: the public scenarios of the service (expected and
 * forbidden rules) and the own scenarios written from the spec (the exact set of rule
 * ids).
 */
class CreRulesTests {

	static final FhirContext FHIR = FhirContext.forR4Cached();

	static Knowledge knowledge;

	@BeforeAll
	static void loadKnowledge() {
		var resources = new ContentFiles(FHIR, new CqlCompiler()).read(Path.of("fhir-resources"), Path.of("cql"),
				"http://example.org/cds/");
		knowledge = new KnowledgeBuilder(new CqlCompiler(), FHIR).build(KnowledgeResources.of(resources, FHIR));
	}

	@TestFactory
	Stream<DynamicTest> publicPatientViewScenariosFireTheExpectedRules() {
		return Scenario.publicScenarios()
			.stream()
			.filter(s -> s.service().equals("cre-stewardship") && s.hook().equals("patient-view"))
			.map(s -> DynamicTest.dynamicTest(s.toString(), () -> {
				Map<String, String> fired = fire(s);
				assertThat(fired).containsAllEntriesOf(s.fire());
				assertThat(fired).doesNotContainKeys(s.notFire().toArray(String[]::new));
			}));
	}

	@TestFactory
	Stream<DynamicTest> ownPatientViewScenariosFireExactlyTheExpectedRules() {
		return Scenario.load("/scenarios/scenarios-cre-patient-view.json")
			.stream()
			.map(s -> DynamicTest.dynamicTest(s.toString(), () -> {
				Map<String, String> fired = fire(s);
				assertThat(fired).as(s.id()).isEqualTo(s.fire());
				assertThat(fired).doesNotContainKeys(s.notFire().toArray(String[]::new));
			}));
	}

	static Map<String, String> fire(Scenario template) {
		Instant now = Instant.now();
		Scenario scenario = template.at(now);
		ServiceDefinition service = knowledge.service(scenario.service()).orElseThrow();
		List<Recommendation> cards = knowledge.recommend(service, scenario.hook(), scenario.patientId(),
				PatientData.of(scenario.resources(FHIR)), Map.of(), ZonedDateTime.ofInstant(now, ZoneOffset.UTC), "en");
		cards.forEach(c -> assertThat(c.summary()).hasSizeLessThan(140));
		return cards.stream().collect(Collectors.toMap(c -> c.rule().id(), c -> c.indicator().name().toLowerCase()));
	}

}
