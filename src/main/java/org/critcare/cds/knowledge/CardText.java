package org.critcare.cds.knowledge;

import java.util.Map;
import java.util.Optional;
import org.critcare.cds.knowledge.CardText;

/**
 * A text of a card: either filled per call by a CQL define of the service's library,
 * which the PlanDefinition action names in a {@code dynamicValue} (CPG-on-FHIR; the
 * define reads the call's {@code Language} and display-zone parameters, see
 * cql/CardText.cql), or written in the action itself in English with FHIR
 * {@code translation} extensions.
 *
 * @param expression the CQL define that gives the text, if any
 * @param text the written text, in English
 * @param translations the written text's translations, by language code
 */
public record CardText(Optional<String> expression, String text, Map<String, String> translations) {

	/** A text filled by a CQL define. */
	static CardText of(String expression) {
		return new CardText(Optional.of(expression), "", Map.of());
	}

	/** A written text with its translations. */
	static CardText written(String text, Map<String, String> translations) {
		return new CardText(Optional.empty(), text == null ? "" : text, Map.copyOf(translations));
	}

	/**
	 * The text in the language: the define's value, else the written translation or the
	 * English text.
	 * @param values the values of the defines, by name
	 */
	public String in(String language, Map<String, Object> values) {
		if (expression.isPresent()) {
			Object value = values.get(expression.get());
			return value == null ? "" : value.toString();
		}
		return translations.getOrDefault(language, text);
	}

}
