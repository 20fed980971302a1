package org.critcare.cds.recommendation;

import java.util.Map;

/** A reason a clinician may give for overriding a card, with its display per language. */
public record OverrideReason(String system, String code, String display, Map<String, String> translations) {

	public String display(String language) {
		return translations.getOrDefault(language, display);
	}

}
