package org.critcare.cds.cql;

import java.util.List;

/**
 * What a CQL library reads of one resource type: the codes its retrieves narrow to (as
 * {@code system|code}), or every resource of the type when {@code codes} is empty.
 */
public record DataQuery(String resourceType, List<String> codes) {

	public boolean narrowedByCode() {
		return !codes.isEmpty();
	}

}
