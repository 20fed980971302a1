package org.critcare.cds.recommendation;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.critcare.cds.cdshooks.HookCalls;
import org.critcare.cds.patientdata.PatientData;
import org.critcare.cds.recommendation.HookCall;
import org.critcare.cds.scenarios.Scenario;
import org.critcare.cds.support.ShippedKnowledge;
import org.critcare.cds.knowledge.Knowledge;
import org.critcare.cds.knowledge.ServiceDefinition;

/**
 * Evaluates scenarios in process on the knowledge content as shipped, the way a hook call
 * does: the scenario's data as the patient's record, its draft orders added, its hook,
 * selections and draft ids as CQL parameters.
 */
final class ScenarioEvaluations {

	static final FhirContext FHIR = FhirContext.forR4Cached();

	private ScenarioEvaluations() {
	}

	static Knowledge knowledge() {
		return ShippedKnowledge.get(FHIR);
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

	/**
	 * Asserts the rules the scenario fires. When its {@code fire} and {@code notFire}
	 * lists together name every rule the service runs on its hook, the fired rules must
	 * be exactly its {@code fire} map, indicators included; otherwise (CLINICAL-SPEC §9:
	 * a rule named in neither list is not checked) every {@code fire} rule must fire with
	 * its indicator and no {@code notFire} rule may fire.
	 */
	static void assertFiresAsExpected(Scenario scenario) {
		Map<String, String> fired = fired(scenario);
		String as = scenario.id() + ": " + scenario.description();
		if (namesEveryRule(scenario)) {
			assertThat(fired).as(as).isEqualTo(scenario.fire());
		}
		else {
			assertThat(fired).as(as).containsAllEntriesOf(scenario.fire());
			assertThat(fired).as(as).doesNotContainKeys(scenario.notFire().toArray(String[]::new));
		}
	}

	/**
	 * Whether the scenario's fire and notFire lists name every rule its service runs on
	 * its hook.
	 */
	static boolean namesEveryRule(Scenario scenario) {
		Set<String> named = new HashSet<>(scenario.fire().keySet());
		named.addAll(scenario.notFire());
		return named.containsAll(ruleIds(scenario.service(), scenario.hook()));
	}

	/** The ids of the rules the service runs on the hook. */
	static Set<String> ruleIds(String service, String hook) {
		Set<String> ids = new LinkedHashSet<>();
		knowledge().service(service).orElseThrow().rulesFor(hook).forEach(r -> ids.add(r.id()));
		return ids;
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
