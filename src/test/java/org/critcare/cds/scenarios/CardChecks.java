package org.critcare.cds.scenarios;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What every answer must satisfy (CONTRACT "Cards", CDS Hooks 2.0) and what a scenario
 * expects: each card has a uuid, a summary under 140 characters, a valid indicator, a
 * source with label, url and topic code, at most one card per rule, suggestions only with
 * a selectionBehavior; every expected rule fires with its indicator, no forbidden rule
 * fires.
 */
final class CardChecks {

	private static final Set<String> INDICATORS = Set.of("info", "warning", "critical");

	private CardChecks() {
	}

	static List<String> check(Scenario scenario, JsonNode cards) {
		List<String> problems = new ArrayList<>();
		Map<String, String> fired = new HashMap<>();
		for (JsonNode card : cards) {
			String rule = card.path("source").path("topic").path("code").asText(null);
			String summary = card.path("summary").asText("");
			if (summary.isEmpty() || summary.length() >= 140) {
				problems.add(rule + ": summary missing or not under 140 characters");
			}
			if (!INDICATORS.contains(card.path("indicator").asText())) {
				problems.add(rule + ": indicator " + card.path("indicator"));
			}
			if (card.path("uuid").asText("").isEmpty() || card.path("source").path("label").asText("").isEmpty()
					|| card.path("source").path("url").asText("").isEmpty()) {
				problems.add(rule + ": uuid, source.label or source.url missing");
			}
			if (card.has("suggestions") && !card.has("selectionBehavior")) {
				problems.add(rule + ": suggestions without selectionBehavior");
			}
			if (rule == null) {
				problems.add("a card without source.topic.code");
			}
			else if (fired.put(rule, card.path("indicator").asText()) != null) {
				problems.add(rule + " fired more than one card");
			}
		}
		scenario.fire().forEach((rule, indicator) -> {
			if (!fired.containsKey(rule)) {
				problems.add(rule + " did not fire");
			}
			else if (!fired.get(rule).equals(indicator)) {
				problems.add(rule + " fired as " + fired.get(rule) + ", expected " + indicator);
			}
		});
		scenario.notFire().stream().filter(fired::containsKey).forEach(r -> problems.add(r + " fired but must not"));
		return problems;
	}

}
