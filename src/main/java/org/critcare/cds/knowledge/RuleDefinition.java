package org.critcare.cds.knowledge;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.critcare.cds.knowledge.RuleDefinition;
import org.critcare.cds.knowledge.RuleSource;
import org.critcare.cds.knowledge.CardText;
import org.critcare.cds.knowledge.SuggestionDefinition;
import org.critcare.cds.knowledge.OverrideReason;
import org.critcare.cds.knowledge.Indicator;

/**
 * One rule of a CDS service: a top-level PlanDefinition action. It fires when every
 * condition (a Boolean CQL define of the service's library) is true, on the hooks of its
 * named-event triggers, and then becomes one card (CLINICAL-SPEC §0: at most one card per
 * rule).
 *
 * @param id the rule id, e.g. {@code SEPTIC-SHOCK-MAP-BELOW-TARGET}
 * @param system the rule-id CodeSystem
 * @param display the rule's name
 * @param hooks the hooks it runs on
 * @param conditions the CQL defines that must all be true
 * @param indicator the card's indicator
 * @param summary the card summary
 * @param detail the card detail (markdown)
 * @param sources the evidence behind it
 * @param overrideReasons the reasons offered when the card is overridden
 * @param suggestions the suggestions the card offers (sub-actions naming an
 * ActivityDefinition)
 * @param selectionBehavior the card's {@code selectionBehavior} (the action's), when it
 * has suggestions
 */
public record RuleDefinition(String id, String system, String display, Set<String> hooks, List<String> conditions,
		Indicator indicator, CardText summary, CardText detail, List<RuleSource> sources,
		List<OverrideReason> overrideReasons, List<SuggestionDefinition> suggestions, String selectionBehavior) {

	/** The CQL defines this rule reads: its conditions and those giving its texts. */
	public Set<String> expressionNames() {
		Set<String> names = new LinkedHashSet<>(conditions);
		names.addAll(valueNames());
		return names;
	}

	/** The CQL defines that give the card texts. */
	public Set<String> valueNames() {
		Set<String> names = new LinkedHashSet<>();
		summary.expression().ifPresent(names::add);
		detail.expression().ifPresent(names::add);
		return names;
	}

}
