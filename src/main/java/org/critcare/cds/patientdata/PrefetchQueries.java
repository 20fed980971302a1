package org.critcare.cds.patientdata;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills prefetch templates: each {@code {{token}}} is replaced by its URL-encoded value.
 */
final class PrefetchQueries {

	private static final Pattern TOKEN = Pattern.compile("\\{\\{\\s*([^}]+?)\\s*}}");

	private PrefetchQueries() {
	}

	/**
	 * The query with its tokens filled.
	 * @throws IllegalArgumentException when a token has no value
	 */
	static String fill(String template, Map<String, String> tokens) {
		Matcher token = TOKEN.matcher(template);
		StringBuilder query = new StringBuilder();
		while (token.find()) {
			String value = tokens.get(token.group(1));
			if (value == null) {
				throw new IllegalArgumentException("No value for prefetch token " + token.group(1));
			}
			token.appendReplacement(query, Matcher.quoteReplacement(URLEncoder.encode(value, StandardCharsets.UTF_8)));
		}
		token.appendTail(query);
		return query.toString();
	}

}
