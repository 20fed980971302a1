package org.critcare.cds.recommendation;

import java.util.List;
import org.critcare.cds.knowledge.RuleDefinition;
import org.critcare.cds.knowledge.RuleSource;
import org.critcare.cds.knowledge.Indicator;

/**
 * A rule that fired for a patient, with its texts filled in the requested language: what
 * a card shows.
 *
 * @param rule the rule
 * @param language the language of the texts
 * @param summary the filled summary
 * @param detail the filled detail (markdown)
 * @param suggestions the card's suggestions, filled for the patient
 */
public record Recommendation(RuleDefinition rule, String language, String summary, String detail,
		List<Suggestion> suggestions) {

	public Indicator indicator() {
		return rule.indicator();
	}

	public List<RuleSource> sources() {
		return rule.sources();
	}

	/**
	 * How many suggestions the clinician may choose ({@code at-most-one}, {@code any}).
	 */
	public String selectionBehavior() {
		return rule.selectionBehavior();
	}

}
