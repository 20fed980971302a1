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
import org.critcare.cds.knowledge.Knowledge;
import org.critcare.cds.knowledge.KnowledgeBuilder;
import org.critcare.cds.knowledge.KnowledgeResources;
import org.critcare.cds.knowledge.ServiceDefinition;

/**
 * The sepsis-perfusion rules (CLINICAL-SPEC §1.5) evaluated in process, on the knowledge
 * content as shipped, for every public scenario of the service.
 */
class SepsisPerfusionRulesTests {

	static final FhirContext FHIR = FhirContext.forR4Cached();

	static Knowledge knowledge;

	@BeforeAll
	static void loadKnowledge() {
		var resources = new ContentFiles(FHIR, new CqlCompiler()).read(Path.of("fhir-resources"), Path.of("cql"),
				"http://example.org/cds/");
		knowledge = new KnowledgeBuilder(new CqlCompiler(), FHIR).build(KnowledgeResources.of(resources, FHIR));
	}

	@TestFactory
	Stream<DynamicTest> publicScenariosFireExactlyTheExpectedRules() {
		return Scenario.publicScenarios()
			.stream()
			.filter(s -> s.service().equals("sepsis-perfusion"))
			.map(s -> DynamicTest.dynamicTest(s.toString(), () -> assertScenario(s)));
	}

	private static void assertScenario(Scenario template) {
		Instant now = Instant.now();
		Scenario scenario = template.at(now);
		ServiceDefinition service = knowledge.service(scenario.service()).orElseThrow();
		List<Recommendation> cards = Recommendations.recommend(knowledge, service, scenario.hook(),
				scenario.patientId(), PatientData.of(scenario.resources(FHIR)), Map.of(),
				ZonedDateTime.ofInstant(now, ZoneOffset.UTC), "en");
		Map<String, String> fired = cards.stream()
			.collect(Collectors.toMap(c -> c.rule().id(), c -> c.indicator().name().toLowerCase()));
		cards.forEach(c -> assertThat(c.summary()).hasSizeLessThan(140));
		assertThat(fired).containsAllEntriesOf(scenario.fire());
		assertThat(fired).doesNotContainKeys(scenario.notFire().toArray(String[]::new));
	}

}
