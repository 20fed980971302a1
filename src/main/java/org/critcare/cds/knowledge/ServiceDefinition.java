package org.critcare.cds.knowledge;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.critcare.cds.knowledge.ServiceDefinition;
import org.critcare.cds.knowledge.RuleDefinition;

/**
 * A CDS Hooks service, built from an eca-rule PlanDefinition (id = service id) whose
 * library is compiled: its rules, and the prefetch templates derived from the CQL's data
 * requirements.
 *
 * @param id the service id
 * @param title the PlanDefinition title
 * @param description the PlanDefinition description
 * @param library the name of the CQL library its conditions are defines of
 * @param rules its rules, in PlanDefinition order
 * @param prefetch prefetch key → FHIR query template
 */
public record ServiceDefinition(String id, String title, String description, String library, List<RuleDefinition> rules,
		Map<String, String> prefetch) {

	/** The hooks the service answers, in the order its rules name them. */
	public Set<String> hooks() {
		Set<String> hooks = new LinkedHashSet<>();
		rules.forEach(r -> hooks.addAll(r.hooks()));
		return hooks;
	}

	/** The rules that run on the hook. */
	public List<RuleDefinition> rulesFor(String hook) {
		return rules.stream().filter(r -> r.hooks().contains(hook)).toList();
	}

}
