package org.critcare.cds.recommendation;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.critcare.cds.knowledge.CardText;

/**
 * The CQL parameters the card texts read (cql/CardText.cql), set on every hook call and
 * every {@code PlanDefinition/$apply} so both give the same text: the language, and the
 * display zone's offset from UTC in minutes and its abbreviation at the evaluation time.
 */
public final class CardTextParameters {

	static final String LANGUAGE = "Language";

	static final String ZONE_OFFSET = "Display Time Zone Offset";

	static final String ZONE_NAME = "Display Time Zone";

	private static final DateTimeFormatter ZONE_ABBREVIATION = DateTimeFormatter.ofPattern("z", Locale.ROOT);

	private CardTextParameters() {
	}

	/** The parameters for texts in the language with times in the zone. */
	public static Map<String, Object> of(String language, ZoneId zone, ZonedDateTime now) {
		Map<String, Object> parameters = new HashMap<>();
		parameters.put(LANGUAGE, language);
		parameters.put(ZONE_OFFSET, zone.getRules().getOffset(now.toInstant()).getTotalSeconds() / 60);
		parameters.put(ZONE_NAME, ZONE_ABBREVIATION.format(now.withZoneSameInstant(zone)));
		return parameters;
	}

	/**
	 * The offered language an {@code Accept-Language} header prefers (RFC 4647 lookup),
	 * else the default; a malformed header reads as none.
	 */
	public static String language(String acceptLanguage, List<String> offered, String defaultLanguage) {
		if (acceptLanguage == null || acceptLanguage.isBlank()) {
			return defaultLanguage;
		}
		try {
			String tag = Locale.lookupTag(Locale.LanguageRange.parse(acceptLanguage), offered);
			return tag == null ? defaultLanguage : tag;
		}
		catch (IllegalArgumentException e) {
			return defaultLanguage;
		}
	}

}
