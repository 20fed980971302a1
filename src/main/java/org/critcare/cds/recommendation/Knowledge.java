package org.critcare.cds.recommendation;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.critcare.cds.cql.CqlEvaluator;
import org.critcare.cds.patientdata.PatientData;

/**
 * An immutable snapshot of the runnable knowledge: the CDS services built from the stored
 * PlanDefinitions whose CQL compiled, and the evaluator of that CQL. A content change
 * builds a new snapshot; calls in flight finish on the one they started with.
 */
public final class Knowledge {

	private final Map<String, ServiceDefinition> services;

	private final CqlEvaluator evaluator;

	private final Map<String, List<String>> conditionsByServiceHook = new LinkedHashMap<>();

	Knowledge(Collection<ServiceDefinition> services, CqlEvaluator evaluator) {
		Map<String, ServiceDefinition> byId = new LinkedHashMap<>();
		services.forEach(s -> byId.put(s.id(), s));
		this.services = Map.copyOf(byId);
		this.evaluator = evaluator;
		for (ServiceDefinition service : services) {
			for (String hook : service.hooks()) {
				Set<String> conditions = new LinkedHashSet<>();
				service.rulesFor(hook).forEach(r -> conditions.addAll(r.conditions()));
				conditionsByServiceHook.put(service.id() + " " + hook, List.copyOf(conditions));
			}
		}
	}

	static Knowledge empty() {
		return new Knowledge(List.of(), null);
	}

	/** The service with that id, if it is offered. */
	public Optional<ServiceDefinition> service(String id) {
		return Optional.ofNullable(services.get(id));
	}

	/** Every offered service, in PlanDefinition order. */
	public Collection<ServiceDefinition> services() {
		return services.values();
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
	public List<Recommendation> recommend(ServiceDefinition service, String hook, String patientId, PatientData data,
			Map<String, Object> parameters, ZonedDateTime now, String language) {
		return recommend(service, hook, patientId, data, parameters, now, language, ZoneId.of("UTC"));
	}

	/**
	 * As
	 * {@link #recommend(ServiceDefinition, String, String, PatientData, Map, ZonedDateTime, String)},
	 * with times in the card texts shown in {@code displayZone}.
	 */
	public List<Recommendation> recommend(ServiceDefinition service, String hook, String patientId, PatientData data,
			Map<String, Object> parameters, ZonedDateTime now, String language, ZoneId displayZone) {
		CqlEvaluator.Evaluation evaluation = evaluator.open(service.library(), patientId, data,
				withTextParameters(parameters, language, displayZone, now), now);
		Map<String, Object> conditions = evaluation.evaluate(conditionsFor(service, hook));
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

	private List<String> conditionsFor(ServiceDefinition service, String hook) {
		return conditionsByServiceHook.getOrDefault(service.id() + " " + hook, List.of());
	}

}
