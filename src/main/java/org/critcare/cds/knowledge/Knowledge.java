package org.critcare.cds.knowledge;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.critcare.cds.cql.CqlEvaluator;
import org.critcare.cds.knowledge.Knowledge;
import org.critcare.cds.knowledge.ServiceDefinition;

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

	/** The evaluator of the compiled CQL. */
	public CqlEvaluator evaluator() {
		return evaluator;
	}

	/** The conditions of the service's rules that run on the hook, each once. */
	public List<String> conditions(ServiceDefinition service, String hook) {
		return conditionsByServiceHook.getOrDefault(service.id() + " " + hook, List.of());
	}

}
