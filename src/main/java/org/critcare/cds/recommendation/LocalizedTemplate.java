package org.critcare.cds.recommendation;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A card text in the default language of its PlanDefinition (English) and its
 * translations, by language code (FHIR {@code translation} extension).
 */
public record LocalizedTemplate(CardTemplate text, Map<String, CardTemplate> translations) {

	/**
	 * The template for the language, or the default text when there is no translation.
	 */
	public CardTemplate in(String language) {
		return translations.getOrDefault(language, text);
	}

	/** Every expression name read by the text or any translation. */
	public Set<String> expressionNames() {
		Set<String> names = new LinkedHashSet<>(text.expressionNames());
		translations.values().forEach(t -> names.addAll(t.expressionNames()));
		return names;
	}

}
