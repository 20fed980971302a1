package org.critcare.cds.recommendation;

import ca.uhn.fhir.context.FhirContext;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.critcare.cds.cdshooks.HookCalls;
import org.critcare.cds.content.ContentFiles;
import org.critcare.cds.cql.CqlCompiler;
import org.critcare.cds.patientdata.PatientData;
import org.critcare.cds.recommendation.HookCall;
import org.critcare.cds.scenarios.Scenario;
import org.critcare.cds.knowledge.Knowledge;
import org.critcare.cds.knowledge.KnowledgeBuilder;
import org.critcare.cds.knowledge.KnowledgeResources;
import org.critcare.cds.knowledge.ServiceDefinition;

/**
 * Evaluates scenarios in process on the knowledge content as shipped, the way a hook call
 * does: the scenario's data as the patient's record, its draft orders added, its hook,
 * selections and draft ids as CQL parameters.
 */
final class ScenarioEvaluations {

	static final FhirContext FHIR = FhirContext.forR4Cached();

	private static Knowledge knowledge;

	private ScenarioEvaluations() {
	}

	static synchronized Knowledge knowledge() {
		if (knowledge == null) {
			var resources = new ContentFiles(FHIR, new CqlCompiler()).read(Path.of("fhir-resources"), Path.of("cql"),
					"http://example.org/cds/");
			knowledge = new KnowledgeBuilder(new CqlCompiler(), FHIR).build(KnowledgeResources.of(resources, FHIR));
		}
		return knowledge;
	}

	/** The cards of the scenario, in the language. */
	static List<Recommendation> cards(Scenario template, String language) {
		return cards(template, language, Map.of());
	}

	/**
	 * The cards of the scenario, in the language, with the site settings' CQL parameters
	 * added to the call's.
	 */
	static List<Recommendation> cards(Scenario template, String language, Map<String, Object> siteParameters) {
		Instant now = Instant.now();
		Scenario scenario = template.at(now);
		HookCall call = HookCalls.of(scenario, language);
		ServiceDefinition service = knowledge().service(scenario.service()).orElseThrow();
		PatientData data = PatientData.of(scenario.resources(FHIR)).withFirst(call.draftOrders());
		Map<String, Object> parameters = new java.util.HashMap<>(call.cqlParameters());
		parameters.putAll(siteParameters);
		return Recommendations.recommend(knowledge(), service, call.hook(), call.patientId(), data, parameters,
				ZonedDateTime.ofInstant(now, ZoneOffset.UTC), language);
	}

	/** Rule id → indicator of the cards of the scenario. */
	static Map<String, String> fired(Scenario scenario) {
		Map<String, String> fired = new LinkedHashMap<>();
		cards(scenario, "en").forEach(c -> fired.put(c.rule().id(), c.indicator().name().toLowerCase()));
		return fired;
	}

	/** The scenarios of a service: the public ones and those of its own file. */
	static List<Scenario> scenarios(String service) {
		List<Scenario> all = new java.util.ArrayList<>(Scenario.publicScenarios());
		String own = "/scenarios/scenarios-" + service + ".json";
		if (ScenarioEvaluations.class.getResource(own) != null) {
			all.addAll(Scenario.load(own));
		}
		return all.stream().filter(s -> s.service().equals(service)).toList();
	}

	/** The scenario with that id. */
	static Scenario scenario(String service, String id) {
		return scenarios(service).stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
	}

}
