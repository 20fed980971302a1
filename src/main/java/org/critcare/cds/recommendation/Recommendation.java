package org.critcare.cds.recommendation;

import java.util.List;

/**
 * A rule that fired for a patient, with its texts filled in the requested language: what
 * a card shows.
 *
 * @param rule the rule
 * @param language the language of the texts
 * @param summary the filled summary
 * @param detail the filled detail (markdown)
 */
public record Recommendation(RuleDefinition rule, String language, String summary, String detail) {

	public Indicator indicator() {
		return rule.indicator();
	}

	public List<RuleSource> sources() {
		return rule.sources();
	}

}
