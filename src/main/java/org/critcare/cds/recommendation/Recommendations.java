package org.critcare.cds.recommendation;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.critcare.cds.cql.CqlEvaluator;
import org.critcare.cds.patientdata.PatientData;
import org.critcare.cds.knowledge.Knowledge;
import org.critcare.cds.knowledge.ServiceDefinition;
import org.critcare.cds.knowledge.RuleDefinition;

/**
 * The rules of a knowledge snapshot evaluated for one call: which fire, and their cards'
 * texts (CLINICAL-SPEC §0: at most one card per rule).
 */
public final class Recommendations {

	private Recommendations() {
	}

	/**
	 * Evaluates the rules of a service that run on the hook for one patient and returns
	 * those that fire, in PlanDefinition order, with their texts in the language. The
	 * conditions are evaluated first; the defines giving the card texts only for the
	 * rules that fired.
	 * @param parameters values of the library's CQL parameters (e.g. the draft orders of
	 * an order hook)
	 * @param now the evaluation time
	 */
	public static List<Recommendation> recommend(Knowledge knowledge, ServiceDefinition service, String hook,
			String patientId, PatientData data, Map<String, Object> parameters, ZonedDateTime now, String language) {
		return recommend(knowledge, service, hook, patientId, data, parameters, now, language, ZoneId.of("UTC"));
	}

	/**
	 * As
	 * {@link #recommend(Knowledge, ServiceDefinition, String, String, PatientData, Map, ZonedDateTime, String)},
	 * with times in the card texts shown in {@code displayZone}.
	 */
	public static List<Recommendation> recommend(Knowledge knowledge, ServiceDefinition service, String hook,
			String patientId, PatientData data, Map<String, Object> parameters, ZonedDateTime now, String language,
			ZoneId displayZone) {
		CqlEvaluator.Evaluation evaluation = knowledge.evaluator()
			.open(service.library(), patientId, data, withTextParameters(parameters, language, displayZone, now), now);
		Map<String, Object> conditions = evaluation.evaluate(knowledge.conditions(service, hook));
		List<RuleDefinition> firing = new ArrayList<>();
		Set<String> shown = new LinkedHashSet<>();
		for (RuleDefinition rule : service.rulesFor(hook)) {
			if (rule.conditions().stream().allMatch(c -> Boolean.TRUE.equals(conditions.get(c)))) {
				firing.add(rule);
				shown.addAll(rule.valueNames());
			}
		}
		Map<String, Object> values = evaluation.evaluate(shown);
		List<Recommendation> fired = new ArrayList<>();
		for (RuleDefinition rule : firing) {
			List<Suggestion> suggestions = rule.suggestions()
				.stream()
				.map(s -> new Suggestion(s.label().in(language, values), s.description().in(language, values),
						s.propose(patientId, now)))
				.toList();
			fired.add(new Recommendation(rule, language, rule.summary().in(language, values),
					rule.detail().in(language, values), suggestions));
		}
		return fired;
	}

	private static Map<String, Object> withTextParameters(Map<String, Object> parameters, String language, ZoneId zone,
			ZonedDateTime now) {
		Map<String, Object> all = new HashMap<>(parameters);
		all.putAll(CardTextParameters.of(language, zone, now));
		return all;
	}

}
