package org.critcare.cds.knowledge;

import org.critcare.cds.knowledge.RuleSource;

/**
 * The evidence behind a rule: the label shown on the card and the canonical URL of the
 * Evidence or guideline resource, resolved to its location in the store
 * ({@code Evidence/tartare-2s}).
 */
public record RuleSource(String label, String canonical, String location) {
}
