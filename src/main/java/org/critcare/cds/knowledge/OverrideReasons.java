package org.critcare.cds.knowledge;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.ValueSet;
import org.critcare.cds.knowledge.OverrideReason;
import org.critcare.cds.knowledge.OverrideReasons;

/**
 * The override reasons of each value set, with displays per language taken from the code
 * systems' designations (so a Japanese card offers Japanese reasons).
 */
final class OverrideReasons {

	private OverrideReasons() {
	}

	static Map<String, List<OverrideReason>> byValueSet(List<ValueSet> valueSets, List<CodeSystem> codeSystems) {
		Map<String, Map<String, String>> designations = new HashMap<>();
		for (CodeSystem codeSystem : codeSystems) {
			for (var concept : codeSystem.getConcept()) {
				Map<String, String> byLanguage = new HashMap<>();
				concept.getDesignation()
					.stream()
					.filter(d -> d.hasLanguage())
					.forEach(d -> byLanguage.putIfAbsent(d.getLanguage(), d.getValue()));
				designations.put(codeSystem.getUrl() + "|" + concept.getCode(), byLanguage);
			}
		}
		Map<String, List<OverrideReason>> reasons = new HashMap<>();
		for (ValueSet valueSet : valueSets) {
			List<OverrideReason> list = new ArrayList<>();
			for (var contains : valueSet.getExpansion().getContains()) {
				list.add(new OverrideReason(contains.getSystem(), contains.getCode(), contains.getDisplay(), Map
					.copyOf(designations.getOrDefault(contains.getSystem() + "|" + contains.getCode(), Map.of()))));
			}
			reasons.put(valueSet.getUrl(), List.copyOf(list));
		}
		return reasons;
	}

}
