package org.critcare.cds.cql;

import java.util.List;

/**
 * What a CQL library reads of one resource type through one search parameter: the codes
 * its retrieves narrow to (as {@code system|code}) on that parameter, or every resource
 * of the type when {@code codes} is empty. Retrieves narrowed by {@code code} (or a
 * medication) search {@code code}; by {@code value}, {@code value-concept} (an isolate
 * found by its organism); by {@code category}, {@code category}; by {@code meta.tag},
 * {@code _tag}.
 */
public record DataQuery(String resourceType, String searchParameter, List<String> codes) {

	public boolean narrowedByCode() {
		return !codes.isEmpty();
	}

	/** The search parameter that narrows by a retrieve's code path. */
	static String searchParameterOf(String codePath) {
		if (codePath == null) {
			return "code";
		}
		return switch (codePath) {
			case "value" -> "value-concept";
			case "category" -> "category";
			case InMemoryRetrieveProvider.META_TAG -> "_tag";
			default -> "code";
		};
	}

}
