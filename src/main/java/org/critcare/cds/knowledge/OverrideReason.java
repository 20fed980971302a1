package org.critcare.cds.knowledge;

import java.util.Map;
import org.critcare.cds.knowledge.OverrideReason;

/** A reason a clinician may give for overriding a card, with its display per language. */
public record OverrideReason(String system, String code, String display, Map<String, String> translations) {

	public String display(String language) {
		return translations.getOrDefault(language, display);
	}

}
